import { deepStrictEqual, equal, ok } from "node:assert/strict";
import zlib from "node:zlib";
import { Prng } from "../../tests/support/sample/prng.ts";
import { zstdZeroBomb } from "../../tests/support/sample/hostile.ts";
import { sampleRecords } from "../../tests/support/sample/quality_events.ts";
import { cat, mutate } from "../../tests/support/protobuf.ts";
import {
  declaredContentSize,
  FAST_ZSTD_MAX_BYTES,
  fastZstdDecompress,
  fastZstdDecompressTransient,
  fastZstdReady,
} from "./fast_zstd.ts";
import { zstdCompress, zstdDecompress } from "./zstd.ts";

const MIB = 1024 * 1024;
const LIMIT = 10 * MIB;
const loaded = await fastZstdReady;

/** The strict path's bytes, or undefined when it rejects the frame. */
function strict(frame: Uint8Array, limit = LIMIT): Uint8Array | undefined {
  try {
    return new Uint8Array(zstdDecompress(frame, { maxOutputBytes: limit }));
  } catch {
    return undefined;
  }
}

/** Whenever the fast path gives bytes, the strict path gives the same bytes. */
function agree(frame: Uint8Array, label: string, limit = LIMIT): Uint8Array | undefined {
  const fast = fastZstdDecompress(frame, limit);
  if (fast !== undefined) deepStrictEqual(fast, strict(frame, limit), label);
  return fast;
}

function text(size: number, seed = 1): Uint8Array {
  const rng = new Prng(seed);
  const words = ["node", "score", "retrieve", "rerank", "gpt-4o", "ms", "ok", "\n"];
  const out = new Uint8Array(size);
  let pos = 0;
  while (pos < size) {
    for (const byte of new TextEncoder().encode(rng.pick(words) + " ")) {
      if (pos < size) out[pos++] = byte;
    }
  }
  return out;
}

const sampleFrames = sampleRecords(3000, { seed: 5 })
  .filter(({ value }) => value[0] === 0x01)
  .map(({ value }) => value.subarray(1));

Deno.test("fastZstdReady loads the WASM decoder on this runtime", () => {
  equal(loaded, true);
});

Deno.test("fastZstdDecompress() gives the strict path's bytes for every sample frame", () => {
  ok(sampleFrames.length > 800);
  for (const [i, frame] of sampleFrames.entries()) {
    const fast = agree(frame, `frame ${i}`);
    ok(fast !== undefined, `frame ${i} took the fast path`);
  }
});

Deno.test("fastZstdDecompress() reads frames of every level, size and checksum setting", () => {
  for (const size of [1, 100, 255, 256, 257, 5000, 65791, 65792, 200_000, FAST_ZSTD_MAX_BYTES]) {
    const data = text(size, size);
    for (const level of [1, 3, 19]) {
      const frame = zstdCompress(data, { level });
      deepStrictEqual(agree(frame, `size ${size} level ${level}`), data);
    }
    const checked = zlib.zstdCompressSync(data, {
      params: { [zlib.constants.ZSTD_c_checksumFlag]: 1 },
      pledgedSrcSize: size,
    } as zlib.ZstdOptions);
    deepStrictEqual(agree(checked, `size ${size} with checksum`), data);
    const badSum = checked.slice();
    badSum[badSum.length - 1] ^= 0xff;
    equal(agree(badSum, `size ${size} bad checksum`), undefined);
  }
});

