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
import {
  type FrameBlocks,
  type FrameBlocksProblem,
  type FrameHeader,
  type FrameHeaderProblem,
  readFrameBlocks,
  readFrameHeader,
  skippableFrameEnd,
} from "./frame_header.ts";

/** zstd level DashFlow producers (and Kafka's default) use. */
export const DEFAULT_ZSTD_LEVEL = 3;

/**
 * Most frames (data and skippable) one input may hold (docs/wire_format.md "Rule: decode work").
 * A producer writes one; each frame costs a call into the zstd library, so 1.16M empty frames in
 * 10 MiB took seconds.
 */
export const MAX_ZSTD_FRAMES = 256;

/**
 * Most blocks one input may hold, over all its frames (docs/wire_format.md "Rule: decode work").
 * A block holds up to 128 KiB of content, so even the 2 GiB payload limit needs only 16,384; this
 * bounds the walk and the decoder's per-block work on 3-byte empty blocks to a few milliseconds.
 */
export const MAX_ZSTD_BLOCKS = 100_000;

/** Why a zstd input was rejected. */
export type ZstdErrorReason = "corrupt" | "too_large" | "too_complex";

/** A zstd input was malformed, or its output would exceed the allowed size. */
export class ZstdError extends Error {
  override name = "ZstdError";
  /**
   * `corrupt`: not valid zstd; `too_large`: output over `limit`; `too_complex`: more frames or
   * blocks than {@linkcode MAX_ZSTD_FRAMES} / {@linkcode MAX_ZSTD_BLOCKS}.
   */
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
  /**
   * Whether {@linkcode MAX_ZSTD_FRAMES} and {@linkcode MAX_ZSTD_BLOCKS} apply (default true).
   * Kafka's batch codec turns them off: a batch that fails to decompress cannot be skipped.
   */
  capWork?: boolean;
}

/**
 * Decompresses one or more concatenated zstd frames (skippable frames are
 * skipped). Throws {@linkcode ZstdError}: `corrupt` for anything that is not a
 * complete, valid zstd stream, `too_large` when the output would exceed
 * `maxOutputBytes`, `too_complex` past {@linkcode MAX_ZSTD_FRAMES} frames or
 * {@linkcode MAX_ZSTD_BLOCKS} blocks (checked as the frames are walked, so at most
 * that much work is done).
 */
export function zstdDecompress(data: Uint8Array, options: ZstdDecompressOptions): Buffer {
  const limit = options.maxOutputBytes;
  const frame = frameCursor(limit, { capWork: options.capWork });
  walkFrame(data, frame);
  if (frame.end === data.length && frame.kind === "data") {
    return decompressFrame(data, frame.declaredSize, limit); // the usual case: one frame
  }
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
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
    walkFrame(data, frame);
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}

/**
 * A walk over the frames of one input, one {@linkcode nextFrame} at a time: where the next
 * frame starts, the caps' counts so far, and what the last step found. Written in place.
 */
export interface FrameCursor {
  /** Where the next frame starts; after a step, where the frame stepped over ends. */
  end: number;
  /** Largest declared content size a frame may have (`"too large"` past it). */
  limit: number;
  /** Frames walked so far (`-Infinity`: not capped). */
  frames: number;
  /** Blocks walked so far, over all frames (`-Infinity`: not capped). */
  blocks: number;
  /** The frame stepped over last: where it starts, its kind, its declared content size. */
  start: number;
  kind: "data" | "skippable";
  declaredSize: number | undefined;
  /** Where a block of reserved type was found. */
  at: number;
}

/** Why {@linkcode nextFrame} stopped: the input is not complete, valid frames within the caps. */
export type FrameProblem =
  | FrameHeaderProblem
  | FrameBlocksProblem
  | "short"
  | "too many frames"
  | "too large";

/**
 * A cursor at the start of an input whose frames may declare up to `limit` bytes each;
 * `capWork: false` lifts {@linkcode MAX_ZSTD_FRAMES} and {@linkcode MAX_ZSTD_BLOCKS}.
 */
