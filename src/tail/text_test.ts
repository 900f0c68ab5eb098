import assert from "node:assert/strict";
import { bytesText, hex, idText, payloadValue } from "./bytes_text.ts";
import { jsonText } from "./json_text.ts";
import { shortestFloat32 } from "./message_json.ts";
import { durationText, isoFromMicros, isoFromMs, millisText } from "./time_text.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

Deno.test("jsonText() writes bigints as exact numbers and non-finite numbers as strings", () => {
  assert.equal(
    jsonText({ a: 9007199254740993n, b: [1.5, NaN, -Infinity], c: null, d: 'q"' }),
    '{"a":9007199254740993,"b":[1.5,"NaN","-Infinity"],"c":null,"d":"q\\""}',
  );
});

Deno.test("idText() shows 16 bytes as a UUID and other lengths as hex", () => {
  const uuid = Uint8Array.from({ length: 16 }, (_, i) => i);
  assert.equal(idText(uuid), "00010203-0405-0607-0809-0a0b0c0d0e0f");
  assert.equal(idText(new Uint8Array([0xde, 0xad])), "dead");
  assert.equal(idText(new Uint8Array()), "");
  assert.equal(hex(new Uint8Array([0, 255])), "00ff");
});

Deno.test("payloadValue() embeds JSON documents, keeps text, and base64s binary", () => {
  assert.deepEqual(payloadValue(utf8('{"a":[1,2]}')), { a: [1, 2] });
  assert.equal(payloadValue(utf8("2")), "2", "only objects and arrays unless declared JSON");
  assert.equal(payloadValue(utf8("2"), { anyJson: true }), 2);
  assert.equal(payloadValue(utf8("{not json")), "{not json");
  assert.equal(payloadValue(new Uint8Array([0xff, 0x00])), "base64:/wA=");
  assert.equal(bytesText(utf8("sess-1")), "sess-1");
});

Deno.test("isoFromMicros() keeps microseconds; 0 means not set", () => {
  assert.equal(isoFromMicros(1_767_225_600_000_123n), "2026-01-01T00:00:00.000123Z");
  assert.equal(isoFromMicros(0n), "");
  assert.equal(isoFromMicros(-1n), "1969-12-31T23:59:59.999999Z");
  assert.equal(isoFromMicros(10n ** 30n), "", "out of range");
  assert.equal(isoFromMs(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
});

Deno.test("durationText() and millisText() pick a short unit", () => {
  assert.equal(durationText(850n), "850µs");
  assert.equal(durationText(184_250n), "184.25ms");
  assert.equal(durationText(12_500_000n), "12.5s");
  assert.equal(millisText(2056n), "2056ms");
  assert.equal(millisText(65_000), "65s");
});

Deno.test("shortestFloat32() prints float32 values as written", () => {
  assert.equal(shortestFloat32(Math.fround(0.1)), 0.1);
  assert.equal(shortestFloat32(Math.fround(-0.015625)), -0.015625);
  assert.equal(shortestFloat32(Math.fround(3.4e38)), 3.4e38);
});
