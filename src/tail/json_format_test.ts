import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { create } from "@bufbuild/protobuf";
import {
  DashStreamMessageSchema,
  EventSchema,
  type EventType,
  HeaderSchema,
  type MessageType,
} from "../gen/dashstream_pb.ts";
import { eventMessage, stateDiffMessage } from "../../tests/support/sample/mod.ts";
import { jsonLine, recordJson } from "./json_format.ts";
import { decodeTailRecord } from "./tail_record.ts";
import { sampleQuality, testRecord } from "../../tests/support/tail_records.ts";

// deno-lint-ignore no-explicit-any
const parse = (line: string): any => JSON.parse(line);

Deno.test("jsonLine() carries the Kafka coordinates, type, message and value on one line", () => {
  const record = testRecord(sampleQuality(), { partition: 3 });
  const line = jsonLine(decodeTailRecord(record));
  assert.ok(!line.includes("\n"));
  const json = parse(line);
  assert.deepEqual(Object.keys(json), [
    "topic",
    "partition",
    "offset",
    "timestamp",
    "timestamp_ms",
    "key",
    "size",
    "framing",
    "type",
    "message",
    "value",
  ]);
  // The exact record value, so `replay` reads the line as a record envelope.
  assert.deepEqual(new Uint8Array(Buffer.from(json.value, "base64")), record.value);
  assert.equal(json.topic, "dashstream-quality");
  assert.equal(json.partition, 3);
  assert.equal(json.offset, 42);
  assert.equal(json.timestamp, "2026-01-01T00:00:00.123Z");
  assert.equal(json.timestamp_ms, 1767225600123);
  assert.equal(json.key, "sess-7f3a2c91");
  assert.equal(json.type, "metrics");
  assert.equal(json.framing, "framed");
  assert.equal(json.message.scope, "quality");
  assert.equal(json.message.header.type, "MESSAGE_TYPE_METRICS");
  assert.equal(json.message.header.message_id, "00000000-0000-4000-8000-000000000001");
  assert.equal(json.message.header.timestamp, "2026-01-01T00:00:00.000000Z");
  assert.equal(json.message.header.timestamp_us, 1767225600000000);
  assert.deepEqual(json.message.metrics.passed, {
    bool_value: true,
    unit: "",
    type: "METRIC_TYPE_GAUGE",
  });
});

Deno.test("jsonLine() writes offsets and int64 fields exactly, beyond 2^53", () => {
  const message = eventMessage({ durationUs: 9007199254740993n });
  const line = jsonLine(
    decodeTailRecord(testRecord(message, { offset: "9007199254740995" })),
  );
  assert.match(line, /"offset":9007199254740995,/);
  assert.match(line, /"duration_us":9007199254740993,/);
});

Deno.test("jsonLine() keeps every field, defaults included, so names are stable", () => {
  const bare = create(DashStreamMessageSchema, {
    message: { case: "event", value: create(EventSchema, {}) },
  });
  const json = parse(jsonLine(decodeTailRecord(testRecord(bare))));
  assert.deepEqual(json.message, {
    header: null,
    event_type: "EVENT_TYPE_UNSPECIFIED",
    node_id: "",
    attributes: {},
    duration_us: 0,
    llm_request_id: "",
  });
});

Deno.test("jsonLine() shows an enum value unknown to the schema as its number", () => {
  const message = create(DashStreamMessageSchema, {
    message: {
      case: "event",
      value: create(EventSchema, {
        header: create(HeaderSchema, { type: 77 as MessageType }),
        eventType: 999 as EventType,
      }),
    },
  });
  const json = parse(jsonLine(decodeTailRecord(testRecord(message))));
  assert.equal(json.message.event_type, 999);
  assert.equal(json.message.header.type, 77);
  assert.equal(json.message.header.timestamp, "", "no timestamp set");
});

Deno.test("jsonLine() embeds JSON-encoded diff values of any JSON type", () => {
  const json = parse(jsonLine(decodeTailRecord(testRecord(stateDiffMessage()))));
  const [replace, add, remove] = json.message.operations;
  assert.equal(replace.value, "Kafka consumers commit offsets after processing.");
  assert.equal(add.value, 2);
  assert.equal(remove.value, "");
  assert.match(json.message.state_hash, /^[0-9a-f]{64}$/);
});

Deno.test("jsonLine() reports a decode failure with its reason instead of a message", () => {
  const record = testRecord(new Uint8Array([0x01, 0x02, 0x03]), {
    key: new Uint8Array([0xff]),
    offset: "7",
  });
  const json = recordJson(decodeTailRecord(record));
  assert.equal(json.key, "base64:/w==");
  assert.equal(json.size, 3);
  assert.equal(json.type, undefined);
  assert.deepEqual(Object.keys(json.error as object), ["reason", "framing", "message"]);
  assert.equal((json.error as { reason: string }).reason, "zstd");
  const tombstone = recordJson(decodeTailRecord(testRecord(null, { key: null })));
  assert.equal(tombstone.key, null);
  assert.equal(tombstone.size, 0);
  assert.deepEqual(tombstone.error, {
    reason: "empty",
    framing: null,
    message: (tombstone.error as { message: string }).message,
  });
});