export function frameCursor(limit: number, options: { capWork?: boolean } = {}): FrameCursor {
  const count = options.capWork === false ? -Infinity : 0;
  return {
    end: 0,
    limit,
    frames: count,
    blocks: count,
    start: 0,
    kind: "data",
    declaredSize: undefined,
    at: 0,
  };
}

/**
 * Steps over the frame at `cursor.end`: checks it is complete (header, every block header,
 * checksum; a few reads per block, no decompression) and counts it against the caps
 * (docs/wire_format.md "Rule: decode work"). The one walk of frame structure: the strict path
 * turns a problem into its error, the fast path leaves the input to the strict path.
 */
export function nextFrame(data: Uint8Array, cursor: FrameCursor): FrameProblem | undefined {
  const start = cursor.end;
  cursor.start = start;
  if (start + 4 > data.length) return "short";
  if (++cursor.frames > MAX_ZSTD_FRAMES) return "too many frames";
  const skippableEnd = skippableFrameEnd(data, start);
  if (skippableEnd !== undefined) {
    if (skippableEnd < 0) return "truncated";
    cursor.kind = "skippable";
    cursor.declaredSize = undefined;
    cursor.end = skippableEnd;
    return undefined;
  }
  const headerProblem = readFrameHeader(data, start, header);
  if (headerProblem !== undefined) return headerProblem;
  cursor.declaredSize = header.declaredSize;
  if (header.declaredSize !== undefined && header.declaredSize > cursor.limit) return "too large";
  const blocksProblem = readFrameBlocks(data, header, MAX_ZSTD_BLOCKS - cursor.blocks, blocks);
  if (blocksProblem !== undefined) {
    cursor.at = blocks.at;
    return blocksProblem;
  }
  cursor.blocks += blocks.blocks;
  cursor.kind = "data";
  cursor.end = blocks.end;
  return undefined;
}

// Scratch for nextFrame() (synchronous, so calls never interleave).
const header: FrameHeader = { descriptor: 0, end: 0, declaredSize: undefined };
const blocks: FrameBlocks = { end: 0, blocks: 0, at: 0 };

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

/** Steps `frame` over the next frame, or throws the {@linkcode ZstdError} its problem is. */
function walkFrame(data: Uint8Array, frame: FrameCursor): void {
  const start = frame.end;
  const { length } = data;
  const { limit } = frame;
  const problem = nextFrame(data, frame);
  if (problem === undefined) return;
  const trailing = () =>
    `${length - start} bytes of trailing data follow the zstd frame ending at offset ${start}`;
  switch (problem) {
    case "short":
      throw corrupt(start === 0 ? `it is only ${length} bytes long` : trailing(), limit);
    case "too many frames":
      throw tooComplex(`it holds more than ${MAX_ZSTD_FRAMES} frames`, limit);
    case "not zstd":
      throw corrupt(
        start === 0 ? "it does not start with the zstd magic 28 B5 2F FD" : trailing(),
        limit,
      );
    case "reserved bit":
      throw corrupt("its frame header sets the reserved bit", limit);
    case "too large":
      throw tooLarge(limit, frame.declaredSize);
    case "too many blocks":
      throw tooComplex(`it holds more than ${MAX_ZSTD_BLOCKS} blocks`, limit);
    case "reserved block":
      throw corrupt(`it has a block of reserved type at offset ${frame.at}`, limit);
    case "truncated":
      throw corrupt(truncatedAt(start, length), limit);
  }
}

function truncatedAt(start: number, length: number): string {
  return `the zstd frame at offset ${start} is truncated (input ends at ${length} bytes)`;
}

function corrupt(detail: string, limit: number, cause?: unknown): ZstdError {
  return new ZstdError("corrupt", detail, { limit, cause });
}

function tooComplex(detail: string, limit: number): ZstdError {
  return new ZstdError(
    "too_complex",
    `${detail}, more decode work than one record may take (a producer writes one frame)`,
    { limit },
  );
}

function tooLarge(limit: number, declaredSize: number | undefined, cause?: unknown): ZstdError {
  const size = declaredSize === undefined ? "more than" : `${declaredSize} bytes, over`;
  return new ZstdError("too_large", `it decompresses to ${size} the ${limit}-byte limit`, {
    limit,
    declaredSize,
    cause,
  });
}
