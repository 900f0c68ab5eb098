/**
 * zstd over `node:zlib` (same code on Deno and Bun), bounded and strict.
 *
 * Before decompressing, the input's frame structure (RFC 8878: frame header,
 * block headers, checksum) is walked. That costs a few reads per block and
 * closes three gaps of the runtimes' zstd bindings: Deno decodes only the
 * first of several concatenated frames, both runtimes return partial output for
 * a truncated frame instead of failing, and trailing garbage is ignored. The
 * walk also reads the declared content size, so an oversized frame is rejected
 * before any output is allocated; `maxOutputLength` bounds the rest.
 * @module
 */

import { Buffer } from "node:buffer";
import zlib from "node:zlib";
import { type FrameHeader, readFrameHeader, readU32 } from "./frame_header.ts";

/** zstd level DashFlow producers (and Kafka's default) use. */
export const DEFAULT_ZSTD_LEVEL = 3;

/** Why a zstd input was rejected. */
export type ZstdErrorReason = "corrupt" | "too_large";

/** A zstd input was malformed, or its output would exceed the allowed size. */
export class ZstdError extends Error {
  override name = "ZstdError";
  /** `corrupt`: not valid zstd; `too_large`: output over `limit`. */
  readonly reason: ZstdErrorReason;
  /** The output limit in force. */
  readonly limit: number;
  /** The declared content size, when the frame header gave it. */
  readonly declaredSize: number | undefined;

