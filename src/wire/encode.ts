/**
 * `DashStreamMessage` → Kafka record value, framed the way DashFlow producers
 * frame it. Used by tests, the demo producer and replay.
 * @module
 */

import { toBinary } from "@bufbuild/protobuf";
import {
  CompressionType,
  type DashStreamMessage,
  DashStreamMessageSchema,
  type Header,
} from "../gen/dashstream_pb.ts";
import { FRAME_RAW, FRAME_ZSTD } from "./framing.ts";
import { DEFAULT_ZSTD_LEVEL, zstdCompress } from "../zstd/zstd.ts";

/** Producers compress only messages longer than this many encoded bytes. */
export const COMPRESSION_THRESHOLD_BYTES = 512;

/**
 * When to zstd-compress: `auto` as DashFlow producers do (over 512 bytes and
 * only if it gets smaller), `always`, or `never`.
 */
export type CompressionMode = "auto" | "always" | "never";

/** Options for {@linkcode encodeRecord}. */
export interface EncodeOptions {
  /** Default `auto`. */
  compression?: CompressionMode;
  /** Write the old unframed format: bare protobuf, or a bare zstd frame. */
  legacy?: boolean;
  /** zstd level; default 3, as producers use. */
  level?: number;
}

/**
 * Encodes `msg` as a record value: 0x00 + protobuf, or, when compressing,
 * 0x01 + a zstd frame of the message with `header.compression` set to
 * `COMPRESSION_ZSTD` (on whichever oneof member carries the header; a
 * message without a header is compressed as is). `msg` is left unchanged.
 */
export function encodeRecord(msg: DashStreamMessage, options: EncodeOptions = {}): Uint8Array {
  const mode = options.compression ?? "auto";
  const legacy = options.legacy ?? false;
  const raw = toBinary(DashStreamMessageSchema, msg);
  if (mode === "never" || (mode === "auto" && raw.length <= COMPRESSION_THRESHOLD_BYTES)) {
    return legacy ? raw : prefixed(FRAME_RAW, raw);
  }
  const compressed = zstdCompress(encodeMarkedZstd(msg, raw), {
    level: options.level ?? DEFAULT_ZSTD_LEVEL,
  });
  if (mode === "auto" && compressed.length >= raw.length) {
    return legacy ? raw : prefixed(FRAME_RAW, raw);
  }
  if (!legacy) return prefixed(FRAME_ZSTD, compressed);
  // A plain view, so callers comparing bytes never see a Buffer subclass.
  return new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.length);
}

/** The header of whichever oneof member is set, if it has one. */
export function messageHeader(msg: DashStreamMessage): Header | undefined {
  return msg.message.case === undefined ? undefined : msg.message.value.header;
}

/** Encodes `msg` with header.compression = ZSTD, restoring the caller's value. */
function encodeMarkedZstd(msg: DashStreamMessage, raw: Uint8Array): Uint8Array {
  const header = messageHeader(msg);
  if (header === undefined || header.compression === CompressionType.COMPRESSION_ZSTD) return raw;
  const previous = header.compression;
  header.compression = CompressionType.COMPRESSION_ZSTD;
  try {
    return toBinary(DashStreamMessageSchema, msg);
  } finally {
    header.compression = previous;
  }
}

function prefixed(first: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out[0] = first;
  out.set(body, 1);
  return out;
}
