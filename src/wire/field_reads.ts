/**
 * Reads and skips of single protobuf fields, as protobuf-es 2.x `fromBinary()` treats them, for
 * the generated quality readers (`src/gen/quality_reader.ts`, described in
 * `event/quality_reader_fields.ts`). Varints and tags come from `varint.ts`.
 *
 * Every function takes the buffer and a position and returns the position after what it read,
 * or {@linkcode ERR} where protobuf-es throws (or {@linkcode FALLBACK} for what the readers leave
 * to protobuf-es). Lengths go into the module scratch {@linkcode span}: these run for every field,
 * so they allocate nothing.
 * @module
 */

import * as varint from "./varint.ts";

/** Returned instead of a position where protobuf-es throws. */
export const ERR = -1;
/** Returned instead of a position for what the fast readers leave to protobuf-es. */
export const FALLBACK = -2;

/** The second result of the length-delimited reads. */
export const span = {
  /** The length of the last length-delimited field read; the field ends at the returned position. */
  length: 0,
};

// Local bindings: Bun (JSC) reads an imported binding through the module record at every use.
const { readVarint64, varint64 } = varint;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * A decoder with the settings protobuf-es uses for strings: strict UTF-8 (proto3 strings are),
 * a leading U+FEFF kept as text.
 */
export const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Any field but the expected ones of a message whose fields are numbered 1..`lastKnown`, its tag
 * already read: an invalid tag is an error, a known field with another wire type (which
 * protobuf-es reads as its declared type anyway) falls back, an unknown field is skipped.
 */
export function otherField(bytes: Uint8Array, pos: number, tag: number, lastKnown: number): number {
  const field = tag >>> 3;
  if (field === 0 || (tag & 7) > 5) return ERR;
  if (field <= lastKnown) return FALLBACK;
  switch (tag & 7) {
    case 0: // a varint of any length
      while (pos < bytes.length) {
        if (bytes[pos++] < 0x80) return pos;
      }
      return ERR;
    case 1:
      pos += 8;
      return pos > bytes.length ? ERR : pos;
    case 2:
      return skipBytes(bytes, pos);
    case 5:
      pos += 4;
      return pos > bytes.length ? ERR : pos;
    case 3:
      return FALLBACK; // a group: rare, protobuf-es skips it with its own rules
    default:
      return ERR; // 4: an end-group tag without its start
  }
}

/** A varint of a known scalar field, skipped: at most 10 bytes, as protobuf-es reads it. */
export function skipKnownVarint(bytes: Uint8Array, pos: number): number {
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) return ERR;
    if (bytes[pos++] < 0x80) return pos;
  }
  return ERR;
}

/** A length-delimited field whose content is not read (bytes, or an unknown field). */
export function skipBytes(bytes: Uint8Array, pos: number): number {
  pos = readLength(bytes, pos);
  if (pos < 0) return pos;
  pos += span.length;
  return pos > bytes.length ? ERR : pos;
}

/** A string field: its UTF-8 is validated; it ends at the result, `span.length` bytes long. */
export function readString(bytes: Uint8Array, pos: number): number {
  pos = readLength(bytes, pos);
  if (pos < 0) return pos;
  const start = pos;
  pos += span.length;
  if (pos > bytes.length) return ERR;
  return validUtf8(bytes, start, pos) ? pos : ERR;
}

/**
 * A length varint (protobuf-es `uint32()`: up to 10 bytes, low 32 bits), into `span.length`.
 * The caller checks that the field fits in the buffer.
 */
export function readLength(bytes: Uint8Array, pos: number): number {
  if (pos < bytes.length && bytes[pos] < 0x80) { // one byte: most lengths
    span.length = bytes[pos];
    return pos + 1;
  }
  pos = readVarint64(bytes, pos);
  span.length = varint64.lo >>> 0;
  return pos;
}

/** The little-endian double at `pos` (the caller checks the 8 bytes are there). */
export function readDouble(bytes: Uint8Array, pos: number): number {
  if (LITTLE_ENDIAN) {
    for (let i = 0; i < 8; i++) f64Bytes[i] = bytes[pos + i];
  } else {
    for (let i = 0; i < 8; i++) f64Bytes[7 - i] = bytes[pos + i];
  }
  return f64[0];
}

/** Whether `size` bytes at `start` equal `key`. */
export function equalBytes(
  bytes: Uint8Array,
  start: number,
  size: number,
  key: Uint8Array,
): boolean {
  if (size !== key.length) return false;
  for (let i = 0; i < size; i++) {
    if (bytes[start + i] !== key[i]) return false;
  }
  return true;
}

// A 32-bit view of the last buffer a long string was checked in (the zstd decoder's memory,
// or a Kafka fetch buffer), so long strings are checked four bytes at a time.
const LONG_STRING = 64;
let words: Int32Array = new Int32Array(0);
let wordsBuffer: ArrayBufferLike | undefined;

/** Whether the bytes from `start` to `end` are valid UTF-8 (as proto3 requires of a string). */
export function validUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let bits = 0;
  let i = start;
  // (Offsets past 2^31 would overflow the 32-bit arithmetic: those take the byte loop.)
  if (end - i >= LONG_STRING && bytes.byteOffset + end < 0x80000000) {
    const buffer = bytes.buffer;
    if (buffer !== wordsBuffer) {
      words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
      wordsBuffer = buffer;
    }
    const base = bytes.byteOffset;
    while (((base + i) & 3) !== 0) bits |= bytes[i++];
    const last = (base + end) >>> 2;
    let wordBits = 0;
    for (let w = (base + i) >>> 2; w < last; w++) wordBits |= words[w];
    if ((wordBits & 0x80808080) !== 0) bits = 0x80;
    i = (last << 2) - base;
  }
  for (; i < end; i++) bits |= bytes[i];
  if (bits < 0x80) return true;
  try {
    utf8.decode(bytes.subarray(start, end));
    return true;
  } catch {
    return false;
  }
}
