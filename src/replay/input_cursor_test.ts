import assert from "node:assert/strict";
import { InputCursor } from "./input_cursor.ts";
import type { InputRecord } from "./record.ts";

const record = (index: number, offset: number): InputRecord => ({ index, offset, value: null });

Deno.test("InputCursor takes the records in order, tracking the offset reached and the end", () => {
  const input = new InputCursor([record(1, 0), record(2, 17)].values());
  assert.deepEqual([input.done, input.position], [false, 0]);
  assert.equal(input.next()?.index, 1);
  assert.deepEqual([input.done, input.position], [false, 0]);
  assert.equal(input.next()?.index, 2);
  assert.deepEqual([input.done, input.position], [false, 17]);
  assert.equal(input.next(), undefined);
  assert.deepEqual([input.done, input.position], [true, 17]);
});

Deno.test("InputCursor on an empty input is done at the first pull", () => {
  const input = new InputCursor([].values());
  assert.equal(input.next(), undefined);
  assert.deepEqual([input.done, input.position], [true, 0]);
});
