import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { concatBytes } from "../util/concat_bytes.ts";
import { lz4FrameCompress, lz4FrameDecompress, xxh32 } from "./codecs_lz4.ts";
import {
  assertCorrupt,
  assertTooLarge,
  b64,
  type CorruptCase,
  noise,
  periodic,
  TEST_CAP as MAX,
  utf8,
  varied,
} from "../../tests/support/codec_inputs.ts";

// Test vectors made with the reference LZ4 library (lz4 CLI v1.9.4 and
// python-lz4 4.4.5) from the inputs below; see periodic() and varied().

// `lz4 -B4 -BX --content-size`: FLG 0x7c (independent blocks, block checksums,
// content size, content checksum), 64 KiB blocks, two blocks.
const LZ4_CLI_BX_SIZE = b64(
  "BCJNGHxAuDcBAAAAAAAsoAEAAP8qZGFzaHN0cmVhbSBxdWFsaXR5IGV2ZW50IDA6IG1vZGVsPWdwdC00by1taW5p" +
    "IHNjb3JlPTAuMDcKOQAGHzE5AAkfMTkACB8yOQAJHzI5AAgfMzkACR8zOQAIHzQ5AAkfNDkACB81OQAJHzU5AAgf" +
    "NjkACR82OQAIHzc5AAkfNzkACB84OQAJHzg5AAgfOTkACR85OQAIDzoC////////////////////////////////" +
    "////////////////////////////////////////////////////////////////////////////////////////" +
    "////////////////////////////////////////////////////////////////////////////////////////" +
    "////////////////////////////////////////////////////////////////////////////////////////" +
    "//////////////////////////////////////////+TUDRvLW1pgU9E+9YAAAD3Km5pIHNjb3JlPTAuOTcKZGFz" +
    "aHN0cmVhbSBxdWFsaXR5IGV2ZW50IDA6IG1vZGVsPWdwdC00by1taTkAHzA5AAgfMTkACR8xOQAIHzI5AAkfMjkA" +
    "CB8zOQAJHzM5AAgfNDkACR80OQAIHzU5AAkfNTkACB82OQAJHzY5AAgfNzkACR83OQAIHzg5AAkfODkACB85OQAJ" +
    "DzoC//////////////////////////////////////////////////////////////////////+QUDAuOTcKbdtX" +
    "nAAAAADiK6SB",
);

// python-lz4, block_linked=True, store_size=False, content_checksum=False:
// FLG 0x40, the second block copies from the first.
const LZ4_PY_LINKED = b64(
  "BCJNGEBAwKABAAD/KmRhc2hzdHJlYW0gcXVhbGl0eSBldmVudCAwOiBtb2RlbD1ncHQtNG8tbWluaSBzY29yZT0w" +
    "LjA3CjkABh8xOQAJHzE5AAgfMjkACR8yOQAIHzM5AAkfMzkACB80OQAJHzQ5AAgfNTkACR81OQAIHzY5AAkfNjkA" +
    "CB83OQAJHzc5AAgfODkACR84OQAIHzk5AAkfOTkACA86Av//////////////////////////////////////////" +
    "////////////////////////////////////////////////////////////////////////////////////////" +
    "////////////////////////////////////////////////////////////////////////////////////////" +
    "////////////////////////////////////////////////////////////////////////////////////////" +
    "////////////////////////////////k1A0by1taUQAAAAH1f8P1P3/////////////////////////////////" +
    "////////////////////////////////////////zFAwLjk3CgAAAAA=",
);

