/**
 * LZ4 *frame* format (lz4_Frame_format.md v1.6), as Kafka >= 0.10 writes it.
 *
 * Compression uses lz4js' block compressor. Decompression is our own: lz4js'
 * `decompress` skips every checksum, trusts the declared content size for
 * its allocation, reserves 4 MiB per block when no size is declared, handles
 * one frame only, and its block decoder has no bounds checks, so corrupt input
 * becomes silent garbage instead of an error. The decoder below checks every
 * length, offset and checksum and never outgrows `maxOutputBytes`.
 * @module
 */

import lz4js from "lz4js";
import { CodecError } from "./codecs_error.ts";

interface Lz4Js {
  compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
}

const lz4 = lz4js as unknown as Lz4Js;

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const BLOCK_UNCOMPRESSED = 0x80000000;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENT = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const MAX_BLOCK_SIZES: Record<number, number> = {
  4: 64 * 1024,
  5: 256 * 1024,
  6: 1024 * 1024,
  7: 4 * 1024 * 1024,
};

/** Block size we write: 64 KiB, Kafka's Java client default. */
const WRITE_BLOCK_SIZE = 64 * 1024;
const hashTable = new Uint32Array(1 << 16);
// lz4js.compressBound(): room for a block that does not compress.
const blockScratch = new Uint8Array(WRITE_BLOCK_SIZE + Math.ceil(WRITE_BLOCK_SIZE / 255) + 16);

/**
 * Compresses `data` into one LZ4 frame the way Kafka's Java client does:
 * 64 KiB independent blocks (Kafka cannot read linked blocks), no content
 * size, no checksums but the header checksum. An incompressible block is
 * stored uncompressed.
 */
export function lz4FrameCompress(data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / WRITE_BLOCK_SIZE);
  const out = new Uint8Array(7 + blocks * (4 + WRITE_BLOCK_SIZE) + 4);
  writeU32(out, 0, FRAME_MAGIC);
  out[4] = FLG_VERSION_01 | FLG_BLOCK_INDEPENDENT;
  out[5] = 4 << 4; // 64 KiB max block size
  out[6] = (xxh32(out, 4, 6) >>> 8) & 0xff;
  let pos = 7;
  for (let start = 0; start < data.length; start += WRITE_BLOCK_SIZE) {
    const size = Math.min(WRITE_BLOCK_SIZE, data.length - start);
    hashTable.fill(0); // a fresh table keeps every match inside this block
    const packed = lz4.compressBlock(data, blockScratch, start, size, hashTable);
    if (packed > 0 && packed < size) {
      writeU32(out, pos, packed);
      out.set(blockScratch.subarray(0, packed), pos + 4);
      pos += 4 + packed;
    } else {
      writeU32(out, pos, (BLOCK_UNCOMPRESSED | size) >>> 0);
      out.set(data.subarray(start, start + size), pos + 4);
      pos += 4 + size;
    }
  }
  writeU32(out, pos, 0); // end mark
  return out.subarray(0, pos + 4);
}

/** Options for {@linkcode lz4FrameDecompress}. */
export interface Lz4DecompressOptions {
  /** Largest output accepted, in bytes. */
  maxOutputBytes: number;
}

/**
 * Decompresses one or more concatenated LZ4 frames (skippable frames are
 * skipped): with or without content size, linked or independent blocks,
 * block and content checksums verified when present. Also accepts the header
 * checksum of Kafka < 0.10, which wrongly covered the magic number. Throws
 * {@linkcode CodecError}.
 */
export function lz4FrameDecompress(data: Uint8Array, options: Lz4DecompressOptions): Uint8Array {
  const limit = options.maxOutputBytes;
  const out = new GrowableOutput(limit, data.length);
  let pos = 0;
  do {
    pos = decodeFrame(data, pos, out);
  } while (pos < data.length);
  return out.bytes();
}

