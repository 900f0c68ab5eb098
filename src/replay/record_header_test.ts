import assert from "node:assert/strict";
import { create, equals } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { eventMessage, qualityMessage } from "../../tests/support/sample/mod.ts";
import { decodeRecord } from "../wire/decode.ts";
import { encodeRecord } from "../wire/encode.ts";
import { RecordHeader } from "./record_header.ts";

const LIMIT = 10 * 1024 * 1024;
const T = 1_767_225_600_123_456n;

function peek(value: Uint8Array | null, limit = LIMIT): RecordHeader {
  const header = new RecordHeader();
  header.peek(value, limit);
  return header;
}

Deno.test("RecordHeader.peek() reads the timestamp and thread id of a 0x00-framed record", () => {
  const value = encodeRecord(qualityMessage({ sessionId: "s-1", header: { timestampUs: T } }));
  assert.equal(value[0], 0x00);
  const header = peek(value);
  assert.equal(header.timeMs, 1_767_225_600_123.456);
  assert.equal(header.threadId(), "s-1");
  assert.equal(header.value, value, "an uncompressed record is applied as is");
});

Deno.test("RecordHeader.peek() reads any message kind's header, legacy framing included", () => {
  const value = encodeRecord(eventMessage(), { legacy: true });
  const header = peek(value);
  assert.equal(header.timeMs, 1_767_225_600_000);
  assert.equal(header.threadId(), "sess-7f3a2c91");
  assert.equal(header.value, value);
});

for (const legacy of [false, true]) {
  Deno.test(`RecordHeader.peek() decompresses a ${legacy ? "bare" : "0x01-framed"} zstd record once`, () => {
    const message = qualityMessage({
      passed: true,
      sessionId: "s-zstd",
      header: { timestampUs: T },
      tags: { trace: "retrieve_documents 840ms ".repeat(40) },
    });
    const value = encodeRecord(message, { compression: "always", legacy });
    const header = peek(value);
    assert.equal(header.timeMs, 1_767_225_600_123.456);
    assert.equal(header.threadId(), "s-zstd");
    // What is applied is the same message, 0x00-framed, so applyRecord() needs no zstd.
    assert.equal(header.value![0], 0x00);
    assert.ok(equals(DashStreamMessageSchema, decodeRecord(header.value), decodeRecord(value)));
  });
}

Deno.test("RecordHeader.peek() leaves a record it cannot read to applyRecord()", () => {
  const bad = new Uint8Array([0x01, 0x28, 0xb5, 0x2f, 0xfd, 0x00]);
  const header = peek(bad);
  assert.ok(Number.isNaN(header.timeMs));
  assert.equal(header.value, bad, "corrupt zstd is applied as is, to fail as it would in serve");
  const big = encodeRecord(qualityMessage({ tags: { pad: "x".repeat(900) } }), {
    compression: "always",
  });
  const over = peek(big, 600); // decompresses to more than 600 bytes
  assert.equal(over.value, big);
  assert.ok(Number.isNaN(over.timeMs));
  for (const value of [null, new Uint8Array(0), new Uint8Array([0x00, 0xff, 0xff])]) {
    const h = peek(value);
    assert.ok(Number.isNaN(h.timeMs));
    assert.equal(h.threadId(), undefined);
    assert.equal(h.value, value);
  }
});

Deno.test("RecordHeader.peek() has no time for a missing, zero or negative timestamp", () => {
  assert.ok(Number.isNaN(peek(encodeRecord(qualityMessage({ header: null }))).timeMs));
  assert.ok(
    Number.isNaN(peek(encodeRecord(qualityMessage({ header: { timestampUs: 0n } }))).timeMs),
  );
  const negative = peek(encodeRecord(qualityMessage({ header: { timestampUs: -5n } })));
  assert.ok(Number.isNaN(negative.timeMs));
  assert.equal(negative.threadId(), "sess-7f3a2c91", "the rest of the header is still read");
  const empty = encodeRecord(create(DashStreamMessageSchema, {}));
  assert.ok(Number.isNaN(peek(empty).timeMs));
});

Deno.test("RecordHeader.peek() overwrites everything from the previous record", () => {
  const header = new RecordHeader();
  header.peek(encodeRecord(qualityMessage({ sessionId: "a", header: { timestampUs: T } })), LIMIT);
  header.peek(encodeRecord(qualityMessage({ header: null })), LIMIT);
  assert.ok(Number.isNaN(header.timeMs));
  assert.equal(header.threadId(), undefined);
});
