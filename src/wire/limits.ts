/**
 * The record size limit: `DASHSTREAM_MAX_PAYLOAD_BYTES`, which bounds both a
 * record value and its decompressed size.
 * @module
 */

import { PayloadLimitConfigError } from "./errors.ts";

/** The env var that sets the record size limit. */
export const MAX_PAYLOAD_BYTES_ENV = "DASHSTREAM_MAX_PAYLOAD_BYTES";

/** Default record size limit: 10 MiB, as in the original exporter. */
export const DEFAULT_MAX_PAYLOAD_BYTES: number = 10 * 1024 * 1024;

/**
 * The limit in force: `maxPayloadBytes` when given, else the 10 MiB default. Every reader of
 * the option goes through here, so the default applies in one place.
 */
export function maxPayloadBytesOf(options: { maxPayloadBytes?: number }): number {
  return options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
}

/**
 * Largest accepted limit: Kafka sizes are int32, and a bigger value would only
 * hide a misconfiguration (and exceed what one buffer can hold on some runtimes).
 */
export const MAX_MAX_PAYLOAD_BYTES = 2 ** 31 - 1;

/**
 * Parses the raw `DASHSTREAM_MAX_PAYLOAD_BYTES` text. Unset or blank gives the
 * 10 MiB default; anything but a whole number 1..2147483647 throws
 * {@linkcode PayloadLimitConfigError}, so a typo fails at start instead of
 * silently keeping the default.
 */
export function parseMaxPayloadBytes(
  raw: string | undefined,
  options: { source?: string } = {},
): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_MAX_PAYLOAD_BYTES;
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_MAX_PAYLOAD_BYTES) {
    const source = options.source ?? MAX_PAYLOAD_BYTES_ENV;
    throw new PayloadLimitConfigError(
      raw,
      `Invalid ${source} '${raw}': expected a whole number of bytes from 1 to ` +
        `${MAX_MAX_PAYLOAD_BYTES} (e.g. 10485760 for the 10 MiB default)`,
    );
  }
  return value;
}
