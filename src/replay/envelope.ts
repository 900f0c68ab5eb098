/**
 * The JSON Lines record envelope:
 * `{"value": base64, "key"?, "timestamp"?, "partition"?, "offset"?}`.
 * @module
 */

import { Buffer } from "node:buffer";

/** A record envelope, validated. */
export interface Envelope {
  /** The record value, decoded from base64; null for a tombstone. */
  value: Uint8Array | null;
  /** The Kafka key: text, or bytes when written `base64:...`; null or absent: no key. */
  key?: string | Uint8Array | null;
  /** The record timestamp, ms since the epoch. */
  timestampMs?: number;
}

/** A field of an envelope has the wrong type or an unreadable value. */
export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
// How `tail` writes a key that is not UTF-8 text; read back as those bytes.
const BINARY_PREFIX = "base64:";

/** True when `json` is shaped like an envelope: an object with a `value` field. */
export function isEnvelope(json: Record<string, unknown>): boolean {
  return Object.hasOwn(json, "value");
}

/**
 * Reads an envelope. `value` is standard or URL-safe base64 (padding
 * optional) or null; `key` a string (UTF-8 text, or `base64:<data>` for
 * binary, as `tail` shows keys) or null; `timestamp` ms since the epoch
 * as a number or decimal string, or an ISO-8601 date; `partition` and `offset`
 * whole numbers (or decimal strings), checked but not used. Other fields are
 * ignored, so a writer may add its own. Throws {@linkcode EnvelopeError}.
 */
export function parseEnvelope(json: Record<string, unknown>): Envelope {
  const envelope: Envelope = { value: readValue(json.value) };
  if (json.key !== undefined) {
    if (json.key !== null && typeof json.key !== "string") {
      throw new EnvelopeError(
        `"key" must be a string or null, not ${describe(json.key)}`,
      );
    }
    envelope.key = json.key !== null && json.key.startsWith(BINARY_PREFIX)
      ? readBase64(json.key.slice(BINARY_PREFIX.length), "key")
      : json.key;
  }
  if (json.timestamp !== undefined && json.timestamp !== null) {
    envelope.timestampMs = readTimestamp(json.timestamp);
  }
  for (const field of ["partition", "offset"]) {
    const raw = json[field];
    if (raw === undefined || raw === null) continue;
    const ok = typeof raw === "number"
      ? Number.isInteger(raw)
      : typeof raw === "string" && /^-?\d+$/.test(raw);
    if (!ok) {
      throw new EnvelopeError(`"${field}" must be a whole number, not ${describe(raw)}`);
    }
  }
  return envelope;
}

function readValue(raw: unknown): Uint8Array | null {
  if (raw === null) return null;
  if (typeof raw !== "string") {
    throw new EnvelopeError(
      `"value" must be the record value in base64 (or null), not ${describe(raw)}`,
    );
  }
  return readBase64(raw, "value");
}

function readBase64(raw: string, field: "value" | "key"): Uint8Array {
  if (!BASE64.test(raw) || raw.length % 4 === 1) {
    throw new EnvelopeError(
      field === "value"
        ? `"value" is not base64 (${describe(raw)}); it holds the exact record value bytes`
        : `"key" starts with "base64:" but the rest is not base64 (${describe(raw)})`,
    );
  }
  const bytes = Buffer.from(raw, "base64");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readTimestamp(raw: unknown): number {
  if (typeof raw === "number" && Number.isFinite(raw)) return raw;
  if (typeof raw === "string") {
    if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
    const parsed = Date.parse(raw);
    if (Number.isFinite(parsed) && /^\d{4}-\d\d-\d\d/.test(raw)) return parsed;
  }
  throw new EnvelopeError(
    `"timestamp" must be ms since the epoch (e.g. 1767225600000) or an ISO-8601 date ` +
      `(e.g. "2026-01-01T00:00:00Z"), not ${describe(raw)}`,
  );
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
