/**
 * Which `metrics` map entries a quality event reads, by event field. Both readers take the keys
 * from here: the protobuf-es classifier (`quality_event.ts`) and the fast wire reader
 * (`fast_quality.ts`). The value kind each is read as, and its default, are documented on
 * `QualityEvent`.
 *
 * @module
 */

/** The `metrics` key of each numeric field of a quality event. */
export const METRIC_KEYS = Object.freeze(
  {
    qualityScore: "quality_score",
    passed: "passed",
    latencyMs: "latency_ms",
    retryCount: "retry_count",
    turnNumber: "turn_number",
    accuracy: "accuracy",
    relevance: "relevance",
    completeness: "completeness",
  } as const,
);
