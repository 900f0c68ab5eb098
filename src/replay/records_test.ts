import assert from "node:assert/strict";
import { encodeDelimited } from "../wire/record_file.ts";
import { InputError } from "./errors.ts";
import { countRecords, readRecords } from "./records.ts";

const file = new Uint8Array([
  ...encodeDelimited(new Uint8Array([0, 1])),
  ...encodeDelimited(new Uint8Array([0, 2, 3])),
  ...encodeDelimited(new Uint8Array(10)),
]).subarray(0, 12);

Deno.test("readRecords() reads size-delimited records with their number and offset", () => {
  const records = [...readRecords(file.subarray(0, 7), "delimited")];
  assert.deepEqual(records.map((r) => [r.index, r.offset, [...r.value!]]), [
    [1, 0, [0, 1]],
    [2, 3, [0, 2, 3]],
  ]);
});

Deno.test("readRecords() turns a damaged record file into an InputError", () => {
  assert.throws(() => [...readRecords(file, "delimited")], (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.problem, "truncated_record");
    assert.equal(
      error.message,
      "record 3 at byte offset 7: declares 10 bytes but only 4 remain (truncated file?)",
    );
    return true;
  });
});

Deno.test("readRecords() with onBad stops at damage it cannot read past", () => {
  const bad: InputError[] = [];
  const records = [...readRecords(file, "delimited", { onBad: (e) => bad.push(e) })];
  assert.equal(records.length, 2);
  assert.deepEqual(bad.map((e) => [e.index, e.offset]), [[3, 7]]);
});

Deno.test("countRecords() counts, or throws the first bad input", () => {
  assert.equal(countRecords(file.subarray(0, 7), "delimited"), 2);
  assert.equal(
    countRecords(new TextEncoder().encode('{"value": null}\n\n{"value": ""}'), "jsonl"),
    2,
  );
  assert.throws(() => countRecords(file, "delimited"), InputError);
});
