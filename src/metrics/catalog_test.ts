import assert from "node:assert/strict";
import { LIBRARIAN_APP_TYPES } from "../event/librarian.ts";
import {
  BUCKET_ENV_VARS,
  CATALOG,
  CATEGORIES,
  DEFAULT_BUCKETS,
  FAILURE_TYPES,
  METRICS,
} from "./catalog.ts";

// The spec's catalog table: name, type, labels, bucket set.
const SPEC_TABLE: Array<[string, string, string[], string?]> = [
  ["dashflow_build_info", "gauge", ["version", "commit", "build_date", "rust_version"]],
  ["dashstream_quality_monitor_quality_score", "gauge", []],
  ["dashstream_quality_monitor_quality_score_sum_total", "counter", []],
  ["dashstream_quality_monitor_quality_score_count_total", "counter", []],
  ["dashstream_quality_monitor_queries_total", "counter", []],
  ["dashstream_quality_monitor_queries_passed_total", "counter", []],
  ["dashstream_quality_monitor_queries_failed_total", "counter", ["category"]],
  ["dashstream_query_latency_ms", "histogram", [], "latencyMs"],
  ["dashstream_quality_retry_count", "histogram", ["status"], "retry"],
  ["dashstream_quality_accuracy", "gauge", []],
  ["dashstream_quality_relevance", "gauge", []],
  ["dashstream_quality_completeness", "gauge", []],
  ["dashstream_quality_accuracy_sum_total", "counter", []],
  ["dashstream_quality_accuracy_count_total", "counter", []],
  ["dashstream_quality_relevance_sum_total", "counter", []],
  ["dashstream_quality_relevance_count_total", "counter", []],
  ["dashstream_quality_completeness_sum_total", "counter", []],
  ["dashstream_quality_completeness_count_total", "counter", []],
  ["dashstream_quality_score_by_model", "histogram", ["model"], "qualityScore"],
  ["dashstream_queries_by_model_total", "counter", ["model"]],
  ["dashstream_latency_by_model_ms", "histogram", ["model"], "latencyMs"],
  ["dashstream_turns_by_session", "histogram", [], "sessionTurns"],
  ["dashstream_librarian_requests_total", "counter", []],
  ["dashstream_librarian_iterations", "gauge", []],
  ["dashstream_librarian_tests_total", "counter", ["status"]],
  ["dashstream_librarian_request_duration_seconds", "histogram", [], "durationSeconds"],
  ["dashstream_exporter_process_start_time_seconds", "gauge", []],
  [
    "dashstream_exporter_metrics_endpoint_duration_seconds",
    "histogram",
    [],
    "metricsEndpointSeconds",
  ],
  ["dashstream_exporter_messages_received_total", "counter", []],
  ["dashstream_exporter_messages_failed_total", "counter", ["error_type"]],
  ["dashstream_exporter_kafka_consumer_errors_total", "counter", []],
  ["dashstream_exporter_offset_store_errors_total", "counter", []],
  ["dashstream_exporter_last_event_timestamp_seconds", "gauge", []],
  ["dashstream_exporter_messages_wrong_scope_total", "counter", []],
  ["dashstream_exporter_messages_missing_header_total", "counter", []],
  ["dashstream_exporter_gauges_last_update_timestamp_seconds", "gauge", []],
  ["dashstream_exporter_kafka_consumer_lag", "gauge", []],
  ["dashstream_exporter_kafka_payload_missing_total", "counter", []],
];

Deno.test("CATALOG matches the spec's metric table row by row", () => {
  assert.deepEqual(
    CATALOG.map((m) => [m.name, m.type, [...m.labelNames], ...(m.buckets ? [m.buckets] : [])]),
    SPEC_TABLE,
  );
});

Deno.test("CATALOG rows are well formed", () => {
  const names = new Set<string>();
  for (const metric of CATALOG) {
    assert.match(metric.name, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    assert.ok(!names.has(metric.name), `unique: ${metric.name}`);
    names.add(metric.name);
    assert.ok(metric.help.length > 0 && !metric.help.includes("\n"), metric.name);
    assert.equal(metric.name.endsWith("_total"), metric.type === "counter", metric.name);
    assert.equal(metric.buckets !== undefined, metric.type === "histogram", metric.name);
    assert.ok(Object.isFrozen(metric));
  }
  assert.equal(Object.values(METRICS).length, CATALOG.length);
});

Deno.test("DEFAULT_BUCKETS holds the spec's bounds and env vars", () => {
  assert.deepEqual(DEFAULT_BUCKETS, {
    latencyMs: [10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 20000, 30000],
    retry: [0, 1, 2, 3, 5, 10],
    qualityScore: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1],
    sessionTurns: [1, 2, 5, 10, 20, 50],
    durationSeconds: [0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
    metricsEndpointSeconds: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  });
  assert.deepEqual(BUCKET_ENV_VARS, {
    latencyMs: "PROMETHEUS_LATENCY_BUCKETS_MS",
    retry: "PROMETHEUS_RETRY_BUCKETS",
    qualityScore: "PROMETHEUS_QUALITY_SCORE_BUCKETS",
    sessionTurns: "PROMETHEUS_SESSION_TURN_BUCKETS",
    durationSeconds: "PROMETHEUS_DURATION_BUCKETS_SECONDS",
    metricsEndpointSeconds: "PROMETHEUS_METRICS_ENDPOINT_BUCKETS",
  });
});

Deno.test("catalog label value sets match the spec", () => {
  assert.deepEqual(FAILURE_TYPES, ["decode", "process", "unknown"]);
  assert.deepEqual(CATEGORIES, ["Simple", "Medium", "Complex", "Edge", "Unknown"]);
  assert.deepEqual(LIBRARIAN_APP_TYPES, [
    "librarian",
    "code_assistant",
    "document_search",
    "document_search_streaming",
  ]);
});
