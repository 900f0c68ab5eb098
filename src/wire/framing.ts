/**
 * Record framing: turns a Kafka record value into the protobuf bytes of one
 * `DashStreamMessage`, enforcing the payload and decompressed size limit.
 * @module
 */

import { DecodeError, type Framing } from "./errors.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES_ENV } from "./limits.ts";
import { hasZstdMagic, zstdDecompress, ZstdError } from "./zstd.ts";

export type { Framing } from "./errors.ts";

/** First byte of a framed record whose rest is a raw `DashStreamMessage`. */
export const FRAME_RAW = 0x00;

/** First byte of a framed record whose rest is a zstd frame. */
export const FRAME_ZSTD = 0x01;

/** Options for {@linkcode unframe} and `decodeRecord`. */
export interface UnframeOptions {
  /**
   * Limit for the record value and for its decompressed size, in bytes
   * (`DASHSTREAM_MAX_PAYLOAD_BYTES`); default 10 MiB.
   */
  maxPayloadBytes?: number;
}

/** The protobuf bytes inside a record value, and how they were framed. */
export interface Unframed {
  /** The encoded `DashStreamMessage`; a view into the value when not compressed. */
  bytes: Uint8Array;
  /** The framing seen. */
  framing: Framing;
}

/**
 * Strips the record framing: 0x00 raw, 0x01 zstd, else legacy (a bare zstd
 * frame if it starts with the zstd magic, otherwise bare protobuf). Never
 * copies uncompressed bytes. Throws {@linkcode DecodeError} for an empty or
 * missing value, a value or decompressed size over the limit, or bad zstd.
 */
export function unframe(
  value: Uint8Array | null | undefined,
  options: UnframeOptions = {},
): Unframed {
  if (value === null || value === undefined) {
    throw new DecodeError(
      "empty",
      `Cannot decode record: it has no value (${value}); DashStream producers always ` +
        "write one, so check what else writes to this topic",
    );
  }
  if (value.length === 0) {
    throw new DecodeError(
      "empty",
      "Cannot decode record: its value is empty (0 bytes); DashStream producers never " +
        "write empty values, so check what else writes to this topic",
      { size: 0 },
    );
  }
  const limit = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const first = value[0];
  const framing: Framing = first === FRAME_RAW
    ? "framed"
    : first === FRAME_ZSTD
    ? "framed_zstd"
    : hasZstdMagic(value)
    ? "legacy_zstd"
    : "legacy";
  if (value.length > limit) {
    throw new DecodeError(
      "too_large",
      `Cannot decode record: its value is ${value.length} bytes, over the ${limit}-byte ` +
        `limit; raise ${MAX_PAYLOAD_BYTES_ENV} to accept it`,
      { framing, size: value.length, limit },
    );
  }
  switch (framing) {
    case "framed":
      return { bytes: value.subarray(1), framing };
    case "legacy":
      return { bytes: value, framing };
    case "framed_zstd":
      return { bytes: decompress(value.subarray(1), framing, limit), framing };
    case "legacy_zstd":
      return { bytes: decompress(value, framing, limit), framing };
  }
}

function decompress(compressed: Uint8Array, framing: Framing, limit: number): Uint8Array {
  try {
    return zstdDecompress(compressed, { maxOutputBytes: limit });
  } catch (error) {
    if (!(error instanceof ZstdError)) throw error;
    const where = framing === "framed_zstd"
      ? "the zstd frame of a 0x01-framed record"
      : "the bare (legacy) zstd frame of a record";
    if (error.reason === "too_large") {
      const size = error.declaredSize === undefined
        ? "more than"
        : `${error.declaredSize} bytes, over`;
      throw new DecodeError(
        "decompressed_too_large",
        `Cannot decode record: ${where} (${compressed.length} bytes compressed) ` +
          `decompresses to ${size} the ${limit}-byte limit; raise ${MAX_PAYLOAD_BYTES_ENV} ` +
          "to accept it",
        { framing, size: error.declaredSize, limit, cause: error },
      );
    }
    throw new DecodeError(
      "zstd",
      `Cannot decode record: ${where} (${compressed.length} bytes) is not valid zstd: ` +
        `${error.message}; the producer's compression or the record is corrupt`,
      { framing, size: compressed.length, cause: error },
    );
  }
}
