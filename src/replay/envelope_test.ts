import assert from "node:assert/strict";
import { EnvelopeError, isEnvelope, parseEnvelope } from "./envelope.ts";
import { assertThrowsMatch } from "../../tests/support/assert_throws.ts";

Deno.test("parseEnvelope() reads value, key and timestamp", () => {
  assert.deepEqual(
    parseEnvelope({
      value: "AAEC",
      key: "s-1",
      timestamp: 1767225600000,
      partition: 3,
      offset: "7",
    }),
    { value: new Uint8Array([0, 1, 2]), key: "s-1", timestampMs: 1767225600000 },
  );
  assert.deepEqual(parseEnvelope({ value: null, key: null }), { value: null, key: null });
  assert.deepEqual(parseEnvelope({ value: null, key: "base64:/wA=" }), {
    value: null,
    key: new Uint8Array([0xff, 0x00]),
  });
  assert.deepEqual(parseEnvelope({ value: "AAE" }), { value: new Uint8Array([0, 1]) });
  assert.deepEqual(parseEnvelope({ value: "_-8", topic: "t", headers: {} }), {
    value: new Uint8Array([0xff, 0xef]),
  });
});

Deno.test("parseEnvelope() reads a timestamp as ms, a decimal string or an ISO date", () => {
  const at = (timestamp: unknown) => parseEnvelope({ value: "", timestamp }).timestampMs;
  assert.equal(at(1767225600000), 1767225600000);
  assert.equal(at("1767225600000"), 1767225600000);
  assert.equal(at("2026-01-01T00:00:01Z"), 1767225601000);
  assert.equal(at(null), undefined);
});

for (
  const [what, envelope, message] of [
    ["a non-base64 value", { value: "no spaces!" }, /"value" is not base64/],
    ["a numeric value", { value: 12 }, /"value" must be the record value in base64/],
    ["a base64 value of impossible length", { value: "AAAAA" }, /not base64/],
    ["a numeric key", { value: "", key: 5 }, /"key" must be a string or null, not 5/],
    ["a bad binary key", { value: "", key: "base64:%%" }, /"key" starts with "base64:" but/],
    ["a word for a timestamp", { value: "", timestamp: "soon" }, /"timestamp" must be ms/],
    ["a fractional partition", { value: "", partition: 1.5 }, /"partition" must be a whole/],
  ] as const
) {
  Deno.test(`parseEnvelope() rejects ${what}`, () => {
    assertThrowsMatch(() => parseEnvelope(envelope), { type: EnvelopeError, message });
  });
}

Deno.test("isEnvelope() is true for an object with a value field, even null", () => {
  assert.equal(isEnvelope({ value: null }), true);
  assert.equal(isEnvelope({ metrics: {} }), false);
});
