import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { toBinary } from "@bufbuild/protobuf";
import { type DashStreamMessage, DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { qualityMessage } from "../../tests/support/sample/builders.ts";
import { zstdZeroBomb } from "../../tests/support/sample/hostile.ts";
import { decodeMessage, decodeRecord, decodeRecordDetailed } from "./decode.ts";
import { encodeRecord } from "./encode.ts";
import { DecodeError, type DecodeReason } from "./errors.ts";
import { unframe } from "./framing.ts";
import { zstdCompress } from "../zstd/zstd.ts";

const MIB = 1024 * 1024;
const b64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

// `zstd -3` (zstd CLI v1.5.4) of a 1073-byte encoded quality event: model
// claude-3-5-sonnet-20241022, score 0.92, passed, latency 1234, turn 3,
// category Complex, librarian, session sess-cli-vector, a long trace tag.
const QUALITY_CLI_ZST = b64(
  "KLUv/WQxA50JAJYTSDdQhbgNADc1oTczU8oM4lQ7C//BO7Xekkgie9JyVu5u5ol1BE6pCMrZMujGFzWryRD2Ju0n" +
    "7Nt+PAA6ADgAHANJ9M9VawMQofo2Z6nHiURIQrqghc+7emdytk6tXRdU3ec6/VZKVRwYBC4CWHg8E6jhaUA0JjAD" +
    "pw8WvuULgQpWlDmmR3zXXA9r+L0tgZTKkekbYZSAiYr6al/FvqmF8KCKMkg+4uZa006CBFWUPRToMgbATNzT13CW" +
    "it59W8OZ27RytuvoBCZYFW67myMi8fu88U3rBCkWhl0WDHZhczvGWc+GeZm+edTWSrQBkkHf65JZ5DuFxlTzTd+x" +
    "bzCMnMD0/aXDlPpiMovUG/v1at407zj3218CEL3S3xAofSxMAwUAeDNCHVyZA6VLbtCyALgUbjDR",
);

const event = qualityMessage({
  qualityScore: 0.87,
  passed: true,
  latencyMs: 420,
  model: "gpt-4o-mini",
  category: "Simple",
  applicationType: "librarian",
  turnNumber: 2,
  sessionId: "sess-decode",
});

function metrics(message: DashStreamMessage) {
  equal(message.message.case, "metrics");
  if (message.message.case !== "metrics") throw new Error("unreachable");
  return message.message.value;
}

function framedRaw(message: DashStreamMessage): Uint8Array {
  return Uint8Array.of(0x00, ...toBinary(DashStreamMessageSchema, message));
}

function rejects(value: Uint8Array | null | undefined, reason: DecodeReason, pattern?: RegExp) {
  throws(() => decodeRecord(value), (error: unknown) => {
    ok(error instanceof DecodeError, `expected a DecodeError, got ${error}`);
    equal(error.reason, reason, error.message);
    if (pattern) ok(pattern.test(error.message), error.message);
    return true;
  });
}

Deno.test("decodeRecord() reads a 0x00-framed record", () => {
  const decoded = metrics(decodeRecord(framedRaw(event)));
  equal(decoded.scope, "quality");
  equal(decoded.header?.threadId, "sess-decode");
  equal(decoded.tags.model, "gpt-4o-mini");
  deepStrictEqual(decoded.metrics.quality_score.value, { case: "floatValue", value: 0.87 });
  deepStrictEqual(decoded.metrics.latency_ms.value, { case: "intValue", value: 420n });
});

Deno.test("decodeRecord() reads a 0x01 zstd-framed record", () => {
  const value = encodeRecord(event, { compression: "always" });
  equal(value[0], 0x01);
  equal(metrics(decodeRecord(value)).tags.category, "Simple");
  const cliFramed = Uint8Array.of(0x01, ...QUALITY_CLI_ZST);
  const decoded = metrics(decodeRecord(cliFramed));
  equal(decoded.tags.model, "claude-3-5-sonnet-20241022");
  equal(decoded.header?.threadId, "sess-cli-vector");
  deepStrictEqual(decoded.metrics.turn_number.value, { case: "intValue", value: 3n });
});

Deno.test("decodeRecord() reads a legacy unframed protobuf record", () => {
  const value = toBinary(DashStreamMessageSchema, event);
  ok(value[0] !== 0x00 && value[0] !== 0x01);
  equal(metrics(decodeRecord(value)).header?.threadId, "sess-decode");
});

Deno.test("decodeRecord() reads a legacy bare zstd frame", () => {
  const decoded = metrics(decodeRecord(QUALITY_CLI_ZST));
  deepStrictEqual(decoded.metrics.quality_score.value, { case: "floatValue", value: 0.92 });
  deepStrictEqual(decoded.metrics.passed.value, { case: "boolValue", value: true });
  equal(decoded.tags.application_type, "librarian");
});

Deno.test("unframe() reports each framing", () => {
  const raw = toBinary(DashStreamMessageSchema, event);
  const cases: [Uint8Array, string][] = [
    [framedRaw(event), "framed"],
    [Uint8Array.of(0x01, ...zstdCompress(raw)), "framed_zstd"],
    [raw, "legacy"],
    [zstdCompress(raw), "legacy_zstd"],
  ];
  for (const [value, framing] of cases) {
    const unframed = unframe(value);
    equal(unframed.framing, framing);
    deepStrictEqual(new Uint8Array(unframed.bytes), raw);
    equal(decodeRecordDetailed(value).framing, framing);
  }
});

Deno.test("unframe() returns a view of an uncompressed value, not a copy", () => {
  const value = framedRaw(event);
  const { bytes } = unframe(value);
  equal(bytes.buffer, value.buffer);
  equal(bytes.byteOffset, 1);
  // protobuf-es reads bytes fields as views too: the message id shares the buffer.
  equal(metrics(decodeRecord(value)).header?.messageId.buffer, value.buffer);
});

Deno.test("decodeRecordDetailed() tells the framing and the protobuf size", () => {
  const raw = toBinary(DashStreamMessageSchema, event);
  const detailed = decodeRecordDetailed(encodeRecord(event, { compression: "always" }));
  equal(detailed.framing, "framed_zstd");
  ok(Math.abs(detailed.protobufBytes - raw.length) <= 2); // + header.compression
  equal(metrics(detailed.message).header?.threadId, "sess-decode");
});

Deno.test("decodeRecord() rejects an empty value", () => {
  rejects(new Uint8Array(0), "empty", /value is empty \(0 bytes\)/);
});

Deno.test("decodeRecord() rejects a null or undefined value", () => {
  rejects(null, "empty", /no value \(null\)/);
  rejects(undefined, "empty", /no value \(undefined\)/);
});

Deno.test("decodeRecord() rejects a value over the payload limit", () => {
  const value = framedRaw(event);
  equal(metrics(decodeRecord(value, { maxPayloadBytes: value.length })).scope, "quality");
  throws(
    () => decodeRecord(value, { maxPayloadBytes: value.length - 1 }),
    (error: unknown) =>
      error instanceof DecodeError && error.reason === "too_large" &&
      error.size === value.length && error.limit === value.length - 1 &&
      error.message.includes(`${value.length} bytes, over the ${value.length - 1}-byte limit`) &&
      error.message.includes("DASHSTREAM_MAX_PAYLOAD_BYTES"),
  );
  // Default limit: 10 MiB.
  const big = new Uint8Array(10 * MIB + 1);
  big[0] = 0x0a;
  rejects(big, "too_large", /10485761 bytes, over the 10485760-byte limit/);
});

Deno.test("decodeRecord() rejects a zstd bomb without decompressing it all", () => {
  for (const declareSize of [true, false]) {
    const bomb = zstdZeroBomb(50 * MIB, { declareSize });
    for (const value of [Uint8Array.of(0x01, ...bomb), bomb]) {
      const started = performance.now();
      throws(() => decodeRecord(value), (error: unknown) => {
        ok(error instanceof DecodeError);
        equal(error.reason, "decompressed_too_large");
        equal(error.limit, 10 * MIB);
        equal(error.size, declareSize ? 50 * MIB : undefined);
        ok(error.message.includes("10485760-byte limit"), error.message);
        ok(error.message.includes("DASHSTREAM_MAX_PAYLOAD_BYTES"), error.message);
        return true;
      });
      ok(performance.now() - started < 1000, "rejected quickly");
    }
  }
});

Deno.test("decodeRecord() decompresses up to exactly the limit", () => {
  const value = encodeRecord(event, { compression: "always" });
  const size = unframe(value).bytes.length;
  equal(metrics(decodeRecord(value, { maxPayloadBytes: size })).scope, "quality");
  throws(
    () => decodeRecord(value, { maxPayloadBytes: size - 1 }),
    (error: unknown) => error instanceof DecodeError && error.reason === "decompressed_too_large",
  );
});

Deno.test("decodeRecord() rejects corrupt zstd", () => {
  const frame = zstdCompress(toBinary(DashStreamMessageSchema, event));
  rejects(Uint8Array.of(0x01, 1, 2, 3, 4, 5), "zstd", /0x01-framed record .* not valid zstd/);
  rejects(Uint8Array.of(0x01, ...frame.subarray(0, frame.length - 3)), "zstd", /truncated/);
  rejects(Uint8Array.of(0x01, ...frame, 0xff), "zstd", /trailing data/);
  rejects(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x99), "zstd", /bare \(legacy\) zstd frame/);
  rejects(Uint8Array.of(0x01), "zstd");
});

