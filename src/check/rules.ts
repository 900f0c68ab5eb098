/**
 * Every rule `check` applies, with its default severity and a one-line description. The rule
 * table of docs/check.md and `check --help` are written from this list; a finding names its rule
 * so CI output can be grepped and explained.
 *
 * @module
 */

import type { Severity } from "./finding.ts";

/** One rule. */
export interface Rule {
  /** Default severity of its findings. */
  readonly severity: Severity;
  /** What it checks. */
  readonly summary: string;
}

/** The rules, grouped: syntax, metadata, structure, OpenMetrics, lint, expectations, scrapes. */
export const RULES = {
  // Syntax: a line that cannot be read.
  "invalid-utf8": { severity: "error", summary: "the exposition is not valid UTF-8" },
  "missing-newline": { severity: "error", summary: "text format: the last line has no \\n" },
  "syntax": {
    severity: "error",
    summary: "malformed line: missing value, stray text, bad whitespace, CR line ending",
  },
  "invalid-metric-name": {
    severity: "error",
    summary: "metric name not matching [a-zA-Z_:][a-zA-Z0-9_:]*",
  },
  "label-syntax": {
    severity: "error",
    summary: "bad label name, missing = or quotes, unterminated value, bad separator",
  },
  "duplicate-label": { severity: "error", summary: "the same label name twice in one sample" },
  "invalid-escape": {
    severity: "error",
    summary: 'escape other than \\\\, \\n (and \\" in label values or OpenMetrics HELP)',
  },
  "invalid-value": { severity: "error", summary: "sample value that is not a number" },
  "invalid-timestamp": {
    severity: "error",
    summary: "timestamp not an integer (text, ms) or a number (OpenMetrics, s)",
  },
  // Metadata and grouping.
  "invalid-type": { severity: "error", summary: "# TYPE with an unknown metric type" },
  "duplicate-help": { severity: "error", summary: "second # HELP for a family" },
  "duplicate-type": { severity: "error", summary: "second # TYPE for a family" },
  "duplicate-unit": { severity: "error", summary: "second # UNIT for a family" },
  "metadata-after-samples": {
    severity: "error",
    summary: "# HELP, # TYPE or # UNIT after the family's samples",
  },
  "interleaved-family": {
    severity: "error",
    summary: "a family's lines are not one group (another family in between)",
  },
  "sample-name": { severity: "error", summary: "sample name not valid for its family's type" },
  // Structure.
  "duplicate-series": { severity: "error", summary: "the same series (name and labels) twice" },
  "counter-negative": { severity: "error", summary: "counter value negative or NaN" },
  "negative-count": {
    severity: "error",
    summary: "histogram bucket or count, summary count, negative or NaN",
  },
  "histogram-le": {
    severity: "error",
    summary: "histogram bucket without a le label, or le not a number",
  },
  "histogram-le-order": {
    severity: "error",
    summary: "histogram buckets not sorted by increasing le",
  },
  "histogram-not-cumulative": {
    severity: "error",
    summary: "a bucket counts fewer than a bucket with a smaller le",
  },
  "histogram-inf-missing": { severity: "error", summary: 'histogram series without le="+Inf"' },
  "histogram-count-mismatch": {
    severity: "error",
    summary: 'histogram _count different from its le="+Inf" bucket',
  },
  "histogram-sum-count": {
    severity: "error",
    summary: "histogram _sum/_count missing (text), or only one of them, or a bad _sum (OM)",
  },
  "summary-quantile": {
    severity: "error",
    summary: "summary sample without a quantile label, or quantile not in [0,1]",
  },
  "summary-sum-count": {
    severity: "error",
    summary: "summary _sum/_count missing (text), or only one of them (OM)",
  },
  // Protobuf (delimited MetricFamily messages); `line` is the message number.
  "protobuf-syntax": {
    severity: "error",
    summary: "protobuf: a length-delimited MetricFamily cut short or not decoding",
  },
  "native-schema": {
    severity: "error",
    summary: "native histogram: schema outside -4..8 or a bad zero threshold",
  },
  "native-spans": {
    severity: "error",
    summary: "native histogram: span lengths not adding up to the buckets, or a negative gap",
  },
  "native-negative-count": {
    severity: "error",
    summary: "native histogram: deltas adding up to a negative bucket count",
  },
  "native-count-mismatch": {
    severity: "error",
    summary: "native histogram: zero and bucket counts not adding up to the sample count",
  },
  // OpenMetrics 1.0.
  "om-eof": { severity: "error", summary: "OpenMetrics: no # EOF at the end, or text after it" },
  "om-total": {
    severity: "error",
    summary: "OpenMetrics: counter family named *_total, or counter sample without _total",
  },
  "om-created": {
    severity: "error",
    summary: "OpenMetrics: _created without its series, or not a timestamp",
  },
  "om-unit": { severity: "error", summary: "OpenMetrics: family name does not end in _UNIT" },
  "om-exemplar": {
    severity: "error",
    summary: "OpenMetrics: exemplar on a sample that cannot carry one, or too long",
  },
  "om-info-stateset": {
    severity: "error",
    summary: "OpenMetrics: info value not 1, stateset value not 0/1 or no state label",
  },
  "om-interleaved-series": {
    severity: "error",
    summary: "OpenMetrics: a series' samples are not contiguous within its family",
  },
  // Lint (promtool check metrics' rules, plus a few).
  "lint-help": { severity: "warning", summary: "family without # HELP" },
  "lint-counter-total": { severity: "warning", summary: 'counter without the "_total" suffix' },
  "lint-non-counter-total": {
    severity: "warning",
    summary: 'non-counter with the "_total" suffix',
  },
  "lint-reserved-suffix": {
    severity: "warning",
    summary: "_bucket/_count/_sum names or le/quantile labels on the wrong type",
  },
  "lint-base-unit": { severity: "warning", summary: 'non-base unit, e.g. "milliseconds"' },
  "lint-unit-abbreviation": { severity: "warning", summary: 'abbreviated unit, e.g. "_ms"' },
  "lint-type-in-name": { severity: "warning", summary: 'type in the name, e.g. "_gauge"' },
  "lint-colon": { severity: "warning", summary: "':' in a metric name (for recording rules)" },
  "lint-camel-case": { severity: "warning", summary: "camelCase metric or label name" },
  "lint-reserved-label": { severity: "warning", summary: "label name starting with __" },
  "lint-text-eof": {
    severity: "warning",
    summary: "# EOF in a text-format exposition (OpenMetrics served as text/plain?)",
  },
  // Expectations (--expect).
  "expect-missing": { severity: "error", summary: "expected metric not exposed" },
  "expect-type": { severity: "error", summary: "metric exposed with another type" },
  "expect-labels": { severity: "error", summary: "metric exposed with other label names" },
  "expect-buckets": { severity: "error", summary: "histogram exposed with other bucket bounds" },
  "expect-value": { severity: "error", summary: "value out of its expected range" },
  "expect-series": { severity: "error", summary: "expected (pre-created) series missing" },
  "expect-label-value": { severity: "error", summary: "label value outside the expected set" },
  // Across scrapes (--scrapes).
  "counter-decreased": {
    severity: "error",
    summary: "counter, histogram count or bucket went down between scrapes",
  },
  "target-restarted": {
    severity: "notice",
    summary: "process start time changed between scrapes: resets are not errors",
  },
  // The target itself.
  "target-unreachable": { severity: "error", summary: "no answer, DNS, TLS or timeout error" },
  "target-http-status": { severity: "error", summary: "HTTP status other than 2xx" },
  "target-content-type": {
    severity: "error",
    summary: "Content-Type that is not an exposition format",
  },
  "content-negotiation": {
    severity: "notice",
    summary: "asked for one exposition format (--accept), got another",
  },
} as const satisfies Record<string, Rule>;

/** Identifier of a rule. */
export type RuleId = keyof typeof RULES;
