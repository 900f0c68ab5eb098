/**
 * The metric catalog as data: every series the exporter exposes, with its type, help text,
 * label names and default buckets. It is the contract dashboards rely on
 * (docs/semantics.md, "Rule: metric catalog"), so other modules (a
 * `check --expect dashflow` validator, docs) read it from here instead of repeating names.
 *
 * Help texts are the descriptions from the original exporter's docs, without the bucket lists
 * (buckets can be overridden from the environment, so a help text naming them could lie) and
 * without change-log notes. `dashstream_query_latency_ms` uses the HELP line of the original's
 * example exposition. `dashstream_exporter_kafka_payload_missing_total` is not in the original's
 * docs; its help text is ours.
 *
 * @module
 */

/** Prometheus metric types used by the exporter. */
export type MetricType = "counter" | "gauge" | "histogram";

/** Names of the configurable bucket sets. */
export type BucketKey =
  | "latencyMs"
  | "retry"
  | "qualityScore"
  | "sessionTurns"
  | "durationSeconds"
  | "metricsEndpointSeconds";

/** One row of the catalog. */
export interface MetricSpec {
  /** Full metric name as exposed in the 0.0.4 text format (counters end in `_total`). */
  readonly name: string;
  /** Prometheus type. */
  readonly type: MetricType;
  /** HELP text. */
  readonly help: string;
  /** Label names, in exposition order. */
  readonly labelNames: readonly string[];
  /** For histograms: which bucket set (and so which env override) applies. */
  readonly buckets?: BucketKey;
}

/** Default histogram bounds for each bucket set. */
export const DEFAULT_BUCKETS: Readonly<Record<BucketKey, readonly number[]>> = Object.freeze({
  latencyMs: Object.freeze([10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 20000, 30000]),
  retry: Object.freeze([0, 1, 2, 3, 5, 10]),
  qualityScore: Object.freeze([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1]),
  sessionTurns: Object.freeze([1, 2, 5, 10, 20, 50]),
  durationSeconds: Object.freeze([0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]),
  metricsEndpointSeconds: Object.freeze([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]),
});

/**
 * Zero threshold of each bucket set's native buckets (docs/semantics.md, "Rule: native histogram
 * buckets"): durations below about a microsecond are clock noise, so they share the zero bucket
 * instead of stretching the bucket range down; the other sets count only exact zeros there.
 */
export const NATIVE_ZERO_THRESHOLDS: Readonly<Record<BucketKey, number>> = Object.freeze({
  latencyMs: 2 ** -10,
  retry: 2 ** -128,
  qualityScore: 2 ** -128,
  sessionTurns: 2 ** -128,
  durationSeconds: 2 ** -20,
  metricsEndpointSeconds: 2 ** -20,
});

/** The environment variable that overrides each bucket set. */
export const BUCKET_ENV_VARS: Readonly<Record<BucketKey, string>> = Object.freeze({
  latencyMs: "PROMETHEUS_LATENCY_BUCKETS_MS",
  retry: "PROMETHEUS_RETRY_BUCKETS",
  qualityScore: "PROMETHEUS_QUALITY_SCORE_BUCKETS",
  sessionTurns: "PROMETHEUS_SESSION_TURN_BUCKETS",
  durationSeconds: "PROMETHEUS_DURATION_BUCKETS_SECONDS",
  metricsEndpointSeconds: "PROMETHEUS_METRICS_ENDPOINT_BUCKETS",
});

/** Environment variable for the idle time after which a session's turns are observed. */
export const SESSION_TIMEOUT_ENV_VAR = "PROMETHEUS_SESSION_TIMEOUT_SECS";

/** Default session idle timeout in seconds. */
export const DEFAULT_SESSION_TIMEOUT_SECS = 300;

function spec(
  name: string,
  type: MetricType,
  help: string,
  labelNames: readonly string[] = [],
  buckets?: BucketKey,
): MetricSpec {
  const row: MetricSpec = buckets === undefined
    ? { name, type, help, labelNames: Object.freeze([...labelNames]) }
    : { name, type, help, labelNames: Object.freeze([...labelNames]), buckets };
  return Object.freeze(row);
}

