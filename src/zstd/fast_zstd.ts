/**
 * Fast zstd for the hot path: zstd's C decompressor compiled to WebAssembly by
 * `scripts/build_zstd_wasm.sh` (decompressor only, -O3, embedded as base64 in
 * `src/gen/zstd_wasm.ts`, so a compiled binary stays self-contained and no runtime needs a
 * permission for it), used only for the case that dominates real traffic: one frame that
 * declares its content size, small enough. One decompression context is kept and reused for
 * every frame (zstd resets it at the start of each frame, so an error leaves nothing behind).
 *
 * Why: per call, for a typical 0.75 KB frame, `node:zlib`'s `zstdDecompressSync` costs about
 * 3.5 times as much as this decoder on Deno and about twice as much on Bun (docs/benchmarks.md).
 *
 * Bounded and never looser than {@linkcode zstdDecompress}: the output buffer is exactly the
 * declared content size, which must be within the caller's limit and within
 * {@linkcode FAST_ZSTD_MAX_BYTES} (so the WASM heap stays small), and the result is used only
 * if the decoder produced exactly that many bytes. Anything else — no declared size, an error,
 * a second frame with content, the decoder not loaded — returns `undefined`, and the caller
 * runs the strict path (`unframe()` / `zstdDecompress()`), which gives the same bytes or the
 * same error as before.
 * @module
 */

import { ZSTD_WASM_BASE64 } from "../gen/zstd_wasm.ts";
import { type FrameHeader, readFrameHeader } from "./frame_header.ts";
import { frameCursor, nextFrame } from "./zstd.ts";

/**
 * Largest declared content size (and compressed size) the WASM decoder takes. Bigger frames
 * take the `node:zlib` path, where the per-call overhead no longer matters. 4 MiB, not less: the
 * WASM path reuses its buffers, while each `node:zlib` output is a new allocation that the
 * allocator may keep after it is freed (on Deno, a flood of 1 MiB messages left ~50 MB more
 * resident through `node:zlib` than through here, issue #17); the WASM memory stays under ~8 MiB.
 */
export const FAST_ZSTD_MAX_BYTES = 4 * 1024 * 1024;

/** The exports of src/gen/zstd_wasm.ts's module (zstd 1.5.7 decompressor, wasm32). */
interface ZstdExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(pointer: number): void;
  ZSTD_createDCtx(): number;
  ZSTD_decompressDCtx(
    dctx: number,
    dst: number,
    dstCapacity: number,
    src: number,
    srcSize: number,
  ): number;
}

/** The decompression context, reused for every frame (0 until loaded). */
let dctx = 0;

// Compiled and instantiated synchronously at import: the module is small (tens of KB).
function load(): ZstdExports | undefined {
  try {
    const base64 = atob(ZSTD_WASM_BASE64);
    const bytes = new Uint8Array(base64.length);
    for (let i = 0; i < base64.length; i++) bytes[i] = base64.charCodeAt(i);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
      .exports as Partial<ZstdExports>;
    if (
      !(exports.memory instanceof WebAssembly.Memory) || typeof exports.malloc !== "function" ||
      typeof exports.free !== "function" || typeof exports.ZSTD_createDCtx !== "function" ||
      typeof exports.ZSTD_decompressDCtx !== "function"
    ) {
      return undefined;
    }
    dctx = exports.ZSTD_createDCtx();
    return dctx === 0 ? undefined : exports as ZstdExports;
  } catch {
    return undefined;
  }
}

let wasm: ZstdExports | undefined = load();

/**
 * Whether the WASM decoder loaded (true) or failed to (false; the strict `node:zlib` path is
 * then used for every frame). The WASM is compiled when this file is imported, so it has
 * settled by then; it stays a promise so callers need not know. Correctness never depends on it.
 */
export const fastZstdReady: Promise<boolean> = Promise.resolve(wasm !== undefined);