Deno.test("decodeRecord() rejects bytes that are not a DashStreamMessage", () => {
  const cases: [string, number[]][] = [
    ["wire type 7", [0x0f]],
    ["wire type 6", [0x0e]],
    ["truncated varint", [0x08, 0xff]],
    ["length past the end", [0x32, 0x05, 0x01]],
    ["field number 0", [0x02, 0x00]],
    ["invalid UTF-8 in a string", [0x32, 0x04, 0x12, 0x02, 0xc3, 0x28]],
    ["plain text", [...new TextEncoder().encode("hello world")]],
    ["JSON", [...new TextEncoder().encode('{"scope":"quality"}')]],
    ["11-byte varint", [0x08, ...new Array(10).fill(0xff), 0x01]],
  ];
  for (const [name, bytes] of cases) {
    for (const value of [Uint8Array.of(...bytes), Uint8Array.of(0x00, ...bytes)]) {
      throws(() => decodeRecord(value), (error: unknown) => {
        ok(error instanceof DecodeError, name);
        equal(error.reason, "protobuf", `${name}: ${error.message}`);
        ok(error.message.includes("not a valid DashStreamMessage"), error.message);
        return true;
      });
    }
  }
  // Garbage inside a valid zstd frame is still a protobuf error.
  rejects(
    Uint8Array.of(0x01, ...zstdCompress(Uint8Array.of(0x0f, 0x0f))),
    "protobuf",
    /framed_zstd/,
  );
});

Deno.test("decodeMessage() reads unframed protobuf bytes", () => {
  const raw = toBinary(DashStreamMessageSchema, event);
  equal(metrics(decodeMessage(raw)).header?.threadId, "sess-decode");
  throws(() => decodeMessage(Uint8Array.of(0x0f)), DecodeError);
});