Deno.test("fastZstdDecompress() leaves other frames to the strict path", () => {
  const data = text(3000);
  const frame = zstdCompress(data);
  // As streaming compressors write it: no declared content size.
  const streamed = zstdZeroBomb(4096, { declareSize: false });
  equal(declaredContentSize(streamed), undefined);
  deepStrictEqual(strict(streamed), new Uint8Array(4096));
  const skippable = Uint8Array.of(0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 0xaa, 0xbb);
  const zeros = zstdZeroBomb(4096, { declareSize: true });
  deepStrictEqual(agree(zeros, "4 KiB of zeros"), new Uint8Array(4096));
  const cases: [string, Uint8Array, number?][] = [
    ["no declared size", streamed],
    ["declared size 0", zstdCompress(new Uint8Array(0))],
    ["over the caller's limit", frame, data.length - 1],
    ["over FAST_ZSTD_MAX_BYTES", zstdCompress(text(FAST_ZSTD_MAX_BYTES + 1))],
    ["a 50 MiB bomb", zstdZeroBomb(50 * MIB, { declareSize: true })],
    ["declaring less than it holds", withDeclaredSize(zeros, 16)],
    ["declaring more than it holds", withDeclaredSize(zeros, 4097)],
    ["two frames with content", cat(frame, frame)],
    ["a skippable frame first", cat(skippable, frame)],
    ["1 trailing byte", cat(frame, [0])],
    ["4 trailing bytes", cat(frame, [1, 2, 3, 4])],
    ["9 trailing bytes", cat(frame, [1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ["not zstd", new TextEncoder().encode("definitely not a zstd frame")],
    ["empty", new Uint8Array(0)],
  ];
  for (const [label, input, limit] of cases) {
    equal(fastZstdDecompress(input, limit ?? LIMIT), undefined, label);
  }
  for (let cut = 0; cut < frame.length; cut++) {
    equal(fastZstdDecompress(frame.subarray(0, cut), LIMIT), undefined, `cut at ${cut}`);
  }
  // What the strict path also accepts the fast path may take, with the same bytes.
  deepStrictEqual(agree(cat(frame, skippable), "skippable after"), data);
  deepStrictEqual(fastZstdDecompress(frame, data.length), data);
});

Deno.test("fastZstdDecompress() agrees with the strict path on 20,000 mutated frames", () => {
  const rng = new Prng(77);
  let taken = 0;
  for (let i = 0; i < 20_000; i++) {
    const frame = mutate(sampleFrames[i % sampleFrames.length], rng);
    if (agree(frame, `mutation ${i}`) !== undefined) taken++;
  }
  ok(taken > 0, "some mutations still decode");
});

Deno.test("fastZstdDecompress() stays correct when the WASM memory grows", () => {
  const small = sampleFrames[0];
  const expected = strict(small);
  const view = fastZstdDecompressTransient(small, LIMIT);
  deepStrictEqual(view === undefined ? undefined : view.slice(), expected);
  const big = text(FAST_ZSTD_MAX_BYTES - 7, 3);
  deepStrictEqual(fastZstdDecompress(zstdCompress(big), LIMIT), big);
  deepStrictEqual(fastZstdDecompress(small, LIMIT), expected);
  // The copying variant's result is the caller's: later calls leave it alone.
  const kept = fastZstdDecompress(small, LIMIT);
  fastZstdDecompress(sampleFrames[1], LIMIT);
  deepStrictEqual(kept, expected);
});

Deno.test("fastZstdDecompress() reuses its decoder context: a failed frame leaves nothing behind", () => {
  // Frames that pass the header checks and fail inside the decoder, at its start, midway
  // (after writing part of the output) or at the final checksum.
  const data = text(20_000, 9);
  // A copy: Buffer's slice() below would be a view, and the corruptions would reach `checked`.
  const checked = new Uint8Array(zlib.zstdCompressSync(data, {
    params: { [zlib.constants.ZSTD_c_checksumFlag]: 1 },
    pledgedSrcSize: data.length,
  } as zlib.ZstdOptions));
  const badSum = checked.slice();
  badSum[badSum.length - 1] ^= 0xff;
  const corruptMiddle = checked.slice();
  for (let i = checked.length >> 1; i < (checked.length >> 1) + 16; i++) corruptMiddle[i] ^= 0x5a;
  const rng = new Prng(3);
  const failing: [string, Uint8Array][] = [
    ["bad checksum", badSum],
    ["corrupt middle", corruptMiddle],
    ["truncated", checked.subarray(0, checked.length - 40)],
    [
      "declaring more than it holds",
      withDeclaredSize(zstdZeroBomb(4096, { declareSize: true }), 5000),
    ],
  ];
  for (let i = 0; i < 300; i++) {
    const mutated = mutate(sampleFrames[i], rng);
    if (declaredContentSize(mutated) !== undefined && strict(mutated) === undefined) {
      failing.push([`mutated frame ${i}`, mutated]);
    }
  }
  ok(failing.length > 20, "enough failing frames");
  for (const [i, [label, bad]] of failing.entries()) {
    equal(fastZstdDecompress(bad, LIMIT), undefined, label);
    // Each time a different good frame, then the same failing frame again.
    const good = sampleFrames[(i * 37) % sampleFrames.length];
    deepStrictEqual(fastZstdDecompress(good, LIMIT), strict(good), `good frame after ${label}`);
    equal(fastZstdDecompress(bad, LIMIT), undefined, `${label} again`);
  }
  deepStrictEqual(fastZstdDecompress(checked, LIMIT), data);
});

Deno.test("declaredContentSize() reads every field size of the frame header", () => {
  const magic = [0x28, 0xb5, 0x2f, 0xfd];
  // Single segment, 1-byte size; then 2-byte (+256), 4-byte, 8-byte sizes with a window byte.
  equal(declaredContentSize(Uint8Array.of(...magic, 0x20, 200)), 200);
  equal(declaredContentSize(Uint8Array.of(...magic, 0x40, 0x58, 0x10, 0x00)), 256 + 16);
  equal(declaredContentSize(Uint8Array.of(...magic, 0x80, 0x58, 1, 2, 3, 4)), 0x04030201);
  equal(
    declaredContentSize(Uint8Array.of(...magic, 0xc0, 0x58, 0, 0, 0, 0, 2, 0, 0, 0)),
    2 * 2 ** 32,
  );
  // A 2-byte dictionary id comes before the size.
  equal(declaredContentSize(Uint8Array.of(...magic, 0x22, 9, 9, 77)), 77);
  equal(declaredContentSize(Uint8Array.of(...magic, 0x00, 0x58)), undefined);
  equal(declaredContentSize(Uint8Array.of(...magic, 0x28, 200)), undefined); // reserved bit
  equal(declaredContentSize(Uint8Array.of(...magic, 0x80, 0x58, 1)), undefined); // truncated
  equal(declaredContentSize(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfc, 0x20, 1)), undefined);
});

/** `frame` with its 4-byte declared content size replaced by `size`. */
function withDeclaredSize(frame: Uint8Array, size: number): Uint8Array {
  const out = frame.slice();
  const descriptor = out[4];
  ok(descriptor >> 6 === 2 && (descriptor & 0x20) === 0 && (descriptor & 3) === 0, "4-byte size");
  new DataView(out.buffer).setUint32(6, size, true);
  return out;
}
