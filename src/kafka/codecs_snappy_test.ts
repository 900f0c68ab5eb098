import { deepStrictEqual, equal } from "node:assert/strict";
import { snappyCompress, snappyDecompress, XERIAL_MAGIC } from "./codecs_snappy.ts";
import {
  assertCorrupt,
  assertTooLarge,
  b64,
  type CorruptCase,
  noise,
  TEST_CAP as MAX,
  utf8,
  varied,
} from "../../tests/support/codec_inputs.ts";

// Test vectors made with python-snappy 0.7 and kafka-python 2.x's xerial
// encoder (kafka.codec.snappy_encode) from varied(40) below.

// xerial framing (xerial_blocksize=2048): header, then two blocks of 573 and
// 267 bytes holding 2048 + 630 bytes.
const SNAPPY_XERIAL_2BLOCKS = b64(
  "glNOQVBQWQAAAAABAAAAAQAAAj2AEKh7InNlcSI6MCwibW9kZWwiOiJncHQtNG8tbWluaSIsImxhdGVuY3lfbXMi" +
    "ASU4cGFzc2VkIjpmYWxzZX0KDT4AMRk+IGxsYW1hMzo4Yjo8ABA3OTE5LBU/CHRydRk+ADIZPmRjbGF1ZGUtMy01" +
    "LXNvbm5ldC0yMDI0MTAyMjpPAAw1ODMxWk8AADMZTwnLOjsADDM3NDMZOzbJAAA0PjwATgcBDDE2NTUZQTLLAAA1" +
    "GUBeCQEMOTU3NFo+AAA2GT6iCQEMNzQ4NhlPNs4AADcZUABnJdU6CgEMNTM5OBk8MskAADg+OwBOCQEMMzMxMFpA" +
    "AAA5GUBeCQEMMTIyMhk+NroAAVhRkKILAQg5MTReFAIAMV2iUgsBCDcwNV0VMgsBADFdoAk8TgwBCDQ5Nl0VOs4A" +
    "XZNeDgEMMjg3NzkONoEAXZaiDQEENzhebwMAMV2lCdA6FwIIODcwXRc6ywBdpAk9Tg0BCDY2Ml4ZAgAxXZVeDAEI" +
    "NDUzXRo2DAFdmaIMAQgyNDR9czrRAF2qCdE6DgEEMzV9YDKMAAHkUaUJO04MAQg4MjddGTZBAF2WXgwBCDYxOF0Y" +
    "NrwAYUARgaINAQg0MDleGgIAMl2oCdE6DAEEMjBhSdEENswAXaUJPE4NAQg5OTNdGTrOAF2YXg4BCDc4NF4aAgAy" +
    "XZqiDQEINTc1XRo20QBdqQnROg0BCDM2Nl0aOswAXacJPU4OAQgxNTd9aTZ+AF2XXg0BCDk0OV0bMj8AIWaWGgIA" +
    "AAEL9gTwPGF0ZW5jeV9tcyI6NzQwOSwicGFzc2VkIjpmYWxzZX0KeyJzZXEiOjMxLCJtb2RlbCI6ImdwdC00byIs" +
    "ImwdPQw1MzIxGT0IdHJ1HTwAMj48ABAtbWluaTpBAAwzMjMzXkEAADMZQSBsbGFtYTM6OGI6PwAMMTE0NRk/Or0A" +
    "ADQZQGRjbGF1ZGUtMy01LXNvbm5ldC0yMDI0MTAyMjpRAAw5MDY0GVE20QAANRlQUg0BDDY5NzZePAAANj48AE4N" +
    "AQw0ODg4GUE6zgAANxlCXg4BDDI4MDAZQDa9AAg4LCIxyqINAQg3MTJeTwAAORlPUgwBBDg2QTw4cGFzc2VkIjpm" +
    "YWxzZX0K",
);

