import assert from "node:assert/strict";
import { encodeDelimited, readDelimited, RecordFileError } from "./record_file.ts";
import { concatBytes } from "../util/concat_bytes.ts";

Deno.test("encodeDelimited() writes a varint length then the bytes", () => {
  assert.deepEqual([...encodeDelimited(new Uint8Array([0, 9]))], [2, 0, 9]);
  const big = encodeDelimited(new Uint8Array(300));
  assert.deepEqual([...big.subarray(0, 2)], [0xac, 0x02]);
  assert.equal(big.length, 302);
});

Deno.test("readDelimited() reads back what encodeDelimited() wrote, with offsets", () => {
  const values = [new Uint8Array([0, 1]), new Uint8Array(0), new Uint8Array(200).fill(7)];
  const file = concatBytes(values.map(encodeDelimited));
  const records = [...readDelimited(file)];
  assert.deepEqual(records.map((r) => [...r.value]), values.map((v) => [...v]));
  assert.deepEqual(records.map((r) => [r.index, r.offset]), [[1, 0], [2, 3], [3, 4]]);
});

Deno.test("readDelimited() names the record and offset of a truncated last record", () => {
  const file = concatBytes([
    encodeDelimited(new Uint8Array([0, 1])),
    encodeDelimited(new Uint8Array(10)),
  ])
    .subarray(0, 8);
  assert.throws(() => [...readDelimited(file)], (error: unknown) => {
    assert.ok(error instanceof RecordFileError);
    assert.equal(error.problem, "truncated_record");
    assert.equal(error.index, 2);
    assert.equal(error.offset, 3);
    assert.match(error.message, /record 2 at byte offset 3: declares 10 bytes but only 4 remain/);
    return true;
  });
});

Deno.test("readDelimited() rejects a corrupt length prefix", () => {
  const file = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.throws(() => [...readDelimited(file)], /record 1 at byte offset 0: corrupt length/);
  assert.throws(() => [...readDelimited(new Uint8Array([0x80]))], /ends inside a length prefix/);
});
