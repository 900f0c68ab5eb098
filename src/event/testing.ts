/**
 * Test support: builders for DashStream messages as producers send them. Used by the event and
 * metrics tests; not part of any public API.
 *
 * @module
 */

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type DashStreamMessage,
  DashStreamMessageSchema,
  HeaderSchema,
  MetricsSchema,
  type MetricValue,
  MetricValueSchema,
} from "../gen/dashstream_pb.ts";

/** `MetricValue` with `int_value` set (int64: numbers are converted to bigint). */
export function intValue(value: number | bigint): MetricValue {
  return create(MetricValueSchema, { value: { case: "intValue", value: BigInt(value) } });
}

/** `MetricValue` with `float_value` set. */
export function floatValue(value: number): MetricValue {
  return create(MetricValueSchema, { value: { case: "floatValue", value } });
}

/** `MetricValue` with `bool_value` set. */
export function boolValue(value: boolean): MetricValue {
  return create(MetricValueSchema, { value: { case: "boolValue", value } });
}

/** `MetricValue` with `string_value` set. */
export function stringValue(value: string): MetricValue {
  return create(MetricValueSchema, { value: { case: "stringValue", value } });
}

/** Options for {@link metricsMessage}. */
export interface MetricsMessageInit {
  /** `metrics.scope` (default "quality"). */
  scope?: string;
  /** `header.thread_id`; `null` leaves the header out (default "session-1"). */
  threadId?: string | null;
  /** `metrics.metrics` entries. */
  metrics?: Record<string, MetricValue>;
  /** `metrics.tags` entries. */
  tags?: Record<string, string>;
}

/** A `DashStreamMessage` carrying a `Metrics` message. */
export function metricsMessage(init: MetricsMessageInit = {}): DashStreamMessage {
  const threadId = init.threadId === undefined ? "session-1" : init.threadId;
  const metrics = create(MetricsSchema, {
    scope: init.scope ?? "quality",
    metrics: init.metrics ?? {},
    tags: init.tags ?? {},
  });
  if (threadId !== null) metrics.header = create(HeaderSchema, { threadId });
  return create(DashStreamMessageSchema, { message: { case: "metrics", value: metrics } });
}

/** Options for {@link qualityMessage}: the usual quality fields with typed values. */
export interface QualityMessageInit {
  /** `metrics.scope` (default "quality"). */
  scope?: string;
  /** `header.thread_id`; `null` leaves the header out (default "session-1"). */
  threadId?: string | null;
  /** `quality_score` as float_value. */
  qualityScore?: number;
  /** `passed` as bool_value. */
  passed?: boolean;
  /** `latency_ms` as int_value. */
  latencyMs?: number;
  /** `retry_count` as int_value. */
  retryCount?: number;
  /** `turn_number` as int_value. */
  turnNumber?: number;
  /** `accuracy` as float_value. */
  accuracy?: number;
  /** `relevance` as float_value. */
  relevance?: number;
  /** `completeness` as float_value. */
  completeness?: number;
  /** Tags, e.g. model, category, application_type. */
  tags?: Record<string, string>;
}

/** A quality event message with the given fields (fields left out are not sent). */
export function qualityMessage(init: QualityMessageInit = {}): DashStreamMessage {
  const metrics: Record<string, MetricValue> = {};
  if (init.qualityScore !== undefined) metrics.quality_score = floatValue(init.qualityScore);
  if (init.passed !== undefined) metrics.passed = boolValue(init.passed);
  if (init.latencyMs !== undefined) metrics.latency_ms = intValue(init.latencyMs);
  if (init.retryCount !== undefined) metrics.retry_count = intValue(init.retryCount);
  if (init.turnNumber !== undefined) metrics.turn_number = intValue(init.turnNumber);
  if (init.accuracy !== undefined) metrics.accuracy = floatValue(init.accuracy);
  if (init.relevance !== undefined) metrics.relevance = floatValue(init.relevance);
  if (init.completeness !== undefined) metrics.completeness = floatValue(init.completeness);
  return metricsMessage({
    scope: init.scope,
    threadId: init.threadId,
    metrics,
    tags: init.tags,
  });
}

/** Encode and decode `msg`, so values have the shapes the wire decoder produces. */
export function viaWire(msg: DashStreamMessage): DashStreamMessage {
  return fromBinary(DashStreamMessageSchema, toBinary(DashStreamMessageSchema, msg));
}
