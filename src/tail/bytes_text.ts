/**
 * How `tail` shows bytes: ids as UUIDs or hex, payloads as the JSON or text they
 * hold, anything else as `base64:` text.
 * @module
 */

import { Buffer } from "node:buffer";
import type { JsonValue } from "./json_text.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Lowercase hex of `bytes`. */
export function hex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

/** An id: a UUID when it is 16 bytes, else hex ("" when empty). */
export function idText(bytes: Uint8Array): string {
  const h = hex(bytes);
  if (bytes.length !== 16) return h;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The UTF-8 text of `bytes`, or undefined when they are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** UTF-8 text as is; other bytes as `base64:<data>`. */
export function bytesText(bytes: Uint8Array): string {
  return utf8Text(bytes) ?? `base64:${Buffer.from(bytes).toString("base64")}`;
}

/**
 * A payload (JSON documents, text or binary): a JSON object or array is
 * embedded as JSON; with `anyJson` (a value declared JSON-encoded) any JSON
 * value is; other UTF-8 as a string; binary as `base64:<data>`.
 */
export function payloadValue(bytes: Uint8Array, options: { anyJson?: boolean } = {}): JsonValue {
  const text = utf8Text(bytes);
  if (text === undefined) return bytesText(bytes);
  const start = text.trimStart()[0];
  if (options.anyJson || start === "{" || start === "[") {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return text;
}