// python-lz4 defaults plus content checksum: FLG 0x6c.
const LZ4_PY_SMALL = b64(
  "BCJNGGxAdgoAAAAAAAD8EwMAAPEbeyJzZXEiOjAsIm1vZGVsIjoiZ3B0LTRvLW1pbmkiLCJsYXRlbmN5X21zJQDz" +
    "AHBhc3NlZCI6ZmFsc2V9Cj4AFjE+AJtsbGFtYTM6OGI8AEY3OTE5PwA2dHJ1PgAWMj4A+wtjbGF1ZGUtMy01LXNv" +
    "bm5ldC0yMDI0MTAyMk8ATzU4MzFPAAQWM08AAssACzsARjM3NDM7AArJABw0PAAPBwEBRjE2NTVBAAnLABY1QAAP" +
    "CQEFTzk1NzQ+AAQWNj4ADwkBFkY3NDg2TwAKzgAWN1AADwoBAkY1Mzk4PAAJyQAcODsADwkBAU8zMzEwQAAEFjlA" +
    "AA8JAQVGMTIyMj4ACroAAFgABJACDwsBFj85MTQUAgUXMaICDwsBAjc3MDUVAgkLARcxoAICPAAPDAEBNzQ5NhUC" +
    "C84AB5MCDw4BBUYyODc3DgEKgQAHlgIPDQEWLzc4bwMFFzGlAgLQAAshAzc4NzAXAgvLAAekAgI9AA8NAQE/NjYy" +
    "GQIFFzGVAg8MAQU3NDUzGgIKDAEHmQIPDAEWNzI0NHMDC9EAB6oCAtEACw4BJzM1YAMJjAAA5AAEpQICOwAPDAEB" +
    "NzgyNxkCCkEAB5YCDwwBBTc2MTgYAgq8AABAAwSBAA8NARY/NDA5GgIFFzKoAgLRAAsMASAyMEkDBAQGCswAB6UC" +
    "AjwADw0BATc5OTMZAgvOAAeYAg8OAQU/Nzg0GgIFFzKaAg8NARY3NTc1GgIK0QAHqQIC0QALDQE3MzY2GgILzAAH" +
    "pwICPQAPDgEBNzE1N2kDCn4AB5cCDw0BBTc5NDkbAgk/AABmAQ8aAh43NzQwGgIK0QAAbgcEUQAC0QALDgE/NTMy" +
    "fQUFAM0DCjwADw0BAT8zMjOCBQUAGQAEQQAPDQEFNzExNGcDC70AB5wCDxsCFj85MDYbAgUXM6oCDw0BAjc2OTcb" +
    "AgqaAQenAgI8AA8NAQE3NDg4GgILzgAHmQIPDgEFNzI4MGgDCoEAB5sCDw0BFhA3BQcP+AMCFzOpAgLQAAsZAiA4" +
    "NjwCBDwAcGZhbHNlfQoAAAAAOFMvDQ==",
);

// `lz4` CLI defaults: FLG 0x64 (independent blocks, content checksum).
const LZ4_CLI_DEFAULT = b64(
  "BCJNGGRApxMDAADxG3sic2VxIjowLCJtb2RlbCI6ImdwdC00by1taW5pIiwibGF0ZW5jeV9tcyUA8wBwYXNzZWQi" +
    "OmZhbHNlfQo+ABYxPgCbbGxhbWEzOjhiPABGNzkxOT8ANnRydT4AFjI+APsLY2xhdWRlLTMtNS1zb25uZXQtMjAy" +
    "NDEwMjJPAE81ODMxTwAEFjNPAALLAAs7AEYzNzQzOwAKyQAcNDwADwcBAUYxNjU1QQAJywAWNUAADwkBBU85NTc0" +
    "PgAEFjY+AA8JARZGNzQ4Nk8ACs4AFjdQAA8KAQJGNTM5ODwACckAHDg7AA8JAQFPMzMxMEAABBY5QAAPCQEFRjEy" +
    "MjI+AAq6AABYAASQAg8LARY/OTE0FAIFFzGiAg8LAQI3NzA1FQIJCwEXMaACAjwADwwBATc0OTYVAgvOAAeTAg8O" +
    "AQVGMjg3Nw4BCoEAB5YCDw0BFi83OG8DBRcxpQIC0AALIQM3ODcwFwILywAHpAICPQAPDQEBPzY2MhkCBRcxlQIP" +
    "DAEFNzQ1MxoCCgwBB5kCDwwBFjcyNDRzAwvRAAeqAgLRAAsOASczNWADCYwAAOQABKUCAjsADwwBATc4MjcZAgpB" +
    "AAeWAg8MAQU3NjE4GAIKvAAAQAMEgQAPDQEWPzQwORoCBRcyqAIC0QALDAEgMjBJAwQEBgrMAAelAgI8AA8NAQE3" +
    "OTkzGQILzgAHmAIPDgEFPzc4NBoCBRcymgIPDQEWNzU3NRoCCtEAB6kCAtEACw0BNzM2NhoCC8wAB6cCAj0ADw4B" +
    "ATcxNTdpAwp+AAeXAg8NAQU3OTQ5GwIJPwAAZgEPGgIeNzc0MBoCCtEAAG4HBFEAAtEACw4BPzUzMn0FBQDNAwo8" +
    "AA8NAQE/MzIzggUFABkABEEADw0BBTcxMTRnAwu9AAecAg8bAhY/OTA2GwIFFzOqAg8NAQI3Njk3GwIKmgEHpwIC" +
    "PAAPDQEBNzQ4OBoCC84AB5kCDw4BBTcyODBoAwqBAAebAg8NARYQNwUHD/gDAhczqQIC0AALGQIgODY8AgQ8AHBm" +
    "YWxzZX0KAAAAADhTLw0=",
);

Deno.test("lz4FrameDecompress() reads a frame with content size and block checksums", () => {
  equal(LZ4_CLI_BX_SIZE[4], 0x7c);
  deepStrictEqual(lz4FrameDecompress(LZ4_CLI_BX_SIZE, MAX), periodic(1400));
});

