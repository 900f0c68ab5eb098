/**
 * Hostile inputs for tests: decompression and rendering bombs that are tiny to store.
 * @module
 */

import { cat, lfield } from "../protobuf.ts";

/**
 * A zstd frame of `size` zero bytes, built from 128 KiB RLE blocks of 4 bytes
 * each as the zstd CLI writes zeros: 50 MiB fits in 1.6 KB. With `declareSize`
 * the frame header states the content size (as single-shot compressors
 * write); without it, a decoder learns the size only by decompressing (as
 * streaming compressors write).
 */
export function zstdZeroBomb(size: number, options: { declareSize?: boolean } = {}): Uint8Array {
  const block = 128 * 1024;
  const blocks = Math.max(1, Math.ceil(size / block));
  // Frame header: magic, descriptor (0x80: 4-byte content size), window 2 MiB (0x58).
  const header = options.declareSize
    ? [0x28, 0xb5, 0x2f, 0xfd, 0x80, 0x58, ...u32le(size)]
    : [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58];
  const out = new Uint8Array(header.length + blocks * 4);
  out.set(header);
  for (let i = 0; i < blocks; i++) {
    const length = Math.min(block, size - i * block);
    const last = i === blocks - 1 ? 1 : 0;
    const blockHeader = (length << 3) | (1 << 1) | last; // type 1: RLE, then one byte to repeat
    out.set([...u32le(blockHeader).slice(0, 3), 0], header.length + i * 4);
  }
  return out;
}

function u32le(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
}

/**
 * A framed `event_batch` of `events` empty events, 2 bytes each, after an optional header (a
 * `Header` message's bytes): tiny on the wire, but `tail` writes every event as an object, so
 * 5 million of them (10 MB) would be hundreds of MB of JSON.
 */
export function emptyEventsRecord(
  events: number,
  options: { header?: Uint8Array } = {},
): Uint8Array {
  const empties = new Uint8Array(2 * events);
  for (let i = 0; i < events; i++) empties[2 * i] = 0x12; // events (field 2), length 0
  const header = options.header === undefined ? [] : lfield(1, options.header);
  return cat([0x00], lfield(8, header, empties)); // framed; DashStreamMessage.event_batch (8)
}
