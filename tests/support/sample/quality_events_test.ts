import { deepStrictEqual, equal, notDeepStrictEqual, ok } from "node:assert/strict";
import { toBinary } from "@bufbuild/protobuf";
import {
  DashStreamMessageSchema,
  MessageType,
  type Metrics,
} from "../../../src/gen/dashstream_pb.ts";
import { decodeRecord } from "../../../src/wire/decode.ts";
import {
  SAMPLE_APPLICATION_TYPES,
  SAMPLE_CATEGORIES,
  SAMPLE_MODELS,
  sampleQualityMessages,
  sampleRecords,
} from "./quality_events.ts";

function qualityEvents(count: number, seed?: number): Metrics[] {
  return [...sampleQualityMessages(count, { seed })].map((message) => {
    if (message.message.case !== "metrics") throw new Error(`got ${message.message.case}`);
    return message.message.value;
  });
}

Deno.test("sampleQualityMessages() is deterministic for a seed", () => {
  const encode = (seed?: number) =>
    [...sampleQualityMessages(50, { seed })].map((m) => toBinary(DashStreamMessageSchema, m));
  deepStrictEqual(encode(), encode(42));
  deepStrictEqual(encode(7), encode(7));
  notDeepStrictEqual(encode(7), encode(8));
});

Deno.test("sampleQualityMessages() writes typical quality events", () => {
  const models = new Set(SAMPLE_MODELS.map(([model]) => model));
  const categories = new Set(SAMPLE_CATEGORIES.map(([category]) => category));
  const applicationTypes = new Set(SAMPLE_APPLICATION_TYPES.map(([type]) => type));
  for (const event of qualityEvents(500)) {
    equal(event.scope, "quality");
    equal(event.header?.messageId.length, 16);
    equal(event.header?.type, MessageType.METRICS);
    ok(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
        event.header!.threadId,
      ),
    );
    for (const key of ["quality_score", "accuracy", "relevance", "completeness"]) {
      const value = event.metrics[key].value;
      ok(value.case === "floatValue" && value.value >= 0 && value.value <= 1, key);
    }
    equal(event.metrics.passed.value.case, "boolValue");
    for (const key of ["latency_ms", "retry_count", "turn_number"]) {
      const value = event.metrics[key].value;
      ok(value.case === "intValue" && value.value >= 0n, key);
    }
    ok(models.has(event.tags.model), event.tags.model);
    ok(categories.has(event.tags.category ?? event.tags.query_category));
    ok(applicationTypes.has(event.tags.application_type));
  }
});

Deno.test("sampleQualityMessages() mixes categories, models and application types", () => {
  const events = qualityEvents(2000);
  const share = (pick: (event: Metrics) => boolean) => events.filter(pick).length / events.length;
  const category = (event: Metrics) => event.tags.category ?? event.tags.query_category;
  ok(share((e) => /^[a-z]/.test(category(e))) > 0.05, "some lowercase categories");
  ok(share((e) => category(e) === "Edge" || category(e) === "edge") > 0.03, "edge cases");
  ok(share((e) => "query_category" in e.tags) > 0.01, "some query_category tags");
  const librarianOrOther = share((e) => ["librarian", "other"].includes(e.tags.application_type));
  ok(librarianOrOther > 0.7 && librarianOrOther < 0.95, `${librarianOrOther}`);
  ok(new Set(events.map((e) => e.tags.model)).size >= 10, "most models appear");
  const passed = share((e) => e.metrics.passed.value.value === true);
  ok(passed > 0.6 && passed < 0.95, `pass rate ${passed}`);
});

Deno.test("sampleQualityMessages() keeps per-session turns, sequences and rising timestamps", () => {
  const events = qualityEvents(3000);
  const last = new Map<string, { turn: bigint; sequence: bigint }>();
  let previousTimestamp = 0n;
  for (const event of events) {
    const header = event.header!;
    ok(header.timestampUs >= previousTimestamp);
    previousTimestamp = header.timestampUs;
    const turn = event.metrics.turn_number.value.value as bigint;
    const seen = last.get(header.threadId);
    equal(turn, (seen?.turn ?? 0n) + 1n, "turns count up within a session");
    equal(header.sequence, (seen?.sequence ?? 0n) + 1n, "sequence counts up within a session");
    last.set(header.threadId, { turn, sequence: header.sequence });
  }
  ok(last.size > 200, `sessions turn over: ${last.size}`);
});

Deno.test("sampleRecords() zstd-frames about 30% of records, keyed by session", () => {
  const records = sampleRecords(3000);
  let zstd = 0;
  for (const record of records) {
    const decoded = decodeRecord(record.value);
    if (decoded.message.case !== "metrics") throw new Error("not a quality event");
    equal(record.key, decoded.message.value.header?.threadId);
    if (record.value[0] === 0x01) {
      zstd++;
      ok("trace" in decoded.message.value.tags, "only the long events are compressed");
    } else {
      equal(record.value[0], 0x00);
      ok(record.value.length <= 513, `${record.value.length}`);
    }
  }
  ok(zstd / records.length > 0.25 && zstd / records.length < 0.35, `${zstd / records.length}`);
  equal(sampleRecords(10, { compression: "never" }).filter((r) => r.value[0] !== 0).length, 0);
  ok(sampleRecords(10, { legacy: true }).every((r) => r.value[0] > 0x01));
});
