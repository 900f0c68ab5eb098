/**
 * The quality event: the handful of fields the exporter reads from a `Metrics` message, as a
 * plain struct, and `classify()`, which decides whether a decoded message is one
 * (docs/semantics.md, "Rule: quality event selection" and "Rule: fields read").
 *
 * Keeping the event a plain struct lets a faster hand-written wire decoder produce it without
 * protobuf-es; such a decoder must follow the same field rules as {@link qualityEventFromMetrics}.
 *
 * @module
 */

import type { DashStreamMessage, Metrics, MetricValue } from "../gen/dashstream_pb.ts";
import { METRIC_KEYS } from "./metric_keys.ts";
import {
  DEFAULT_APPLICATION_TYPE,
  DEFAULT_CATEGORY,
  MODEL_TAG,
  pickApplicationType,
  pickCategory,
} from "./tags.ts";

/** The only `metrics.scope` that is a quality event (exact, case-sensitive). */
export const QUALITY_SCOPE = "quality";

/** One accepted quality event, with defaults applied and negative integers clamped to 0. */
export interface QualityEvent {
  /** `metrics["quality_score"].float_value`, default 0. */
  qualityScore: number;
  /** `metrics["passed"].bool_value`, default false. Set by the producer; no threshold here. */
  passed: boolean;
  /** `metrics["latency_ms"].int_value`, negative → 0, default 0. */
  latencyMs: number;
  /** `metrics["retry_count"].int_value`, negative → 0, default 0. */
  retryCount: number;
  /** `metrics["turn_number"].int_value`, negative → 0, default 0. */
  turnNumber: number;
  /** `metrics["accuracy"].float_value`, default 0. */
  accuracy: number;
  /** `metrics["relevance"].float_value`, default 0. */
  relevance: number;
  /** `metrics["completeness"].float_value`, default 0. */
  completeness: number;
  /** `tags["model"]`, raw (normalized when applied), default "". */
  model: string;
  /** First present of the `CATEGORY_TAGS` (tags.ts), raw, default "Unknown". */
  category: string;
  /** First present of the `APPLICATION_TYPE_TAGS` (tags.ts), default "unknown". */
  applicationType: string;
  /** `header.thread_id`, default "" (also when the header is missing). */
  sessionId: string;
  /** Whether the message had a header (a missing one is counted when applied). */
  hasHeader: boolean;
}

/** Result of {@link classify}. */
export type Classification =
  | { readonly kind: "ignored" }
  | { readonly kind: "wrong_scope" }
  | { readonly kind: "quality"; readonly event: QualityEvent };

// Shared results so the non-quality outcomes allocate nothing.
const IGNORED: Classification = Object.freeze({ kind: "ignored" });
const WRONG_SCOPE: Classification = Object.freeze({ kind: "wrong_scope" });

/** A quality event with every field at its default. */
export function emptyQualityEvent(): QualityEvent {
  return {
    qualityScore: 0,
    passed: false,
    latencyMs: 0,
    retryCount: 0,
    turnNumber: 0,
    accuracy: 0,
    relevance: 0,
    completeness: 0,
    model: "",
    category: DEFAULT_CATEGORY,
    applicationType: DEFAULT_APPLICATION_TYPE,
    sessionId: "",
    hasHeader: false,
  };
}

function floatOf(value: MetricValue | undefined): number {
  return value !== undefined && value.value.case === "floatValue" ? value.value.value : 0;
}

function boolOf(value: MetricValue | undefined): boolean {
  return value !== undefined && value.value.case === "boolValue" ? value.value.value : false;
}

// int64 arrives as bigint; the exporter's counts are unsigned, so negatives read as 0.
function nonNegativeIntOf(value: MetricValue | undefined): number {
  if (value === undefined || value.value.case !== "intValue") return 0;
  const n = Number(value.value.value);
  return n > 0 ? n : 0;
}

/**
 * Read a quality event from a `Metrics` message whose scope was already checked. A metric value
 * of the wrong oneof kind (e.g. `quality_score` sent as `int_value`) is ignored and the field
 * keeps its default.
 */
export function qualityEventFromMetrics(metrics: Metrics): QualityEvent {
  const values = metrics.metrics;
  const tags = metrics.tags;
  const header = metrics.header;
  return {
    qualityScore: floatOf(values[METRIC_KEYS.qualityScore]),
    passed: boolOf(values[METRIC_KEYS.passed]),
    latencyMs: nonNegativeIntOf(values[METRIC_KEYS.latencyMs]),
    retryCount: nonNegativeIntOf(values[METRIC_KEYS.retryCount]),
    turnNumber: nonNegativeIntOf(values[METRIC_KEYS.turnNumber]),
    accuracy: floatOf(values[METRIC_KEYS.accuracy]),
    relevance: floatOf(values[METRIC_KEYS.relevance]),
    completeness: floatOf(values[METRIC_KEYS.completeness]),
    model: tags[MODEL_TAG] ?? "",
    category: pickCategory(tags),
    applicationType: pickApplicationType(tags),
    sessionId: header !== undefined ? header.threadId : "",
    hasHeader: header !== undefined,
  };
}

/**
 * Decide what a decoded message is: not a `metrics` message → `ignored` (no counter);
 * `metrics.scope` other than exactly `"quality"` → `wrong_scope`; else `quality` with the event.
 */
export function classify(msg: DashStreamMessage): Classification {
  const message = msg.message;
  if (message.case !== "metrics") return IGNORED;
  if (message.value.scope !== QUALITY_SCOPE) return WRONG_SCOPE;
  return { kind: "quality", event: qualityEventFromMetrics(message.value) };
}
