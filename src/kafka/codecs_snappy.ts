/**
 * Snappy for Kafka record batches: the xerial block framing the Java client
 * (snappy-java) writes, and plain raw snappy (what some other clients write).
 *
 * Compression uses snappyjs. Decompression is our own bounds-checked decoder:
 * snappyjs' decoder does not check that the output matches the declared
 * length, so a stream cut at an element boundary would come back zero-padded
 * instead of failing.
 * @module
 */

import snappyjs from "snappyjs";
import { concatBytes } from "../util/concat_bytes.ts";
import { CodecError } from "./codecs_error.ts";

interface SnappyJs {
  compress(data: Uint8Array): Uint8Array;
}

const snappy = snappyjs as unknown as SnappyJs;

/** `\x82SNAPPY\x00`: the first 8 bytes of a xerial (snappy-java) stream. */
export const XERIAL_MAGIC: Uint8Array = Uint8Array.of(0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0);
const XERIAL_HEADER_BYTES = 16;
/** snappy-java's default block size. */
const XERIAL_BLOCK_SIZE = 32 * 1024;

/**
 * Compresses `data` as snappy-java does: the 16-byte xerial header (magic,
 * version 1, compatible version 1), then for each 32 KiB of input a 4-byte
 * big-endian length and one raw snappy block.
 */
export function snappyCompress(data: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [];
  let total = XERIAL_HEADER_BYTES;
  for (let start = 0; start < data.length; start += XERIAL_BLOCK_SIZE) {
    const block = snappy.compress(data.subarray(start, start + XERIAL_BLOCK_SIZE));
    blocks.push(block);
    total += 4 + block.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(XERIAL_MAGIC, 0);
  view.setInt32(8, 1); // version
  view.setInt32(12, 1); // minimum compatible version
  let pos = XERIAL_HEADER_BYTES;
  for (const block of blocks) {
    view.setInt32(pos, block.length);
    out.set(block, pos + 4);
    pos += 4 + block.length;
  }
  return out;
}

/** Options for {@linkcode snappyDecompress}. */
export interface SnappyDecompressOptions {
  /** Largest output accepted, in bytes. */
  maxOutputBytes: number;
}

/**
 * Decompresses a xerial-framed snappy stream (any number of blocks; the
 * header's version fields are ignored, as some brokers write them
 * little-endian) or, without the xerial magic, one raw snappy block. Throws
 * {@linkcode CodecError}.
 */
export function snappyDecompress(
  data: Uint8Array,
  options: SnappyDecompressOptions,
): Uint8Array {
  const limit = options.maxOutputBytes;
  if (!isXerial(data)) return decodeRaw(data, 0, data.length, limit);
  const blocks: Uint8Array[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_BYTES;
  while (pos < data.length) {
    if (pos + 4 > data.length) {
      throw corrupt(`the xerial stream ends inside a block length at offset ${pos}`);
    }
    const size = new DataView(data.buffer, data.byteOffset + pos, 4).getInt32(0);
    pos += 4;
    if (size < 0 || pos + size > data.length) {
      throw corrupt(
        `a xerial block claims ${size} bytes at offset ${pos}, but ${data.length - pos} remain`,
      );
    }
    if (size === 0) continue; // snappy-java never writes one; nothing to decode
    const block = decodeRaw(data, pos, pos + size, limit - total);
    blocks.push(block);
    total += block.length;
    pos += size;
  }
  if (blocks.length === 1) return blocks[0];
  return concatBytes(blocks);
}

function isXerial(data: Uint8Array): boolean {
  if (data.length < XERIAL_HEADER_BYTES) return false;
  for (let i = 0; i < XERIAL_MAGIC.length; i++) if (data[i] !== XERIAL_MAGIC[i]) return false;
  return true;
}

/** Decodes one raw snappy block `src[start, end)` (format_description.txt). */
function decodeRaw(src: Uint8Array, start: number, end: number, limit: number): Uint8Array {
  let pos = start;
  let length = 0;
  for (let shift = 0;; shift += 7) {
    if (pos >= end || shift > 28) throw corrupt("bad uncompressed-length header");
    const byte = src[pos++];
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (length > limit) {
    throw new CodecError(
      "snappy",
      "too_large",
      `Cannot decompress a snappy record batch: a block declares ${length} bytes, ` +
        `over the ${limit}-byte limit`,
    );
  }
  const out = new Uint8Array(length);
  let outPos = 0;
  while (pos < end) {
    const tag = src[pos++];
    let size: number;
    let offset: number;
    switch (tag & 3) {
      case 0: { // literal
        size = tag >>> 2;
        if (size >= 60) {
          const extra = size - 59;
          if (pos + extra > end) throw corrupt("a literal length passes the end of the block");
          size = 0;
          for (let i = extra - 1; i >= 0; i--) size = size * 256 + src[pos + i];
          pos += extra;
        }
        size += 1;
        if (pos + size > end) throw corrupt("a literal passes the end of the block");
        if (outPos + size > length) throw corrupt(overrun(length));
        out.set(src.subarray(pos, pos + size), outPos);
        pos += size;
        outPos += size;
        continue;
      }
      case 1:
        if (pos + 1 > end) throw corrupt("a copy passes the end of the block");
        size = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | src[pos++];
        break;
      case 2:
        if (pos + 2 > end) throw corrupt("a copy passes the end of the block");
        size = (tag >>> 2) + 1;
        offset = src[pos] | (src[pos + 1] << 8);
        pos += 2;
        break;
      default:
        if (pos + 4 > end) throw corrupt("a copy passes the end of the block");
        size = (tag >>> 2) + 1;
        offset = (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16) | (src[pos + 3] << 24)) >>>
          0;
        pos += 4;
    }
    if (offset === 0 || offset > outPos) throw corrupt(`copy offset ${offset} is out of range`);
    if (outPos + size > length) throw corrupt(overrun(length));
    // Byte by byte: an overlapping copy repeats the bytes it just wrote.
    for (let from = outPos - offset, stop = outPos + size; outPos < stop;) {
      out[outPos++] = out[from++];
    }
  }
  if (outPos !== length) {
    throw corrupt(`a block declares ${length} bytes but holds ${outPos} (truncated?)`);
  }
  return out;
}

function overrun(length: number): string {
  return `a block writes past its declared ${length} bytes`;
}

function corrupt(detail: string): CodecError {
  return new CodecError("snappy", "corrupt", `Cannot decompress a snappy record batch: ${detail}`);
}