Deno.test("lz4FrameDecompress() reads linked blocks without content size", () => {
  equal(LZ4_PY_LINKED[4], 0x40);
  deepStrictEqual(lz4FrameDecompress(LZ4_PY_LINKED, MAX), periodic(1400));
});

Deno.test("lz4FrameDecompress() reads python-lz4 and lz4 CLI default frames", () => {
  deepStrictEqual(lz4FrameDecompress(LZ4_PY_SMALL, MAX), varied(40));
  deepStrictEqual(lz4FrameDecompress(LZ4_CLI_DEFAULT, MAX), varied(40));
});

Deno.test("lz4FrameDecompress() reads concatenated and skippable frames", () => {
  const skippable = Uint8Array.of(0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9);
  const joined = concatBytes([LZ4_CLI_DEFAULT, skippable, LZ4_PY_LINKED]);
  deepStrictEqual(lz4FrameDecompress(joined, MAX), concatBytes([varied(40), periodic(1400)]));
});

Deno.test("lz4FrameDecompress() accepts the header checksum of Kafka < 0.10", () => {
  const frame = LZ4_PY_LINKED.slice();
  frame[6] = (xxh32(frame, 0, 6) >>> 8) & 0xff; // wrongly covers the magic too
  deepStrictEqual(lz4FrameDecompress(frame, MAX), periodic(1400));
});

Deno.test("lz4FrameDecompress() rejects corrupt frames with a CodecError", () => {
  const cases: CorruptCase[] = [
    ["bad magic", Uint8Array.of(1, 2, 3, 4, 5, 6, 7), /frame magic/],
    ["truncated", LZ4_CLI_DEFAULT.subarray(0, 400), /ends at 400 bytes/],
    ["no end mark", LZ4_PY_LINKED.subarray(0, LZ4_PY_LINKED.length - 4), /block size/],
    ["header checksum", flip(LZ4_PY_SMALL, 14), /header checksum/],
    ["block checksum", flip(LZ4_CLI_BX_SIZE, 40), /block checksum/],
    ["content checksum", flip(LZ4_CLI_DEFAULT, LZ4_CLI_DEFAULT.length - 1), /content checksum/],
    ["bad match offset", flip(LZ4_PY_LINKED, 70, 0x7f), /offset|block/],
  ];
  assertCorrupt(cases, { codec: "lz4", decompress: (input) => lz4FrameDecompress(input, MAX) });
});

Deno.test("lz4FrameDecompress() stops at maxOutputBytes", () => {
  // Declared content size over the limit: rejected before decoding.
  assertTooLarge(() => lz4FrameDecompress(LZ4_CLI_BX_SIZE, { maxOutputBytes: 79_799 }));
  // No declared size: rejected while decoding.
  assertTooLarge(() => lz4FrameDecompress(LZ4_PY_LINKED, { maxOutputBytes: 70_000 }));
  equal(lz4FrameDecompress(LZ4_PY_LINKED, { maxOutputBytes: 79_800 }).length, 79_800);
});

Deno.test("lz4FrameCompress() writes Kafka's frame: independent 64 KiB blocks", () => {
  const frame = lz4FrameCompress(periodic(1400));
  deepStrictEqual([...frame.subarray(0, 6)], [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40]);
  ok(frame.length < 2000, `compressed to ${frame.length} bytes`);
});

Deno.test("lz4FrameCompress() round trips through lz4FrameDecompress()", () => {
  const random = noise(150_000, 1);
  const inputs = [
    new Uint8Array(0),
    utf8("a"),
    utf8("0123456789abc"),
    varied(40),
    periodic(1400),
    new Uint8Array(65_536),
    new Uint8Array(65_537).fill(7),
    random, // incompressible: stored blocks
    concatBytes([random.subarray(0, 70_000), periodic(3000)]),
  ];
  for (const input of inputs) {
    deepStrictEqual(lz4FrameDecompress(lz4FrameCompress(input), MAX), input, `${input.length}`);
  }
});

Deno.test("xxh32() matches the reference xxHash32 values", () => {
  const bytes = new Uint8Array(768).map((_, i) => i & 0xff);
  const cases: [Uint8Array, number][] = [
    [utf8(""), 0x02cc5d05],
    [utf8("a"), 0x550d7456],
    [utf8("abc"), 0x32d153ff],
    [utf8("0123456789abcde"), 0x1dbdfa0f],
    [utf8("0123456789abcdef"), 0xc2c45b69],
    [utf8("Nobody inspects the spammish repetition"), 0xe2293b2f],
    [bytes, 0xcdb946b1],
  ];
  for (const [input, expected] of cases) equal(xxh32(input, 0, input.length), expected);
});

function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index] ^= mask;
  return out;
}
