/**
 * Test support: `MetricValue`s of each kind, a bare `metrics` message and a wire round trip.
 * Used by the event and metrics tests and by `qualityMessage({ bare: true })`.
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
} from "../../../src/gen/dashstream_pb.ts";

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

/** Encode and decode `msg`, so values have the shapes the wire decoder produces. */
export function viaWire(msg: DashStreamMessage): DashStreamMessage {
  return fromBinary(DashStreamMessageSchema, toBinary(DashStreamMessageSchema, msg));
}
