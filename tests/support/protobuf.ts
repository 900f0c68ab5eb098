/**
 * Test support for hand-written protobuf readers: fields written by protobuf-es's `BinaryWriter`,
 * byte concatenation for hand-made (and malformed) messages, and random byte mutations. Used by the wire and event tests; not part of
 * any public API.
 * @module
 */

import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { Prng } from "./sample/prng.ts";
import { concatBytes } from "../../src/util/concat_bytes.ts";

/** Bytes of a message part: raw bytes or a list of byte values. */
export type Part = Uint8Array | readonly number[];

/** Concatenates parts. */
export function cat(...parts: Part[]): Uint8Array {
  return concatBytes(
    parts.map((part) => part instanceof Uint8Array ? part : Uint8Array.from(part)),
  );
}

/** A varint; negative numbers as 64-bit two's complement (10 bytes), as int64 is written. */
export function varint(value: number | bigint): number[] {
  return [...new BinaryWriter().uint64(BigInt.asUintN(64, BigInt(value))).finish()];
}

/** A tag: field number and wire type (any of the 8, so groups and invalid types too). */
export function tag(field: number, wireType: number): number[] {
  return [...new BinaryWriter().tag(field, wireType as WireType).finish()];
}

/** A varint field (wire type 0). */
export function vfield(field: number, value: number | bigint): number[] {
  return [
    ...new BinaryWriter().tag(field, WireType.Varint).uint64(BigInt.asUintN(64, BigInt(value)))
      .finish(),
  ];
}

/** A length-delimited field (wire type 2) holding the concatenated parts. */
export function lfield(field: number, ...parts: Part[]): Uint8Array {
  return new BinaryWriter().tag(field, WireType.LengthDelimited).bytes(cat(...parts)).finish();
}

/** A string field; `text` may also be raw bytes (e.g. invalid UTF-8). */
export function sfield(field: number, text: string | Uint8Array): Uint8Array {
  const writer = new BinaryWriter().tag(field, WireType.LengthDelimited);
  return (typeof text === "string" ? writer.string(text) : writer.bytes(text)).finish();
}

/** A double field (wire type 1). */
export function dfield(field: number, value: number): Uint8Array {
  return new BinaryWriter().tag(field, WireType.Bit64).double(value).finish();
}

/** Applies 1 to 3 random mutations (bit flips, byte changes, cuts, inserts, copies). */
export function mutate(bytes: Uint8Array, rng: Prng): Uint8Array {
  let out: Uint8Array = bytes.slice();
  const steps = rng.int(1, 3);
  for (let step = 0; step < steps; step++) {
    const at = rng.int(0, Math.max(0, out.length - 1));
    switch (rng.int(0, 7)) {
      case 0: // flip a bit
        if (out.length > 0) out[at] ^= 1 << rng.int(0, 7);
        break;
      case 1: // any byte
        if (out.length > 0) out[at] = rng.int(0, 255);
        break;
      case 2: // a byte that means something to a protobuf reader
        if (out.length > 0) out[at] = rng.pick(INTERESTING);
        break;
      case 3: // cut a few bytes
        out = cat(out.subarray(0, at), out.subarray(Math.min(out.length, at + rng.int(1, 4))));
        break;
      case 4: // insert random bytes
        out = cat(out.subarray(0, at), rng.bytes(rng.int(1, 4)), out.subarray(at));
        break;
      case 5: // truncate
        out = out.subarray(0, at);
        break;
      case 6: { // repeat a slice (duplicate fields, when it hits field boundaries)
        const end = Math.min(out.length, at + rng.int(1, 40));
        out = cat(out.subarray(0, end), out.subarray(at, end), out.subarray(end));
        break;
      }
      default: // an interesting byte inserted
        out = cat(out.subarray(0, at), [rng.pick(INTERESTING)], out.subarray(at));
    }
  }
  return out;
}

const INTERESTING = [
  0x00,
  0x01,
  0x02,
  0x07,
  0x08,
  0x0a,
  0x0b,
  0x0c,
  0x0e,
  0x11,
  0x12,
  0x1a,
  0x20,
  0x22,
  0x2a,
  0x32,
  0x33,
  0x34,
  0x7f,
  0x80,
  0xc3,
  0xe2,
  0xf0,
  0xff,
];

/** `bytes` as hex, the first 96 at most, for assertion messages. */
export function hex(bytes: Uint8Array): string {
  const shown = bytes.length > 96 ? bytes.subarray(0, 96) : bytes;
  const text = Array.from(shown, (b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length > 96 ? `${text} ... (${bytes.length} bytes)` : text;
}
