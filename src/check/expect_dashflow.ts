/**
 * `--expect dashflow`: the exporter's metric catalog (docs/semantics.md, "Rule: metric catalog", as data
 * in src/metrics/catalog.ts) as expectations: every metric with its type, label names and
 * bucket bounds, the series the exporter pre-creates, the fixed label value sets, and sane
 * values (quality scores in [0,1], build info 1, timestamps and lag not negative).
 *
 * @module
 */

import { readMetricsConfig } from "../metrics/buckets.ts";
import {
  ADDED_FAILURE_TYPES,
  BUCKET_ENV_VARS,
  CATALOG,
  CATEGORIES,
  DEFAULT_BUCKETS,
  FAILURE_TYPES,
  METRICS,
  type MetricSpec,
  STATUSES,
} from "../metrics/catalog.ts";
import { MODEL_LABELS, PRECREATED_MODELS } from "../metrics/normalize_model.ts";
import type { Expectations, MetricExpectation } from "./expect.ts";

/**
 * Which bucket bounds `--expect dashflow` wants: the catalog's defaults, the ones the
 * `PROMETHEUS_*_BUCKETS*` variables of check's own environment give (as `serve` reads them),
 * or any bounds at all.
 */
export type BucketMode = "default" | "env" | "any";

/** Options for {@link dashflowExpectations}. */
export interface DashflowExpectationOptions {
  buckets: BucketMode;
  /** Environment for `env` mode. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives warnings about bad bucket variables in `env` mode. */
  warn?: (message: string) => void;
}

const UNIT_INTERVAL = ["qualityScore", "accuracy", "relevance", "completeness"] as const;
const NOT_NEGATIVE = [
  "processStartTime",
  "lastEventTimestamp",
  "gaugesLastUpdate",
  "consumerLag",
  "librarianIterations",
] as const;

const PRECREATED = "the exporter creates it at 0 on start";

/** The catalog as expectations. */
export function dashflowExpectations(options: DashflowExpectationOptions): Expectations {
  const config = options.buckets === "env"
    ? readMetricsConfig(options.env ?? {}, { warn: options.warn }).buckets
    : undefined;
  const byName = new Map<string, MetricExpectation>();
  for (const spec of CATALOG) byName.set(spec.name, fromSpec(spec, options.buckets, config));

  const refine = (spec: MetricSpec, extra: Partial<MetricExpectation>) =>
    byName.set(spec.name, { ...byName.get(spec.name)!, ...extra });
  for (const id of UNIT_INTERVAL) refine(METRICS[id], { min: 0, max: 1 });
  for (const id of NOT_NEGATIVE) refine(METRICS[id], { min: 0 });
  refine(METRICS.qualityScoreByModel, { min: 0, max: 1, labelValues: { model: MODEL_LABELS } });
  refine(METRICS.buildInfo, { min: 1, max: 1 });
  refine(METRICS.queriesFailed, {
    series: CATEGORIES.map((category) => ({ category })),
    seriesHint: PRECREATED,
    labelValues: { category: CATEGORIES },
  });
  refine(METRICS.messagesFailed, {
    series: FAILURE_TYPES.map((error_type) => ({ error_type })),
    seriesHint: PRECREATED,
    // The original's values are required; ours (after them) are allowed.
    labelValues: { error_type: [...FAILURE_TYPES, ...ADDED_FAILURE_TYPES] },
  });
  refine(METRICS.librarianTests, {
    series: STATUSES.map((status) => ({ status })),
    seriesHint: PRECREATED,
    labelValues: { status: STATUSES },
  });
  refine(METRICS.retryCount, { labelValues: { status: STATUSES } });
  refine(METRICS.queriesByModel, {
    series: PRECREATED_MODELS.map((model) => ({ model })),
    seriesHint: PRECREATED,
    labelValues: { model: MODEL_LABELS },
  });
  refine(METRICS.latencyByModelMs, { labelValues: { model: MODEL_LABELS } });
  return { source: "dashflow", metrics: [...byName.values()], namesFixed: true };
}

function fromSpec(
  spec: MetricSpec,
  mode: BucketMode,
  config: Record<string, readonly number[]> | undefined,
): MetricExpectation {
  const expectation: MetricExpectation = {
    name: spec.name,
    type: spec.type,
    labels: spec.labelNames,
  };
  if (spec.buckets !== undefined && mode !== "any") {
    const variable = BUCKET_ENV_VARS[spec.buckets];
    expectation.buckets = config?.[spec.buckets] ?? DEFAULT_BUCKETS[spec.buckets];
    expectation.bucketsHint = mode === "default"
      ? `the defaults; if the exporter sets ${variable}, run check with the same variable and ` +
        `--expect-buckets env, or --expect-buckets any`
      : `from ${variable} in check's environment`;
  }
  return expectation;
}
