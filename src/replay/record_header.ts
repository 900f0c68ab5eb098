/**
 * A look at a record's header without decoding the record: the event time
 * (`header.timestamp_us`) and the thread id (the producers' Kafka key), read
 * by the wire layer's header peek, with no allocation for an uncompressed
 * record.
 * @module
 */

import { fastZstdDecompressTransient } from "../zstd/fast_zstd.ts";
import * as framing from "../wire/framing.ts";
import { HeaderPeek } from "../wire/header_peek.ts";
import { zstdDecompress } from "../zstd/zstd.ts";

const EMPTY = new Uint8Array(0);
const SLAB_BYTES = 1 << 20;

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
  /** The value to apply: the record itself, or its decompressed message 0x00-framed. */
  value: Uint8Array | null = null;
  readonly #header = new HeaderPeek();
  #slab: Uint8Array = EMPTY;
  #slabUsed = 0;

  /** `header.timestamp_us` in ms, or NaN when absent, zero, negative or unreadable. */
  get timeMs(): number {
    return this.#header.timeMs;
  }

  /** Reads the header of `value`; `maxPayloadBytes` bounds a decompression. */
  peek(value: Uint8Array | null, maxPayloadBytes: number): void {
    this.value = value;
    this.#header.clear();
    if (value === null) return;
    const located = framing.locateFrame(value, maxPayloadBytes);
    const offset = framing.payloadOffset(located);
    if (located === framing.LOCATED.FRAMED_ZSTD || located === framing.LOCATED.LEGACY_ZSTD) {
      const compressed = value.subarray(offset);
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
      this.#header.read(framed, 1); // after the 0x00 written by #framed()
      if (framing.locateFrame(framed, maxPayloadBytes) !== framing.LOCATED.TOO_LARGE) {
        this.value = framed;
      }
    } else if (located === framing.LOCATED.FRAMED || located === framing.LOCATED.LEGACY) {
      this.#header.read(value, offset);
    }
  }

  /** The header's thread id (the producers' Kafka key), or undefined when absent or empty. */
  threadId(): string | undefined {
    return this.#header.threadId();
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
    framed[0] = framing.FRAME_RAW;
    framed.set(plain, 1);
    return framed;
  }
}
