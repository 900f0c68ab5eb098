/**
 * The zstd frame header (RFC 8878 3.1.1.1): where it ends and the content size it declares.
 * The one reader of it, for the strict decoder (`zstd.ts`, which walks every frame) and the
 * fast one (`fast_zstd.ts`, which sizes its output from it).
 * @module
 */

/** What {@linkcode readFrameHeader} found; written into a caller's object (no allocation). */
export interface FrameHeader {
  /** The frame header descriptor byte (content checksum flag: 0x04). */
  descriptor: number;
  /** Offset just past the header: the first block header. */
  end: number;
  /** The declared content size, or `undefined` when the frame does not declare one. */
  declaredSize: number | undefined;
}

/** Why a frame header could not be read. */
export type FrameHeaderProblem = "not zstd" | "reserved bit" | "truncated";

const FCS_BYTES = [0, 2, 4, 8];
const DICT_ID_BYTES = [0, 1, 2, 4];

/**
 * Reads the header of the zstd data frame at `start` into `out`. Returns `undefined` when it
 * was read, else what is wrong with it (`out` is then partly written).
 */
export function readFrameHeader(
  data: Uint8Array,
  start: number,
  out: FrameHeader,
): FrameHeaderProblem | undefined {
  if (
    start + 4 > data.length || data[start] !== 0x28 || data[start + 1] !== 0xb5 ||
    data[start + 2] !== 0x2f || data[start + 3] !== 0xfd
  ) {
    return start + 4 > data.length ? "truncated" : "not zstd";
  }
  if (start + 5 > data.length) return "truncated";
  const descriptor = data[start + 4];
  if (descriptor & 0x08) return "reserved bit";
  const singleSegment = (descriptor & 0x20) !== 0;
  const fcsFlag = descriptor >> 6;
  const fcsBytes = fcsFlag === 0 && singleSegment ? 1 : FCS_BYTES[fcsFlag];
  const pos = start + 5 + (singleSegment ? 0 : 1) + DICT_ID_BYTES[descriptor & 0x03];
  if (pos + fcsBytes > data.length) return "truncated";
  out.descriptor = descriptor;
  out.end = pos + fcsBytes;
  switch (fcsBytes) {
    case 0:
      out.declaredSize = undefined;
      break;
    case 1:
      out.declaredSize = data[pos];
      break;
    case 2:
      out.declaredSize = (data[pos] | (data[pos + 1] << 8)) + 256;
      break;
    case 4:
      out.declaredSize = readU32(data, pos);
      break;
    default:
      out.declaredSize = readU32(data, pos) + readU32(data, pos + 4) * 2 ** 32;
  }
  return undefined;
}

/** A little-endian unsigned 32-bit integer. */
export function readU32(data: Uint8Array, pos: number): number {
  return (data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16) | (data[pos + 3] << 24)) >>> 0;
}

/** What {@linkcode readFrameBlocks} found; written into a caller's object (no allocation). */
export interface FrameBlocks {
  /** Offset just past the frame (its last block and content checksum), when it was read. */
  end: number;
  /** Blocks walked. */
  blocks: number;
  /** Offset of the block of reserved type, for `"reserved block"`. */
  at: number;
}

/** Why the blocks of a frame could not be walked. */
export type FrameBlocksProblem = "truncated" | "reserved block" | "too many blocks";

/**
 * Walks the block headers of the data frame whose header {@linkcode readFrameHeader} read into
 * `header`, up to its last block and content checksum, into `out`: a few reads per block, no
 * decompression. Stops with `"too many blocks"` once more than `maxBlocks` were walked (the cap on
 * decode work, docs/wire_format.md "Rule: decode work"). Returns `undefined` when the frame is
 * complete, else what is wrong with it.
 */
export function readFrameBlocks(
  data: Uint8Array,
  header: FrameHeader,
  maxBlocks: number,
  out: FrameBlocks,
): FrameBlocksProblem | undefined {
  const length = data.length;
  let pos = header.end;
  let blocks = 0;
  for (let last = false; !last;) {
    if (pos + 3 > length) return "truncated";
    if (++blocks > maxBlocks) {
      out.blocks = blocks;
      return "too many blocks";
    }
    const block = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16);
    last = (block & 1) === 1;
    const type = (block >> 1) & 3;
    if (type === 3) {
      out.at = pos;
      return "reserved block";
    }
    pos += 3 + (type === 1 ? 1 : block >>> 3); // an RLE block stores one byte
    if (pos > length) return "truncated";
  }
  if (header.descriptor & 0x04) pos += 4; // content checksum
  if (pos > length) return "truncated";
  out.end = pos;
  out.blocks = blocks;
  return undefined;
}

const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/**
 * Where the skippable frame at `start` ends (RFC 8878 3.1.2), `-1` when it is truncated, or
 * `undefined` when no skippable frame starts there.
 */
export function skippableFrameEnd(data: Uint8Array, start: number): number | undefined {
  if (start + 4 > data.length) return undefined;
  if ((readU32(data, start) & SKIPPABLE_MASK) >>> 0 !== SKIPPABLE_MAGIC) return undefined;
  if (start + 8 > data.length) return -1;
  const end = start + 8 + readU32(data, start + 4);
  return end > data.length ? -1 : end;
}