/** The catalog keyed by a short identifier, in the spec's table order. */
export const METRICS = Object.freeze({
  buildInfo: spec(
    "dashflow_build_info",
    "gauge",
    "Build and version information (always 1, metadata on labels)",
    ["version", "commit", "build_date", "rust_version"],
  ),
  qualityScore: spec(
    "dashstream_quality_monitor_quality_score",
    "gauge",
    "Current quality score (0.0-1.0 scale)",
  ),
  qualityScoreSum: spec(
    "dashstream_quality_monitor_quality_score_sum_total",
    "counter",
    "Sum of the finite quality score values observed (fleet mean: divide by _count_total)",
  ),
  qualityScoreCount: spec(
    "dashstream_quality_monitor_quality_score_count_total",
    "counter",
    "Number of finite quality score values observed (the denominator of _sum_total)",
  ),
  queriesTotal: spec(
    "dashstream_quality_monitor_queries_total",
    "counter",
    "Total queries processed",
  ),
  queriesPassed: spec(
    "dashstream_quality_monitor_queries_passed_total",
    "counter",
    "Queries that passed quality threshold",
  ),
  queriesFailed: spec(
    "dashstream_quality_monitor_queries_failed_total",
    "counter",
    "Queries that failed quality threshold (category: Simple, Medium, Complex, Edge, Unknown)",
    ["category"],
  ),
  queryLatencyMs: spec(
    "dashstream_query_latency_ms",
    "histogram",
    "Query latency in milliseconds",
    [],
    "latencyMs",
  ),
  retryCount: spec(
    "dashstream_quality_retry_count",
    "histogram",
    "Retry count distribution (status: passed, failed)",
    ["status"],
    "retry",
  ),
  accuracy: spec("dashstream_quality_accuracy", "gauge", "Quality accuracy score (0.0-1.0)"),
  relevance: spec("dashstream_quality_relevance", "gauge", "Quality relevance score (0.0-1.0)"),
  completeness: spec(
    "dashstream_quality_completeness",
    "gauge",
    "Quality completeness score (0.0-1.0)",
  ),
  accuracySum: spec(
    "dashstream_quality_accuracy_sum_total",
    "counter",
    "Sum of the finite accuracy values observed (fleet mean: divide by _count_total)",
  ),
  accuracyCount: spec(
    "dashstream_quality_accuracy_count_total",
    "counter",
    "Number of finite accuracy values observed (the denominator of _sum_total)",
  ),
  relevanceSum: spec(
    "dashstream_quality_relevance_sum_total",
    "counter",
    "Sum of the finite relevance values observed (fleet mean: divide by _count_total)",
  ),
  relevanceCount: spec(
    "dashstream_quality_relevance_count_total",
    "counter",
    "Number of finite relevance values observed (the denominator of _sum_total)",
  ),
  completenessSum: spec(
    "dashstream_quality_completeness_sum_total",
    "counter",
    "Sum of the finite completeness values observed (fleet mean: divide by _count_total)",
  ),
  completenessCount: spec(
    "dashstream_quality_completeness_count_total",
    "counter",
    "Number of finite completeness values observed (the denominator of _sum_total)",
  ),
  qualityScoreByModel: spec(
    "dashstream_quality_score_by_model",
    "histogram",
    "Quality score distribution by model (0.0-1.0)",
    ["model"],
    "qualityScore",
  ),
  queriesByModel: spec(
    "dashstream_queries_by_model_total",
    "counter",
    "Total queries by model",
    ["model"],
  ),
  latencyByModelMs: spec(
    "dashstream_latency_by_model_ms",
    "histogram",
    "Query latency by model",
    ["model"],
    "latencyMs",
  ),
  turnsBySession: spec(
    "dashstream_turns_by_session",
    "histogram",
    "Number of turns per session",
    [],
    "sessionTurns",
  ),
  librarianRequests: spec(
    "dashstream_librarian_requests_total",
    "counter",
    "Total librarian requests derived from Kafka",
  ),
  librarianIterations: spec(
    "dashstream_librarian_iterations",
    "gauge",
    "Last observed librarian iterations (turn_number)",
  ),
  librarianTests: spec(
    "dashstream_librarian_tests_total",
    "counter",
    "Librarian test results (status: passed, failed)",
    ["status"],
  ),
  librarianDurationSeconds: spec(
    "dashstream_librarian_request_duration_seconds",
    "histogram",
    "Request duration in seconds",
    [],
    "durationSeconds",
  ),
  processStartTime: spec(
    "dashstream_exporter_process_start_time_seconds",
    "gauge",
    "Unix timestamp when exporter started (detects restarts)",
  ),
  metricsEndpointDuration: spec(
    "dashstream_exporter_metrics_endpoint_duration_seconds",
    "histogram",
    "Time to encode /metrics response (detects high-cardinality slowdowns)",
    [],
    "metricsEndpointSeconds",
  ),
  messagesReceived: spec(
    "dashstream_exporter_messages_received_total",
    "counter",
    "Total Kafka messages received (for throughput: rate(...))",
  ),
  messagesFailed: spec(
    "dashstream_exporter_messages_failed_total",
    "counter",
    "Message processing failures (error_type: decode/process/unknown)",
    ["error_type"],
  ),
  consumerErrors: spec(
    "dashstream_exporter_kafka_consumer_errors_total",
    "counter",
    "Kafka consumer errors (connectivity/protocol issues)",
  ),
  offsetStoreErrors: spec(
    "dashstream_exporter_offset_store_errors_total",
    "counter",
    "Offset storage failures (may cause duplicates)",
  ),
  lastEventTimestamp: spec(
    "dashstream_exporter_last_event_timestamp_seconds",
    "gauge",
    "Timestamp of last processed event (for staleness alerting)",
  ),
  wrongScope: spec(
    "dashstream_exporter_messages_wrong_scope_total",
    "counter",
    "Messages with non-quality scope (high count indicates misconfiguration)",
  ),
  missingHeader: spec(
    "dashstream_exporter_messages_missing_header_total",
    "counter",
    "Quality messages missing header field (protocol errors)",
  ),
  gaugesLastUpdate: spec(
    "dashstream_exporter_gauges_last_update_timestamp_seconds",
    "gauge",
    "Timestamp of last gauge update (for staleness detection)",
  ),
  consumerLag: spec(
    "dashstream_exporter_kafka_consumer_lag",
    "gauge",
    "Sum of consumer lag across all assigned partitions",
  ),
  payloadMissing: spec(
    "dashstream_exporter_kafka_payload_missing_total",
    "counter",
    "Kafka records with no value (payload missing)",
  ),
});

