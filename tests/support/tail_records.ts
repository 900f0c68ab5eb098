/**
 * Test helpers for `tail`: Kafka records with fixed coordinates, and one sample
 * record of every kind (the golden files under tests/golden/tail/ render these).
 * @module
 */

import type { DashStreamMessage } from "../../src/gen/dashstream_pb.ts";
import type { KafkaRecord } from "../../src/kafka/record.ts";
import { protoType } from "../../src/tail/message_kind.ts";
import { otherKindMessages, qualityMessage, SAMPLE_THREAD_ID } from "./sample/mod.ts";
import { encodeRecord } from "../../src/wire/mod.ts";

/** 2026-01-01T00:00:00.123Z: the Kafka timestamp of test records. */
export const TEST_RECORD_TIMESTAMP_MS = "1767225600123";

/** A record on `dashstream-quality` partition 0 offset 42, unless `coords` say otherwise. */
export function testRecord(
  value: DashStreamMessage | Uint8Array | null,
  coords: Partial<Omit<KafkaRecord, "value">> = {},
): KafkaRecord {
  return {
    topic: "dashstream-quality",
    partition: 0,
    offset: "42",
    key: new TextEncoder().encode(SAMPLE_THREAD_ID),
    timestamp: TEST_RECORD_TIMESTAMP_MS,
    ...coords,
    value: value === null || value instanceof Uint8Array ? value : encodeRecord(value),
  };
}

/** A quality event with every field the exporter reads. */
export function sampleQuality(
  fields: Parameters<typeof qualityMessage>[0] = {},
): DashStreamMessage {
  return qualityMessage({
    qualityScore: 0.92,
    passed: true,
    latencyMs: 1234,
    retryCount: 1,
    turnNumber: 3,
    accuracy: 0.9,
    relevance: 0.95,
    completeness: 0.88,
    model: "gpt-4o-mini",
    category: "Medium",
    applicationType: "librarian",
    sessionId: SAMPLE_THREAD_ID,
    ...fields,
  });
}

/** A `metrics` message of another scope than quality. */
export function sampleLibrarianMetrics(): DashStreamMessage {
  return qualityMessage({
    scope: "librarian",
    scopeId: "req-0042",
    metrics: { iterations: 3n, request_duration_seconds: 1.25, cache_hit: true },
    tags: { model: "claude-3-5-sonnet-20241022", status: "ok" },
    header: { sequence: 18 },
  });
}

/** One record of every kind, named as the golden files are: `<name>.pretty.txt`, `<name>.json`. */
export function goldenRecords(): [string, KafkaRecord][] {
  return [
    ["quality", testRecord(sampleQuality())],
    ["quality_failed", testRecord(sampleQuality({ qualityScore: 0.41, passed: false }))],
    ["metrics", testRecord(sampleLibrarianMetrics())],
    ...otherKindMessages().map((m): [string, KafkaRecord] => [protoType(m), testRecord(m)]),
    // 0x00 framing, then bytes that are not a DashStreamMessage.
    ["decode_error", testRecord(new Uint8Array([0x00, 0x0a, 0xff, 0xff]), { key: null })],
  ];
}