function decodeFrame(src: Uint8Array, start: number, out: GrowableOutput): number {
  const end = src.length;
  need(src, start, 4, "frame magic");
  const magic = readU32(src, start);
  if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
    need(src, start + 4, 4, "skippable frame size");
    const next = start + 8 + readU32(src, start + 4);
    if (next > end) throw corrupt(`the skippable frame at offset ${start} is truncated`);
    return next;
  }
  if (magic !== FRAME_MAGIC) {
    throw corrupt(
      `expected the LZ4 frame magic 04 22 4D 18 at offset ${start}, got ${hex(magic)}`,
    );
  }
  need(src, start + 4, 3, "frame descriptor");
  const flg = src[start + 4];
  const bd = src[start + 5];
  if ((flg & 0xc0) !== FLG_VERSION_01) {
    throw corrupt(`unsupported frame version in FLG ${hex(flg)}`);
  }
  if (flg & 0x02) throw corrupt(`reserved bit set in FLG ${hex(flg)}`);
  if (flg & FLG_DICT_ID) throw corrupt("the frame needs a dictionary, which Kafka never uses");
  const maxBlockSize = MAX_BLOCK_SIZES[(bd >> 4) & 0x07];
  if (bd & 0x8f || maxBlockSize === undefined) throw corrupt(`invalid block descriptor ${hex(bd)}`);
  let pos = start + 6;
  let contentSize: number | undefined;
  if (flg & FLG_CONTENT_SIZE) {
    need(src, pos, 9, "content size");
    contentSize = readU32(src, pos) + readU32(src, pos + 4) * 2 ** 32;
    pos += 8;
  }
  const headerChecksum = src[pos];
  if (
    headerChecksum !== ((xxh32(src, start + 4, pos) >>> 8) & 0xff) &&
    headerChecksum !== ((xxh32(src, start, pos) >>> 8) & 0xff) // Kafka < 0.10
  ) {
    throw corrupt(`the frame header checksum ${hex(headerChecksum)} does not match`);
  }
  pos++;
  const frameStart = out.length;
  if (contentSize !== undefined) out.reserve(contentSize);
  const independent = (flg & FLG_BLOCK_INDEPENDENT) !== 0;
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0;
  for (;;) {
    need(src, pos, 4, "block size");
    const word = readU32(src, pos);
    pos += 4;
    if (word === 0) break; // end mark
    const size = word & 0x7fffffff;
    if (size > maxBlockSize) {
      throw corrupt(`a block of ${size} bytes exceeds the frame's ${maxBlockSize}-byte maximum`);
    }
    need(src, pos, size + (blockChecksum ? 4 : 0), "block");
    if (blockChecksum && xxh32(src, pos, pos + size) !== readU32(src, pos + size)) {
      throw corrupt(`block checksum mismatch at offset ${pos}`);
    }
    if (word & BLOCK_UNCOMPRESSED) {
      out.append(src, pos, size);
    } else {
      out.decodeBlock(src, pos, pos + size, maxBlockSize, independent ? out.length : frameStart);
    }
    pos += size + (blockChecksum ? 4 : 0);
  }
  if (flg & FLG_CONTENT_CHECKSUM) {
    need(src, pos, 4, "content checksum");
    if (out.checksum(frameStart) !== readU32(src, pos)) throw corrupt("content checksum mismatch");
    pos += 4;
  }
  if (contentSize !== undefined && out.length - frameStart !== contentSize) {
    throw corrupt(
      `the frame declares ${contentSize} bytes of content but holds ${out.length - frameStart}`,
    );
  }
  return pos;
}

/** Output buffer that grows by doubling, never past the limit. */
class GrowableOutput {
  #buf: Uint8Array;
  #length = 0;
  readonly #limit: number;

  constructor(limit: number, inputLength: number) {
    this.#limit = limit;
    this.#buf = new Uint8Array(Math.min(limit, Math.max(64 * 1024, inputLength * 4)));
  }

  get length(): number {
    return this.#length;
  }

