import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { clone, create, equals, toBinary } from "@bufbuild/protobuf";
import {
  CompressionType,
  type DashStreamMessage,
  DashStreamMessageSchema,
  MetricsSchema,
} from "../gen/dashstream_pb.ts";
import { otherKindMessages, qualityMessage } from "../../tests/support/sample/builders.ts";
import { Prng } from "../../tests/support/sample/prng.ts";
import { decodeRecord, decodeRecordDetailed } from "./decode.ts";
import { COMPRESSION_THRESHOLD_BYTES, encodeRecord, messageHeader } from "./encode.ts";

const small = qualityMessage({ qualityScore: 0.9, passed: true, model: "gpt-4o", sessionId: "s1" });

/** A quality event whose encoding is exactly `size` bytes, padded compressibly. */
function eventOfSize(size: number): DashStreamMessage {
  for (let pad = 0; pad < size; pad++) {
    const message = qualityMessage({
      qualityScore: 0.5,
      sessionId: "s",
      tags: { pad: "ab".repeat(pad).slice(0, pad) },
    });
    if (toBinary(DashStreamMessageSchema, message).length === size) return message;
  }
  throw new Error(`no padding gives ${size} bytes`);
}

function compression(message: DashStreamMessage): CompressionType | undefined {
  return messageHeader(message)?.compression;
}

Deno.test("encodeRecord() frames a small message with 0x00 and the raw protobuf", () => {
  const value = encodeRecord(small);
  equal(value[0], 0x00);
  deepStrictEqual(value.subarray(1), toBinary(DashStreamMessageSchema, small));
  ok(equals(DashStreamMessageSchema, decodeRecord(value), small));
});

Deno.test("encodeRecord() zstd-frames a large message and marks header.compression", () => {
  const large = eventOfSize(1500);
  const value = encodeRecord(large);
  equal(value[0], 0x01);
  ok(value.length < 1500);
  const decoded = decodeRecord(value);
  equal(compression(decoded), CompressionType.COMPRESSION_ZSTD);
  const expected = clone(DashStreamMessageSchema, large);
  messageHeader(expected)!.compression = CompressionType.COMPRESSION_ZSTD;
  ok(equals(DashStreamMessageSchema, decoded, expected));
});

Deno.test("encodeRecord() compresses only messages longer than 512 bytes", () => {
  equal(COMPRESSION_THRESHOLD_BYTES, 512);
  equal(encodeRecord(eventOfSize(512))[0], 0x00);
  equal(encodeRecord(eventOfSize(513))[0], 0x01);
});

Deno.test("encodeRecord() keeps a large message raw when zstd does not shrink it", () => {
  const noise = new Prng(7).bytes(900);
  const message = qualityMessage({ metrics: { noise } });
  ok(toBinary(DashStreamMessageSchema, message).length > 512);
  const value = encodeRecord(message);
  equal(value[0], 0x00);
  equal(compression(decodeRecord(value)), CompressionType.COMPRESSION_NONE);
  equal(encodeRecord(message, { compression: "always" })[0], 0x01);
});

Deno.test("encodeRecord() honours compression 'always' and 'never'", () => {
  const always = encodeRecord(small, { compression: "always" });
  equal(always[0], 0x01);
  equal(compression(decodeRecord(always)), CompressionType.COMPRESSION_ZSTD);
  const never = encodeRecord(eventOfSize(2000), { compression: "never" });
  equal(never[0], 0x00);
  equal(never.length, 2001);
});

Deno.test("encodeRecord() leaves the caller's message unchanged", () => {
  const large = eventOfSize(1000);
  const before = clone(DashStreamMessageSchema, large);
  encodeRecord(large);
  encodeRecord(large, { compression: "always", legacy: true });
  ok(equals(DashStreamMessageSchema, large, before));
  equal(compression(large), CompressionType.COMPRESSION_NONE);
});

Deno.test("encodeRecord() with legacy writes unframed protobuf or a bare zstd frame", () => {
  const raw = encodeRecord(small, { legacy: true });
  deepStrictEqual(raw, toBinary(DashStreamMessageSchema, small));
  equal(decodeRecordDetailed(raw).framing, "legacy");
  const zstd = encodeRecord(eventOfSize(1000), { legacy: true });
  deepStrictEqual([...zstd.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
  equal(Object.getPrototypeOf(zstd), Uint8Array.prototype);
  const detailed = decodeRecordDetailed(zstd);
  equal(detailed.framing, "legacy_zstd");
  equal(compression(detailed.message), CompressionType.COMPRESSION_ZSTD);
});

Deno.test("encodeRecord() compresses a message without a header as is", () => {
  const headerless = qualityMessage({ header: null, tags: { pad: "x".repeat(800) } });
  const decoded = decodeRecord(encodeRecord(headerless));
  equal(messageHeader(decoded), undefined);
  ok(equals(DashStreamMessageSchema, decoded, headerless));
  const empty = create(DashStreamMessageSchema);
  deepStrictEqual([...encodeRecord(empty)], [0x00]);
  ok(equals(DashStreamMessageSchema, decodeRecord(encodeRecord(empty)), empty));
});

Deno.test("encodeRecord() round trips every message type", () => {
  const messages = [
    small,
    ...otherKindMessages(),
    create(DashStreamMessageSchema, {
      message: { case: "metrics", value: create(MetricsSchema, { scope: "other" }) },
    }),
  ];
  for (const message of messages) {
    for (const legacy of [false, true]) {
      const decoded = decodeRecord(encodeRecord(message, { compression: "never", legacy }));
      ok(equals(DashStreamMessageSchema, decoded, message), message.message.case);
      const zipped = decodeRecord(encodeRecord(message, { compression: "always", legacy }));
      equal(zipped.message.case, message.message.case);
      const marked = messageHeader(message) ? CompressionType.COMPRESSION_ZSTD : undefined;
      equal(compression(zipped), marked, message.message.case);
    }
  }
});
