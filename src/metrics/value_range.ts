/**
 * The range of each numeric field inside which its value is observed (docs/semantics.md, "Rule:
 * value ranges"). A value past it is not observed and is counted instead: one 2^63−1 retry count
 * made every later increment of `_sum` vanish (a double holds 53 bits), for good.
 *
 * @module
 */

/** Longest latency observed: one day, in ms. */
export const MAX_LATENCY_MS = 86_400_000;

/** Most retries observed for one query. */
export const MAX_RETRY_COUNT = 1_000_000;

/** Highest turn number observed (tracked per session). */
export const MAX_TURN_NUMBER = 1_000_000;

/**
 * Largest magnitude of a score (quality score, accuracy, relevance, completeness) observed.
 * Scores are on 0–1, but the original observes any finite one (a 2.0 lands in `+Inf`), so only
 * magnitudes no scale gives are refused; NaN and ±Infinity fail the test too.
 */
export const MAX_SCORE_MAGNITUDE = 1_000_000;

/** Numeric fields checked: the `field` label of the rejection counter. */
export const RANGED_FIELDS = Object.freeze(
  [
    "quality_score",
    "latency_ms",
    "retry_count",
    "turn_number",
    "accuracy",
    "relevance",
    "completeness",
  ] as const,
);

/** A field whose values are range-checked. */
export type RangedField = (typeof RANGED_FIELDS)[number];

/** Whether a score is observed: finite and at most {@linkcode MAX_SCORE_MAGNITUDE} either way. */
export function scoreInRange(score: number): boolean {
  return score <= MAX_SCORE_MAGNITUDE && score >= -MAX_SCORE_MAGNITUDE; // false for NaN
}
