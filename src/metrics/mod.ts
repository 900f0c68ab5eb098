/**
 * The metrics core: the catalog, the rules that turn a decoded DashStream message into metric
 * updates, and the series they update (rendered by src/exposition). Pure: no I/O, clocks
 * injected.
 *
 * @module
 */

export {
  BUCKET_ENV_VARS,
  type BucketKey,
  CATALOG,
  CATEGORIES,
  DEFAULT_BUCKETS,
  DEFAULT_SESSION_TIMEOUT_SECS,
  FAILURE_TYPES,
  type MetricId,
  METRICS,
  type MetricSpec,
  type MetricType,
  NATIVE_ZERO_THRESHOLDS,
  SESSION_TIMEOUT_ENV_VAR,
  STATUSES,
} from "./catalog.ts";
export {
  type BucketConfig,
  defaultBuckets,
  type MetricsConfig,
  parseBuckets,
  type ParseBucketsOptions,
  parseSessionTimeoutSecs,
  readMetricsConfig,
  type ReadMetricsConfigOptions,
  type WarnFn,
} from "./buckets.ts";
export {
  MODEL_LABELS,
  type ModelLabel,
  ModelNormalizer,
  type ModelNormalizerOptions,
  normalizeModel,
  normalizeModelUncached,
  PRECREATED_MODELS,
} from "./normalize_model.ts";
export { type Category, normalizeCategory } from "./category.ts";
export {
  bucketIndex,
  bucketUpperBound,
  DEFAULT_BUCKET_FACTOR,
  DEFAULT_MAX_BUCKETS,
  DEFAULT_NATIVE_HISTOGRAMS,
  type NativeBucketRun,
  NativeBuckets,
  type NativeBucketsOptions,
  type NativeHistogramSettings,
  type NativeSnapshot,
  schemaForFactor,
} from "./native_buckets.ts";
export {
  DEFAULT_MAX_SESSIONS,
  SessionTracker,
  type SessionTrackerOptions,
} from "./session_tracker.ts";
export {
  CounterSeries,
  FastCounter,
  FastHistogram,
  type FastHistogramOptions,
  type FastMetricOptions,
  HistogramSeries,
  type MetricRegistry,
  type SeriesLabels,
} from "./fast_metrics.ts";
export {
  type ApplyOutcome,
  type BuildInfo,
  type FailureType,
  MetricsConfigError,
  MetricsCore,
  type MetricsCoreOptions,
} from "./core.ts";
