/**
 * A look at a record's header without decoding the record: the event time
 * (`header.timestamp_us`) and the thread id (the producers' Kafka key) are
 * read by walking a few protobuf tags, with no allocation for an
 * uncompressed record.
 * @module
 */

import { fastZstdDecompressTransient } from "../wire/fast_zstd.ts";
import { FRAME_RAW, FRAME_ZSTD } from "../wire/framing.ts";
import { hasZstdMagic, zstdDecompress } from "../wire/zstd.ts";

const EMPTY = new Uint8Array(0);
const SLAB_BYTES = 1 << 20;
// DashStreamMessage's oneof members are fields 1..9; each has its header as field 1.
const LAST_MESSAGE_FIELD = 9;
const HEADER_FIELD = 1;
const TIMESTAMP_FIELD = 2;
const THREAD_ID_FIELD = 4;
const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/**
 * Reads the header of one record value at a time; reuse one instance for a
 * whole replay (its fields are overwritten by each {@linkcode peek}).
 *
 * A zstd-framed record is decompressed to be read. So that the record is not
 * decompressed a second time when it is applied, {@linkcode value} then holds
 * the same message 0x00-framed: `applyRecord()` decodes it to the identical
 * message (the size limit was enforced while decompressing). Any record that
 * cannot be read this way (bad zstd, over the limit) keeps its own bytes, so
 * `applyRecord()` fails it exactly as it would fail the original.
 */
export class RecordHeader {
  /** `header.timestamp_us` in ms, or NaN when absent, zero, negative or unreadable. */
  timeMs = NaN;
  /** The value to apply: the record itself, or its decompressed message 0x00-framed. */
  value: Uint8Array | null = null;
  #body: Uint8Array = EMPTY;
  #threadStart = -1;
  #threadEnd = -1;
  #pos = 0;
  // Where the payload of the last LEN field skipped by #skip() starts.
  #lenStart = 0;
  #slab: Uint8Array = EMPTY;
  #slabUsed = 0;

  /** Reads the header of `value`; `maxPayloadBytes` bounds a decompression. */
  peek(value: Uint8Array | null, maxPayloadBytes: number): void {
    this.timeMs = NaN;
    this.value = value;
    this.#threadStart = this.#threadEnd = -1;
    this.#body = EMPTY;
    if (value === null || value.length === 0 || value.length > maxPayloadBytes) return;
    const first = value[0];
    if (first === FRAME_RAW) {
      this.#body = value.subarray(1);
    } else if (first === FRAME_ZSTD || hasZstdMagic(value)) {
      const compressed = first === FRAME_ZSTD ? value.subarray(1) : value;
      // The WASM decoder where it applies (the same bytes, faster), else the strict one.
      let plain = fastZstdDecompressTransient(compressed, maxPayloadBytes);
      if (plain === undefined) {
        try {
          plain = zstdDecompress(compressed, { maxOutputBytes: maxPayloadBytes });
        } catch {
          return;
        }
      }
      // A copy either way: the WASM decoder's memory is reused by its next call.
      const framed = this.#framed(plain);
      this.#body = framed.subarray(1);
      if (framed.length <= maxPayloadBytes) this.value = framed;
    } else {
      this.#body = value;
    }
    this.#scan();
  }

  /** The header's thread id (the producers' Kafka key), or undefined when absent or empty. */
  threadId(): string | undefined {
    if (this.#threadStart < 0 || this.#threadEnd <= this.#threadStart) return undefined;
    return new TextDecoder().decode(this.#body.subarray(this.#threadStart, this.#threadEnd));
  }

  // `plain` 0x00-framed, carved from a slab: a fresh small buffer per record costs more than
  // the copy. Regions are never reused, so nothing applyRecord() keeps can be overwritten.
  #framed(plain: Uint8Array): Uint8Array {
    const size = plain.length + 1;
    let framed: Uint8Array;
    if (size > SLAB_BYTES / 8) {
      framed = new Uint8Array(size);
    } else {
      if (this.#slabUsed + size > this.#slab.length) {
        this.#slab = new Uint8Array(SLAB_BYTES);
        this.#slabUsed = 0;
      }
      framed = this.#slab.subarray(this.#slabUsed, this.#slabUsed + size);
      this.#slabUsed += size;
    }
    framed[0] = FRAME_RAW;
    framed.set(plain, 1);
    return framed;
  }

  // Message → the last oneof member → its last header → timestamp and thread id. Malformed
  // bytes just end the walk: applyRecord() reports them.
  #scan(): void {
    const body = this.#body;
    let memberStart = -1;
    let memberEnd = -1;
    this.#pos = 0;
    while (this.#pos < body.length) {
      const tag = this.#varint(body.length);
      if (tag < 0) return;
      const end = this.#skip(tag & 7, body.length);
      if (end < 0) return;
      const field = Math.floor(tag / 8);
      if ((tag & 7) === WIRE_LEN && field >= 1 && field <= LAST_MESSAGE_FIELD) {
        memberStart = this.#lenStart;
        memberEnd = end;
      }
      this.#pos = end;
    }
    if (memberStart < 0) return;
    let headerStart = -1;
    let headerEnd = -1;
    this.#pos = memberStart;
    while (this.#pos < memberEnd) {
      const tag = this.#varint(memberEnd);
      if (tag < 0) return;
      const end = this.#skip(tag & 7, memberEnd);
      if (end < 0) return;
      if (tag === HEADER_FIELD * 8 + WIRE_LEN) {
        headerStart = this.#lenStart;
        headerEnd = end;
      }
      this.#pos = end;
    }
    if (headerStart < 0) return;
    this.#pos = headerStart;
    let timestampUs = 0;
    while (this.#pos < headerEnd) {
      const tag = this.#varint(headerEnd);
      if (tag < 0) return;
      if (tag === TIMESTAMP_FIELD * 8 + WIRE_VARINT) {
        timestampUs = this.#varint(headerEnd);
        if (timestampUs < 0) return;
        continue;
      }
      const end = this.#skip(tag & 7, headerEnd);
      if (end < 0) return;
      if (tag === THREAD_ID_FIELD * 8 + WIRE_LEN) {
        this.#threadStart = this.#lenStart;
        this.#threadEnd = end;
      }
      this.#pos = end;
    }
    // int64 on the wire: a negative timestamp is a 10-byte varint, read here as >= 2^63.
    if (timestampUs > 0 && timestampUs < 2 ** 63) this.timeMs = timestampUs / 1000;
  }

  // Skips the value after a tag; returns where it ends, or -1. For LEN, #lenStart is set.
  #skip(wireType: number, limit: number): number {
    switch (wireType) {
      case WIRE_VARINT:
        return this.#varint(limit) < 0 ? -1 : this.#pos;
      case WIRE_I64:
        return this.#pos + 8 <= limit ? this.#pos + 8 : -1;
      case WIRE_I32:
        return this.#pos + 4 <= limit ? this.#pos + 4 : -1;
      case WIRE_LEN: {
        const length = this.#varint(limit);
        if (length < 0 || this.#pos + length > limit) return -1;
        this.#lenStart = this.#pos;
        return this.#pos + length;
      }
      default:
        return -1; // groups are not used by DashStream
    }
  }

  // An unsigned varint (up to 10 bytes) as a number (exact below 2^53), or -1 if malformed.
  #varint(limit: number): number {
    const body = this.#body;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= limit) return -1;
      const byte = body[this.#pos++];
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    return -1;
  }
}
