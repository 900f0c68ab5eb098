import assert from "node:assert/strict";
import { InputError } from "./errors.ts";
import { readJsonLines } from "./jsonl.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const EVENT = '{"event": {"nodeId": "n"}}';

Deno.test("readJsonLines() numbers records past blank lines and gives their byte offsets", () => {
  const input = `\n${EVENT}\r\n\n  \n{"value": "AP8=", "key": "k", "timestamp": 5}\n${EVENT}`;
  const records = [...readJsonLines(bytes(input))];
  assert.deepEqual(records.map((r) => [r.index, r.offset]), [[1, 1], [2, 33], [3, 79]]);
  assert.deepEqual(records[1], {
    index: 2,
    offset: 33,
    value: new Uint8Array([0x00, 0xff]),
    key: "k",
    timestampMs: 5,
  });
  assert.equal(records[0].value![0], 0x00, "canonical JSON becomes a framed value");
  assert.equal(records[0].key, undefined, "canonical JSON carries no key");
});

Deno.test("readJsonLines() throws InputError naming record, offset and line", () => {
  const input = bytes(`${EVENT}\n\n{"nope": 1}\n`);
  assert.throws(() => [...readJsonLines(input)], (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.problem, "bad_message");
    assert.equal(error.index, 2);
    assert.equal(error.offset, EVENT.length + 2);
    assert.match(error.message, /^record 2 at byte offset 28: line 3 is neither a record envelope/);
    return true;
  });
});

Deno.test("readJsonLines() hands bad lines to onBad and goes on", () => {
  const bad: InputError[] = [];
  const input = bytes(`not json\n${EVENT}\n{"value": 1}\n[]\n${EVENT}\n`);
  const records = [...readJsonLines(input, { onBad: (e) => bad.push(e) })];
  assert.deepEqual(records.map((r) => r.index), [2, 5]);
  assert.deepEqual(bad.map((e) => [e.index, e.problem]), [
    [1, "bad_json"],
    [3, "bad_envelope"],
    [4, "bad_json"],
  ]);
});

Deno.test("readJsonLines() reports a line that is not UTF-8", () => {
  const input = new Uint8Array([...bytes(`${EVENT}\n`), 0x7b, 0xff, 0x7d, 0x0a]);
  assert.throws(() => [...readJsonLines(input)], /record 2 at byte offset 27: line 2 is not UTF-8/);
});
