import assert from "node:assert/strict";
import { encodeRecord } from "../wire/encode.ts";
import { encodeDelimited } from "../wire/record_file.ts";
import { qualityMessage } from "../../tests/support/sample/mod.ts";
import { detectFormat } from "./format.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("detectFormat() tells JSON Lines by its opening brace and quote", () => {
  assert.equal(detectFormat(bytes('{"value": "AA=="}\n')), "jsonl");
  assert.equal(detectFormat(bytes('\n\n  {  "metrics": {}}\n')), "jsonl");
  assert.equal(detectFormat(bytes("\ufeff{}\n")), "jsonl");
  assert.equal(detectFormat(bytes('{"metrics": ')), "jsonl", "broken JSON fails later, by line");
});

Deno.test("detectFormat() takes anything else for size-delimited records", () => {
  assert.equal(detectFormat(new Uint8Array(0)), "delimited");
  assert.equal(detectFormat(encodeDelimited(encodeRecord(qualityMessage()))), "delimited");
  // A 123-byte framed record starts with "{" then its 0x00 framing byte.
  const record = new Uint8Array(123);
  assert.equal(detectFormat(encodeDelimited(record)), "delimited");
  assert.equal(detectFormat(bytes("[1, 2]\n")), "delimited");
});
