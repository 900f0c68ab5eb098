/**
 * Hostile inputs for tests: decompression bombs that are tiny to store.
 * @module
 */

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
