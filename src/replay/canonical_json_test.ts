import assert from "node:assert/strict";
import { decodeRecord } from "../wire/decode.ts";
import { CanonicalJsonError, canonicalJsonToRecord } from "./canonical_json.ts";
import { assertThrowsMatch } from "../../tests/support/assert_throws.ts";

Deno.test("canonicalJsonToRecord() encodes a message 0x00-framed, never compressed", () => {
  const value = canonicalJsonToRecord({
    metrics: {
      header: { timestampUs: "1767225600000000", thread_id: "s-1" },
      scope: "quality",
      metrics: { passed: { boolValue: true } },
      tags: { pad: "x".repeat(2000) },
    },
  });
  assert.equal(value[0], 0x00);
  const message = decodeRecord(value);
  assert.equal(message.message.case, "metrics");
  if (message.message.case !== "metrics") return;
  assert.equal(message.message.value.header?.threadId, "s-1");
  assert.equal(message.message.value.header?.timestampUs, 1767225600000000n);
  assert.equal(message.message.value.metrics.passed.value.value, true);
});

for (
  const [what, json, message] of [
    ["an unknown field", { metrics: {}, colour: "blue" }, /colour/],
    ["a wrong type", { metrics: { scope: 5 } }, /scope/],
    ["an empty object", {}, /sets none of event, stateDiff/],
  ] as const
) {
  Deno.test(`canonicalJsonToRecord() rejects ${what}`, () => {
    assertThrowsMatch(() => canonicalJsonToRecord(json), { type: CanonicalJsonError, message });
  });
}