/**
 * Per-partition series of `serve` (docs/semantics.md, "Rule: partition metrics"). Not in
 * {@linkcode CATALOG}: only a consumer-group member has partitions, so `replay` never exposes
 * them, and their series come and go with the assignment (at most one per partition of the
 * topic). `serve` registers them after the catalog.
 */
export const PARTITION_METRICS = Object.freeze({
  partitionAssigned: spec(
    "dashstream_exporter_kafka_partition_assigned",
    "gauge",
    "1 for each partition assigned to this consumer-group member; absent once revoked",
    ["topic", "partition"],
  ),
  partitionLag: spec(
    "dashstream_exporter_kafka_partition_lag",
    "gauge",
    "Consumer lag of one assigned partition (high watermark minus position), at the last lag check",
    ["topic", "partition"],
  ),
  partitionCommittedOffset: spec(
    "dashstream_exporter_kafka_partition_committed_offset",
    "gauge",
    "Offset this member last committed for an assigned partition (the next record to read)",
    ["topic", "partition"],
  ),
});

/**
 * Counters of the input guards (docs/semantics.md, "Rule: value length cap" and "Rule: value
 * ranges"). Not in {@linkcode CATALOG}, which is the original's contract (`check --expect
 * dashflow` checks an exporter against it): the original had no such guards. `MetricsCore`
 * registers them after the catalog, in every mode.
 */
export const GUARD_METRICS = Object.freeze({
  valuesTruncated: spec(
    "dashstream_exporter_values_truncated_total",
    "counter",
    "Values cut to 256 bytes before being kept (field: model, thread_id)",
    ["field"],
  ),
  valuesRejected: spec(
    "dashstream_exporter_values_rejected_total",
    "counter",
    "Numeric values outside their field's range or not finite, not observed (field: the metric key)",
    ["field"],
  ),
});

/** Short identifier of a catalog row. */
export type MetricId = keyof typeof METRICS;

/** Every catalog row, in exposition order. */
export const CATALOG: readonly MetricSpec[] = Object.freeze(Object.values(METRICS));

/**
 * `error_type` values of `dashstream_exporter_messages_failed_total` the original has, pre-created
 * at 0.
 */
export const FAILURE_TYPES = Object.freeze(["decode", "process", "unknown"] as const);

/**
 * `error_type` values this exporter adds (docs/semantics.md, "Rule: record outcomes"), also
 * pre-created at 0, after {@linkcode FAILURE_TYPES}.
 */
export const ADDED_FAILURE_TYPES = Object.freeze(["decode_too_complex"] as const);

/** Normalized `category` values of the failed-queries counter, pre-created at 0. */
export const CATEGORIES = Object.freeze(
  ["Simple", "Medium", "Complex", "Edge", "Unknown"] as const,
);

/** `status` label values (retry histogram, librarian tests), pre-created at 0. */
export const STATUSES = Object.freeze(["passed", "failed"] as const);
