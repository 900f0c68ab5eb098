/**
 * Record framing: turns a Kafka record value into the protobuf bytes of one
 * `DashStreamMessage`, enforcing the payload and decompressed size limit.
 * @module
 */

import { DecodeError, type Framing } from "./errors.ts";
import { MAX_PAYLOAD_BYTES_ENV, maxPayloadBytesOf } from "./limits.ts";
import { hasZstdMagic, zstdDecompress, ZstdError } from "../zstd/zstd.ts";

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

/** What {@linkcode locateFrame} found in a record value, and where its payload starts. */
export const LOCATED = {
  /** The value is empty. */
  EMPTY: 0,
  /** The value is over the payload limit. */
  TOO_LARGE: 1,
  /** 0x00 + protobuf: the message starts at offset 1. */
  FRAMED: 2,
  /** 0x01 + zstd: the zstd frame starts at offset 1. */
  FRAMED_ZSTD: 3,
  /** Legacy bare zstd: the zstd frame starts at offset 0. */
  LEGACY_ZSTD: 4,
  /** Legacy bare protobuf: the message starts at offset 0. */
  LEGACY: 5,
} as const;

/** One of the {@linkcode LOCATED} codes. */
export type Located = (typeof LOCATED)[keyof typeof LOCATED];

// The framing of each LOCATED code that is one.
const FRAMINGS: Readonly<Record<number, Framing>> = {
  [LOCATED.FRAMED]: "framed",
  [LOCATED.FRAMED_ZSTD]: "framed_zstd",
  [LOCATED.LEGACY_ZSTD]: "legacy_zstd",
  [LOCATED.LEGACY]: "legacy",
};

/**
 * The framing rule and the payload limit, in one place: classifies a record value — empty,
 * over `maxPayloadBytes`, or one of the four framings — as a {@linkcode LOCATED} code, without
 * copying or allocating, so the hot path can read a 0x00-framed message in place. The payload
 * (protobuf or zstd frame) starts at {@linkcode payloadOffset}. {@linkcode unframe} is built on it.
 */
export function locateFrame(value: Uint8Array, maxPayloadBytes: number): Located {
  if (value.length === 0) return LOCATED.EMPTY;
  if (value.length > maxPayloadBytes) return LOCATED.TOO_LARGE;
  return framingOf(value);
}

/** Where the payload of a value that {@linkcode locateFrame} found framed starts: 1 or 0. */
export function payloadOffset(located: Located): number {
  return located === LOCATED.FRAMED || located === LOCATED.FRAMED_ZSTD ? 1 : 0;
}

// The first byte, and for legacy values the zstd magic, decide (the wire-format spec).
function framingOf(value: Uint8Array): Located {
  const first = value[0];
  return first === FRAME_RAW
    ? LOCATED.FRAMED
    : first === FRAME_ZSTD
    ? LOCATED.FRAMED_ZSTD
    : hasZstdMagic(value)
    ? LOCATED.LEGACY_ZSTD
    : LOCATED.LEGACY;
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
  const limit = maxPayloadBytesOf(options);
  const located = locateFrame(value, limit);
  if (located === LOCATED.EMPTY) {
    throw new DecodeError(
      "empty",
      "Cannot decode record: its value is empty (0 bytes); DashStream producers never " +
        "write empty values, so check what else writes to this topic",
      { size: 0 },
    );
  }
  if (located === LOCATED.TOO_LARGE) {
    throw new DecodeError(
      "too_large",
      `Cannot decode record: its value is ${value.length} bytes, over the ${limit}-byte ` +
        `limit; raise ${MAX_PAYLOAD_BYTES_ENV} to accept it`,
      { framing: FRAMINGS[framingOf(value)], size: value.length, limit },
    );
  }
  const framing = FRAMINGS[located];
  const payload = payloadOffset(located) === 0 ? value : value.subarray(1);
  if (located === LOCATED.FRAMED || located === LOCATED.LEGACY) {
    return { bytes: payload, framing };
  }
  return { bytes: decompress(payload, framing, limit), framing };
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
    if (error.reason === "too_complex") {
      throw new DecodeError(
        "too_complex",
        `Cannot decode record: ${where} (${compressed.length} bytes) is refused: ` +
          `${error.message}; such a record is built to burn CPU, check what writes to this topic`,
        { framing, size: compressed.length, cause: error },
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