  /** Builds the error. */
  constructor(
    reason: ZstdErrorReason,
    message: string,
    details: { limit: number; declaredSize?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.limit = details.limit;
    this.declaredSize = details.declaredSize;
  }
}

/** True when `bytes` holds the zstd frame magic `28 B5 2F FD` at `offset`. */
export function hasZstdMagic(bytes: Uint8Array, offset = 0): boolean {
  return bytes.length >= offset + 4 && bytes[offset] === 0x28 && bytes[offset + 1] === 0xb5 &&
    bytes[offset + 2] === 0x2f && bytes[offset + 3] === 0xfd;
}

/** Options for {@linkcode zstdCompress}. */
export interface ZstdCompressOptions {
  /** Compression level; default 3. */
  level?: number;
}

/**
 * Compresses `data` into one zstd frame that declares its content size (as
 * single-shot compressors do), so decoders can size their output exactly and
 * reject an oversized frame before decompressing it.
 */
export function zstdCompress(data: Uint8Array, options: ZstdCompressOptions = {}): Buffer {
  // pledgedSrcSize makes the header declare the content size; both runtimes honour it,
  // their typings lack it.
  const zstdOptions: zlib.ZstdOptions & { pledgedSrcSize: number } = {
    params: { [zlib.constants.ZSTD_c_compressionLevel]: options.level ?? DEFAULT_ZSTD_LEVEL },
    pledgedSrcSize: data.length,
  };
  return zlib.zstdCompressSync(data, zstdOptions);
}

/** Options for {@linkcode zstdDecompress}. */
export interface ZstdDecompressOptions {
  /** Largest output accepted, in bytes; nothing bigger is ever allocated. */
  maxOutputBytes: number;
}

/**
 * Decompresses one or more concatenated zstd frames (skippable frames are
 * skipped). Throws {@linkcode ZstdError}: `corrupt` for anything that is not a
 * complete, valid zstd stream, `too_large` when the output would exceed
 * `maxOutputBytes`.
 */
export function zstdDecompress(data: Uint8Array, options: ZstdDecompressOptions): Buffer {
  const limit = options.maxOutputBytes;
  const first = walkFrame(data, 0, limit);
  if (first.end === data.length && first.kind === "data") {
    return decompressFrame(data, first.declaredSize, limit); // the usual case: one frame
  }
  const parts: Buffer[] = [];
  let total = 0;
  for (let frame = first;;) {
    if (frame.kind === "data") {
      const remaining = limit - total;
      if (frame.declaredSize !== undefined && frame.declaredSize > remaining) {
        throw tooLarge(limit, total + frame.declaredSize);
      }
      // maxOutputLength must be >= 1; an over-long result is caught just below.
      const part = decompressFrame(
        data.subarray(frame.start, frame.end),
        frame.declaredSize,
        Math.max(1, remaining),
      );
      total += part.length;
      if (total > limit) throw tooLarge(limit, undefined);
      parts.push(part);
    }
    if (frame.end === data.length) break;
    frame = walkFrame(data, frame.end, limit);
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}

interface FrameSpan {
  kind: "data" | "skippable";
  start: number;
  end: number;
  declaredSize: number | undefined;
}

function decompressFrame(frame: Uint8Array, declaredSize: number | undefined, limit: number) {
  try {
    const out = zlib.zstdDecompressSync(frame, { maxOutputLength: limit });
    if (declaredSize !== undefined && out.length !== declaredSize) {
      throw corrupt(
        `the frame declares ${declaredSize} bytes of content but holds ${out.length}`,
        limit,
      );
    }
    return out;
  } catch (error) {
    if (error instanceof ZstdError) throw error;
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw tooLarge(limit, undefined, error);
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw corrupt(`the zstd library rejected it (${detail})`, limit, error);
  }
}

const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/** Checks the frame at `start` is complete and returns where it ends. */
function walkFrame(data: Uint8Array, start: number, limit: number): FrameSpan {
  const length = data.length;
  const trailing = () =>
    `${length - start} bytes of trailing data follow the zstd frame ending at offset ${start}`;
  if (start + 4 > length) {
    throw corrupt(start === 0 ? `it is only ${length} bytes long` : trailing(), limit);
  }
  const magic = readU32(data, start);
  if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
    if (start + 8 > length) throw corrupt(truncatedAt(start, length), limit);
    const end = start + 8 + readU32(data, start + 4);
    if (end > length) throw corrupt(truncatedAt(start, length), limit);
    return { kind: "skippable", start, end, declaredSize: undefined };
  }
  const header: FrameHeader = { descriptor: 0, end: 0, declaredSize: undefined };
  const problem = readFrameHeader(data, start, header);
  if (problem === "not zstd") {
    throw corrupt(
      start === 0 ? "it does not start with the zstd magic 28 B5 2F FD" : trailing(),
      limit,
    );
  }
  if (problem === "reserved bit") throw corrupt("its frame header sets the reserved bit", limit);
  if (problem === "truncated") throw corrupt(truncatedAt(start, length), limit);
  const { descriptor, declaredSize } = header;
  let pos = header.end;
  if (declaredSize !== undefined && declaredSize > limit) throw tooLarge(limit, declaredSize);
  for (let last = false; !last;) {
    if (pos + 3 > length) throw corrupt(truncatedAt(start, length), limit);
    const header = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16);
    last = (header & 1) === 1;
    const type = (header >> 1) & 3;
    if (type === 3) throw corrupt(`it has a block of reserved type at offset ${pos}`, limit);
    pos += 3 + (type === 1 ? 1 : header >>> 3); // an RLE block stores one byte
    if (pos > length) throw corrupt(truncatedAt(start, length), limit);
  }
  if (descriptor & 0x04) pos += 4; // content checksum
  if (pos > length) throw corrupt(truncatedAt(start, length), limit);
  return { kind: "data", start, end: pos, declaredSize };
}

function truncatedAt(start: number, length: number): string {
  return `the zstd frame at offset ${start} is truncated (input ends at ${length} bytes)`;
}

function corrupt(detail: string, limit: number, cause?: unknown): ZstdError {
  return new ZstdError("corrupt", detail, { limit, cause });
}

function tooLarge(limit: number, declaredSize: number | undefined, cause?: unknown): ZstdError {
  const size = declaredSize === undefined ? "more than" : `${declaredSize} bytes, over`;
  return new ZstdError("too_large", `it decompresses to ${size} the ${limit}-byte limit`, {
    limit,
    declaredSize,
    cause,
  });
}
