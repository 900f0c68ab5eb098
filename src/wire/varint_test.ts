import { deepStrictEqual } from "node:assert/strict";
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { Prng } from "../../tests/support/sample/prng.ts";
import { readTag, readVarint64, varint64 } from "./varint.ts";

type Read = (bytes: Uint8Array) => unknown;

/** What protobuf-es reads: the value (as an unsigned 64-bit bigint) and the end, or "throws". */
function referenceVarint(bytes: Uint8Array): unknown {
  const reader = new BinaryReader(bytes);
  try {
    return { value: BigInt.asUintN(64, BigInt(reader.uint64())), end: reader.pos };
  } catch {
    return "throws";
  }
}

function fastVarint(bytes: Uint8Array): unknown {
  const end = readVarint64(bytes, 0);
  if (end < 0) return "throws";
  const value = (BigInt(varint64.hi >>> 0) << 32n) | BigInt(varint64.lo >>> 0);
  return { value, end };
}

function referenceTag(bytes: Uint8Array): unknown {
  const reader = new BinaryReader(bytes);
  try {
    const [field, wireType] = reader.tag();
    return { tag: field * 8 + wireType, end: reader.pos };
  } catch {
    return "throws";
  }
}

function fastTag(bytes: Uint8Array): unknown {
  const end = readTag(bytes, 0);
  return end < 0 ? "throws" : { tag: varint64.lo, end };
}

function agree(fast: Read, reference: Read, bytes: Uint8Array): void {
  deepStrictEqual(fast(bytes), reference(bytes), `bytes ${Array.from(bytes)}`);
}

const EDGE_VALUES = [
  0n,
  1n,
  127n,
  128n,
  (1n << 28n) - 1n,
  1n << 28n,
  (1n << 31n) - 1n,
  1n << 31n,
  (1n << 32n) - 1n,
  1n << 32n,
  (1n << 35n) + 5n,
  1n << 53n,
  (1n << 63n) - 1n,
  -1n, // ten bytes
  -2n,
  -(1n << 31n),
  -(1n << 63n),
];

Deno.test("readVarint64() reads every edge value as protobuf-es int64() does", () => {
  for (const value of EDGE_VALUES) {
    const bytes = new BinaryWriter().int64(value).finish();
    agree(fastVarint, referenceVarint, bytes);
    // Every truncation of it, and the same value with a byte after it.
    for (let cut = 0; cut < bytes.length; cut++) {
      agree(fastVarint, referenceVarint, bytes.subarray(0, cut));
    }
    agree(fastVarint, referenceVarint, Uint8Array.of(...bytes, 0x2a));
  }
});

Deno.test("readVarint64() treats overlong and odd 10-byte varints as protobuf-es does", () => {
  const cases = [
    [0x80, 0x00], // a redundant zero byte
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], // bits past the 64th dropped
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // 11 bytes
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    [0x80, 0x80, 0x80, 0x80, 0x70], // the 5th byte's high bits go to `hi`
    [0x80],
    [],
  ];
  for (const bytes of cases) agree(fastVarint, referenceVarint, Uint8Array.from(bytes));
});

Deno.test("readTag() accepts and refuses the tags protobuf-es tag() does", () => {
  const cases = [
    [0x08],
    [0x00], // field 0
    [0x0e], // wire type 6
    [0x0f], // wire type 7
    [0x80, 0x01], // field 16
    [0xf8, 0xff, 0xff, 0xff, 0x0f], // the largest field number
    [0xf8, 0xff, 0xff, 0xff, 0x1f], // over uint32
    [0x88, 0x80, 0x80, 0x80, 0x80, 0x00], // field 1 in 6 bytes
    [0x80, 0x00], // field 0, two bytes
    [0x88], // cut short
    [],
  ];
  for (const bytes of cases) agree(fastTag, referenceTag, Uint8Array.from(bytes));
});

Deno.test("readVarint64() and readTag() agree with protobuf-es on 20,000 random inputs", () => {
  const prng = new Prng(12);
  for (let i = 0; i < 20_000; i++) {
    // Mostly continuation bytes, so that long and overlong varints are common.
    const bytes = Uint8Array.from(
      { length: prng.int(0, 12) },
      () => prng.chance(0.25) ? prng.int(0, 255) : prng.int(0x80, 0xff),
    );
    if (bytes.length > 0 && prng.chance(0.5)) bytes[bytes.length - 1] &= 0x7f;
    agree(fastVarint, referenceVarint, bytes);
    agree(fastTag, referenceTag, bytes);
  }
});