let heap: Uint8Array = new Uint8Array(0);
let input = 0;
let inputCapacity = 0;
let output = 0;
let outputCapacity = 0;

/**
 * Decompresses `frame` (one zstd frame, e.g. a 0x01-framed record without its first byte) if
 * it is the common case, else returns `undefined` so the caller takes the strict path. Never
 * throws for bad input; never allocates more than the declared size, which must be at most
 * `maxOutputBytes`. The result is the caller's own copy.
 */
export function fastZstdDecompress(
  frame: Uint8Array,
  maxOutputBytes: number,
): Uint8Array | undefined {
  return fastZstdDecompressTransient(frame, maxOutputBytes)?.slice();
}

/**
 * Like {@linkcode fastZstdDecompress}, without the copy: the result is a view of the WASM
 * decoder's memory, valid only until the next call. For a caller that reads it at once (the
 * quality reader) and copies it before keeping anything that may point into it.
 */
export function fastZstdDecompressTransient(
  frame: Uint8Array,
  maxOutputBytes: number,
): Uint8Array | undefined {
  const zstd = wasm;
  if (zstd === undefined || frame.length > FAST_ZSTD_MAX_BYTES) return undefined;
  const size = declaredContentSize(frame);
  // Size 0 is left to the strict path: with it, an empty result would not prove success.
  if (size === undefined || size === 0 || size > maxOutputBytes || size > FAST_ZSTD_MAX_BYTES) {
    return undefined;
  }
  // The decoder also reads the frames after the first (node:zlib ends a frame of a pledged size
  // with an empty one): only data frames within the strict path's caps are taken here
  // (docs/wire_format.md "Rule: decode work"); anything else is left to it.
  if (!withinCaps(frame, maxOutputBytes)) return undefined;
  let written: number;
  try {
    if (frame.length > inputCapacity) {
      if (input !== 0) zstd.free(input);
      inputCapacity = 0;
      input = zstd.malloc(capacityFor(frame.length));
      if (input === 0) return undefined;
      inputCapacity = capacityFor(frame.length);
    }
    if (size > outputCapacity) {
      if (output !== 0) zstd.free(output);
      outputCapacity = 0;
      output = zstd.malloc(capacityFor(size));
      if (output === 0) return undefined;
      outputCapacity = capacityFor(size);
    }
    // Growing the memory (in malloc) detaches the old buffer: the view then reads as empty.
    if (heap.length === 0) heap = new Uint8Array(zstd.memory.buffer);
    heap.set(frame, input);
    // dstCapacity = the declared size: zstd fails rather than write more.
    written = zstd.ZSTD_decompressDCtx(dctx, output, size, input, frame.length);
    if (heap.length === 0) heap = new Uint8Array(zstd.memory.buffer);
  } catch {
    wasm = undefined; // a trapped instance is not trusted again
    return undefined;
  }
  // An error comes back as a negative size_t.
  return written === size ? heap.subarray(output, output + size) : undefined;
}

// Whether `frame` is complete frames within the strict path's caps (zstd.ts `nextFrame()`, the
// one walk of frame structure), each declaring at most `limit` bytes.
function withinCaps(frame: Uint8Array, limit: number): boolean {
  const cursor = frameCursor(limit);
  do {
    if (nextFrame(frame, cursor) !== undefined) return false;
  } while (cursor.end !== frame.length);
  return true;
}

// Buffers grow in 64 KiB steps, so a few sizes cover the whole stream.
function capacityFor(size: number): number {
  return Math.ceil(size / 65536) * 65536;
}

/**
 * The content size declared by the frame header at the start of `frame` (RFC 8878 3.1.1.1),
 * or `undefined` when it is not a zstd data frame that declares one. The rest of the frame is
 * validated by the decoder itself.
 */
export function declaredContentSize(frame: Uint8Array): number | undefined {
  return readFrameHeader(frame, 0, header) === undefined ? header.declaredSize : undefined;
}

const header: FrameHeader = { descriptor: 0, end: 0, declaredSize: undefined };