// Raw snappy (snappy.compress), no framing.
const SNAPPY_RAW = b64(
  "9hSoeyJzZXEiOjAsIm1vZGVsIjoiZ3B0LTRvLW1pbmkiLCJsYXRlbmN5X21zIgElOHBhc3NlZCI6ZmFsc2V9Cg0+" +
    "ADEZPiBsbGFtYTM6OGI6PAAQNzkxOSwVPwh0cnUZPgAyGT5kY2xhdWRlLTMtNS1zb25uZXQtMjAyNDEwMjI6TwAM" +
    "NTgzMVpPAAAzGU8Jyzo7AAwzNzQzGTs2yQAAND48AE4HAQwxNjU1GUEyywAANRlAXgkBDDk1NzRaPgAANhk+ogkB" +
    "DDc0ODYZTzbOAAA3GVAAZyXVOgoBDDUzOTgZPDLJAAA4PjsATgkBDDMzMTBaQAAAORlAXgkBDDEyMjIZPja6AAFY" +
    "UZCiCwEIOTE0XhQCADFdolILAQg3MDVdFTILAQAxXaAJPE4MAQg0OTZdFTrOAF2TXg4BDDI4Nzc5DjaBAF2Wog0B" +
    "BDc4Xm8DADFdpQnQOhcCCDg3MF0XOssAXaQJPU4NAQg2NjJeGQIAMV2VXgwBCDQ1M10aNgwBXZmiDAEIMjQ0fXM6" +
    "0QBdqgnROg4BBDM1fWAyjAAB5FGlCTtODAEIODI3XRk2QQBdll4MAQg2MThdGDa8AGFAEYGiDQEINDA5XhoCADJd" +
    "qAnROgwBBDIwYUnRBDbMAF2lCTxODQEIOTkzXRk6zgBdmF4OAQg3ODReGgIAMl2aog0BCDU3NV0aNtEAXakJ0ToN" +
    "AQgzNjZdGjrMAF2nCT1ODgEIMTU3fWk2fgBdl14NAQg5NDldGzI/ACFmwhoCCDc0MF0aNtEA4W4RUQnROg4BBDUz" +
    "Qc5SGwJhzTY8AE4NAQgzMjNeggUBGRFBXg0BCDExNH1nOr0AXZyiGwIIOTA2XhsCADNdqlINAQg2OTddGzaaAV2n" +
    "CTxODQEINDg4XRo6zgBdmV4OAQgyODB9aDaBAF2bog0BADfhBVbdAV2pCdA6GQIEODZBPDhwYXNzZWQiOmZhbHNl" +
    "fQo=",
);

Deno.test("snappyDecompress() reads a xerial stream with two blocks", () => {
  deepStrictEqual(SNAPPY_XERIAL_2BLOCKS.subarray(0, 8), XERIAL_MAGIC);
  deepStrictEqual(snappyDecompress(SNAPPY_XERIAL_2BLOCKS, MAX), varied(40));
});

Deno.test("snappyDecompress() reads a raw snappy block", () => {
  deepStrictEqual(snappyDecompress(SNAPPY_RAW, MAX), varied(40));
});

Deno.test("snappyDecompress() ignores the xerial version fields", () => {
  const littleEndian = SNAPPY_XERIAL_2BLOCKS.slice();
  littleEndian.set([1, 0, 0, 0, 1, 0, 0, 0], 8); // as some brokers write them
  deepStrictEqual(snappyDecompress(littleEndian, MAX), varied(40));
});

Deno.test("snappyDecompress() rejects corrupt input with a CodecError", () => {
  const longer = SNAPPY_RAW.slice();
  longer[0] += 1; // declared length one byte more than the block holds
  const cases: CorruptCase[] = [
    ["truncated xerial block", SNAPPY_XERIAL_2BLOCKS.subarray(0, 500), /claims 573 bytes/],
    ["cut block length", SNAPPY_XERIAL_2BLOCKS.subarray(0, 18), /block length/],
    ["short raw block", longer, /declares 2679 bytes but holds 2678/],
    ["truncated raw block", SNAPPY_RAW.subarray(0, 300), /passes the end|holds/],
    ["bad copy offset", Uint8Array.of(8, 0x01, 0x41, 0x05, 0x09), /offset/],
    ["empty", new Uint8Array(0), /length header/],
  ];
  assertCorrupt(cases, { codec: "snappy", decompress: (input) => snappyDecompress(input, MAX) });
});

Deno.test("snappyDecompress() stops at maxOutputBytes", () => {
  for (const input of [SNAPPY_RAW, SNAPPY_XERIAL_2BLOCKS]) {
    assertTooLarge(() => snappyDecompress(input, { maxOutputBytes: 2677 }));
    equal(snappyDecompress(input, { maxOutputBytes: 2678 }).length, 2678);
  }
});

Deno.test("snappyCompress() writes snappy-java's xerial framing", () => {
  const stream = snappyCompress(new Uint8Array(70_000).fill(65));
  deepStrictEqual(stream.subarray(0, 16), Uint8Array.of(...XERIAL_MAGIC, 0, 0, 0, 1, 0, 0, 0, 1));
  let blocks = 0;
  for (let pos = 16; pos < stream.length; blocks++) {
    pos += 4 + new DataView(stream.buffer, stream.byteOffset + pos).getInt32(0);
  }
  equal(blocks, 3); // 32 KiB + 32 KiB + 4464 bytes
});

Deno.test("snappyCompress() round trips through snappyDecompress()", () => {
  for (const input of [new Uint8Array(0), utf8("x"), varied(40), varied(2000), noise(100_000, 7)]) {
    deepStrictEqual(snappyDecompress(snappyCompress(input), MAX), input, `${input.length}`);
  }
});