  /** Makes room for `extra` more bytes, or throws `too_large`. */
  reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed > this.#limit) throw tooLarge(this.#limit);
    if (needed <= this.#buf.length) return;
    const grown = new Uint8Array(Math.min(this.#limit, Math.max(needed, this.#buf.length * 2)));
    grown.set(this.#buf.subarray(0, this.#length));
    this.#buf = grown;
  }

  append(src: Uint8Array, start: number, size: number): void {
    this.reserve(size);
    this.#buf.set(src.subarray(start, start + size), this.#length);
    this.#length += size;
  }

  /** Decodes one LZ4 block; matches may reach back to `historyStart`. */
  decodeBlock(
    src: Uint8Array,
    sPos: number,
    sEnd: number,
    maxBlockSize: number,
    historyStart: number,
  ): void {
    const room = Math.min(maxBlockSize, this.#limit - this.#length);
    this.reserve(room);
    const end = decodeBlock(
      src,
      sPos,
      sEnd,
      this.#buf,
      this.#length,
      this.#length + room,
      historyStart,
    );
    if (end < 0) {
      throw room < maxBlockSize
        ? tooLarge(this.#limit)
        : corrupt(`a block decompresses past the frame's ${maxBlockSize}-byte maximum`);
    }
    this.#length = end;
  }

  checksum(from: number): number {
    return xxh32(this.#buf, from, this.#length);
  }

  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#length);
  }
}

/**
 * Decodes one LZ4 block (lz4_Block_format.md) into `dst` from `dPos`, writing
 * no further than `dEnd`. Returns the new output position, or -1 when the
 * output would pass `dEnd`; throws `corrupt` for malformed input.
 */
function decodeBlock(
  src: Uint8Array,
  sPos: number,
  sEnd: number,
  dst: Uint8Array,
  dPos: number,
  dEnd: number,
  historyStart: number,
): number {
  for (;;) {
    if (sPos >= sEnd) throw corrupt("a block ends without its final literals");
    const token = src[sPos++];
    let literals = token >>> 4;
    if (literals === 15) {
      const more = lengthMore(src, sPos, sEnd, "literal length");
      literals += more;
      sPos += lengthMoreBytes(more);
    }
    if (sPos + literals > sEnd) throw corrupt("a literal run passes the end of its block");
    if (dPos + literals > dEnd) return -1;
    if (literals < 32) {
      for (let i = 0; i < literals; i++) dst[dPos + i] = src[sPos + i];
    } else {
      dst.set(src.subarray(sPos, sPos + literals), dPos);
    }
    sPos += literals;
    dPos += literals;
    if (sPos === sEnd) return dPos; // the last sequence has literals only
    if (sPos + 2 > sEnd) throw corrupt("a block ends inside a match offset");
    const offset = src[sPos] | (src[sPos + 1] << 8);
    sPos += 2;
    if (offset === 0 || offset > dPos - historyStart) {
      throw corrupt(`match offset ${offset} points before the start of the data`);
    }
    let matchLength = token & 15;
    if (matchLength === 15) {
      const more = lengthMore(src, sPos, sEnd, "match length");
      matchLength += more;
      sPos += lengthMoreBytes(more);
    }
    matchLength += 4;
    if (dPos + matchLength > dEnd) return -1;
    let from = dPos - offset;
    if (offset >= matchLength && matchLength >= 32) {
      dst.copyWithin(dPos, from, from + matchLength);
      dPos += matchLength;
    } else {
      // Byte by byte: an overlapping match repeats the bytes it just wrote.
      for (const stop = dPos + matchLength; dPos < stop;) dst[dPos++] = dst[from++];
    }
  }
}

/**
 * A length nibble of 15 goes on in the bytes after it: each adds to the length, and a 255 means
 * another byte follows. Returns what they add, from `src[sPos]` on.
 */
function lengthMore(src: Uint8Array, sPos: number, sEnd: number, what: string): number {
  let more = 0;
  let byte;
  do {
    if (sPos >= sEnd) throw corrupt(`a block ends inside a ${what}`);
    byte = src[sPos++];
    more += byte;
  } while (byte === 255);
  return more;
}

/** How many bytes {@linkcode lengthMore} read: every one but the last is 255, the last less. */
function lengthMoreBytes(more: number): number {
  return Math.floor(more / 255) + 1;
}

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

/** xxHash32 (seed 0) of `data[start, end)`: the checksum LZ4 frames use. */
export function xxh32(data: Uint8Array, start: number, end: number): number {
  let p = start;
  let h: number;
  if (end - start >= 16) {
    let v1 = (P1 + P2) | 0;
    let v2 = P2 | 0;
    let v3 = 0;
    let v4 = -P1 | 0;
    for (const last = end - 16; p <= last; p += 16) {
      v1 = Math.imul(rotl((v1 + Math.imul(readU32(data, p), P2)) | 0, 13), P1);
      v2 = Math.imul(rotl((v2 + Math.imul(readU32(data, p + 4), P2)) | 0, 13), P1);
      v3 = Math.imul(rotl((v3 + Math.imul(readU32(data, p + 8), P2)) | 0, 13), P1);
      v4 = Math.imul(rotl((v4 + Math.imul(readU32(data, p + 12), P2)) | 0, 13), P1);
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = P5;
  }
  h = (h + (end - start)) | 0;
  for (; p + 4 <= end; p += 4) {
    h = Math.imul(rotl((h + Math.imul(readU32(data, p), P3)) | 0, 17), P4);
  }
  for (; p < end; p++) h = Math.imul(rotl((h + Math.imul(data[p], P5)) | 0, 11), P1);
  h = Math.imul(h ^ (h >>> 15), P2);
  h = Math.imul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function readU32(data: Uint8Array, pos: number): number {
  return (data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16) | (data[pos + 3] << 24)) >>> 0;
}

function writeU32(data: Uint8Array, pos: number, value: number): void {
  data[pos] = value & 0xff;
  data[pos + 1] = (value >>> 8) & 0xff;
  data[pos + 2] = (value >>> 16) & 0xff;
  data[pos + 3] = (value >>> 24) & 0xff;
}

function need(src: Uint8Array, pos: number, count: number, what: string): void {
  if (pos + count > src.length) {
    throw corrupt(`the data ends at ${src.length} bytes, inside the ${what} at offset ${pos}`);
  }
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

function corrupt(detail: string): CodecError {
  return new CodecError("lz4", "corrupt", `Cannot decompress an LZ4 record batch: ${detail}`);
}

function tooLarge(limit: number): CodecError {
  return new CodecError(
    "lz4",
    "too_large",
    `Cannot decompress an LZ4 record batch: it decompresses to more than ${limit} bytes`,
  );
}
