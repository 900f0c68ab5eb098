import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { register as globalRegistry, Registry } from "prom-client";
import {
  CheckpointSchema,
  DashStreamMessageSchema,
  ErrorSchema,
  EventSchema,
  TokenChunkSchema,
} from "../gen/dashstream_pb.ts";
import { LIBRARIAN_APP_TYPES } from "../event/librarian.ts";
import { type ApplyOutcome, MetricsConfigError, MetricsCore } from "./core.ts";
import { PRECREATED_MODELS } from "./normalize_model.ts";
import {
  assertSeries,
  histogram,
  readExposition,
  scrape,
  scrapeText,
  seriesKey,
} from "../../tests/support/exposition.ts";
import { emptyQualityEvent, type QualityEvent } from "../event/quality_event.ts";
import {
  newTestCore as newCore,
  readMetricsConfigWarnings,
  TEST_T0 as T0,
} from "../../tests/support/metrics_core.ts";
import {
  floatValue,
  intValue,
  metricsMessage,
  type QualityFields,
  qualityMessage,
  stringValue,
  viaWire,
} from "../../tests/support/sample/mod.ts";

const ENDPOINT = "dashstream_exporter_metrics_endpoint_duration_seconds";

/** Series whose value changed (or appeared) across `act`, ignoring the scrape-duration histogram. */
async function delta(core: MetricsCore, act: () => void): Promise<Map<string, number>> {
  const before = await scrape(core);
  act();
  const after = await scrape(core);
  const changed = new Map<string, number>();
  for (const [key, value] of after) {
    if (key.startsWith(ENDPOINT)) continue;
    if (!Object.is(before.get(key), value)) changed.set(key, value);
  }
  for (const key of before.keys()) assert.ok(after.has(key), `series disappeared: ${key}`);
  return changed;
}

/** Metric family names among `series` keys (histogram suffixes folded). */
function families(series: Map<string, number>): string[] {
  const names = new Set<string>();
  for (const key of series.keys()) {
    names.add(key.replace(/\{.*$/, "").replace(/_(bucket|sum|count)$/, ""));
  }
  return [...names].sort();
}

function apply(core: MetricsCore, init: QualityFields = {}): ApplyOutcome {
  return core.applyMessage(viaWire(qualityMessage({ bare: true, ...init })));
}

/** The series one event changes on a fresh core. */
function changedByOne(init: QualityFields): Promise<Map<string, number>> {
  const { core } = newCore();
  return delta(core, () => apply(core, init));
}

function event(fields: Partial<QualityEvent> = {}): QualityEvent {
  return { ...emptyQualityEvent(), hasHeader: true, sessionId: "s", ...fields };
}

// ---------------------------------------------------------------------------------------------
// Exposition

Deno.test("render() pre-creates the spec's series at 0", async () => {
  const { core } = newCore();
  const samples = await scrape(core);
  const zeros = [
    ...["decode", "process", "unknown"].map((t) =>
      `dashstream_exporter_messages_failed_total{error_type="${t}"}`
    ),
    ...["Simple", "Medium", "Complex", "Edge", "Unknown"].map((c) =>
      `dashstream_quality_monitor_queries_failed_total{category="${c}"}`
    ),
    ...PRECREATED_MODELS.map((m) => `dashstream_queries_by_model_total{model="${m}"}`),
    'dashstream_librarian_tests_total{status="passed"}',
    'dashstream_librarian_tests_total{status="failed"}',
    'dashstream_quality_retry_count_count{status="passed"}',
    'dashstream_quality_retry_count_count{status="failed"}',
    "dashstream_quality_monitor_queries_total",
    "dashstream_quality_monitor_queries_passed_total",
    "dashstream_quality_monitor_quality_score",
    "dashstream_quality_accuracy",
    "dashstream_quality_relevance",
    "dashstream_quality_completeness",
    "dashstream_query_latency_ms_count",
    "dashstream_turns_by_session_count",
    "dashstream_librarian_requests_total",
    "dashstream_librarian_iterations",
    "dashstream_librarian_request_duration_seconds_count",
    "dashstream_exporter_messages_received_total",
    "dashstream_exporter_kafka_consumer_errors_total",
    "dashstream_exporter_offset_store_errors_total",
    "dashstream_exporter_last_event_timestamp_seconds",
    "dashstream_exporter_messages_wrong_scope_total",
    "dashstream_exporter_messages_missing_header_total",
    "dashstream_exporter_gauges_last_update_timestamp_seconds",
    "dashstream_exporter_kafka_consumer_lag",
    "dashstream_exporter_kafka_payload_missing_total",
  ];
  for (const key of zeros) assert.equal(samples.get(key), 0, key);
  assert.equal(PRECREATED_MODELS.length, 14);
  const modelSeries = [...samples.keys()].filter((k) =>
    k.startsWith("dashstream_queries_by_model")
  );
  assert.equal(modelSeries.length, 14, "only the pre-created models");
  assert.ok(
    ![...samples.keys()].some((k) => k.startsWith("dashstream_quality_score_by_model")),
    "per-model histograms appear on first use",
  );
});

Deno.test("render() exposes build info and the process start time", async () => {
  const { core } = newCore();
  const samples = await scrape(core);
  assert.equal(
    samples.get(
      seriesKey("dashflow_build_info", {
        version: "1.2.3",
        commit: "abc123",
        build_date: "2025-01-02",
        rust_version: "deno 2.9.6",
      }),
    ),
    1,
  );
  assert.equal(samples.get("dashstream_exporter_process_start_time_seconds"), T0 / 1000);
});

// ---------------------------------------------------------------------------------------------
// Which records count

Deno.test("applyMessage() ignores non-metrics messages without counting", async () => {
  const { core } = newCore();
  const messages = [
    create(DashStreamMessageSchema, {}),
    create(DashStreamMessageSchema, { message: { case: "event", value: create(EventSchema) } }),
    create(DashStreamMessageSchema, {
      message: { case: "tokenChunk", value: create(TokenChunkSchema, { text: "hi" }) },
    }),
    create(DashStreamMessageSchema, { message: { case: "error", value: create(ErrorSchema) } }),
    create(DashStreamMessageSchema, {
      message: { case: "checkpoint", value: create(CheckpointSchema) },
    }),
  ];
  const changed = await delta(core, () => {
    for (const msg of messages) assert.equal(core.applyMessage(viaWire(msg)), "ignored");
  });
  assert.deepEqual([...changed], []);
});

Deno.test("applyMessage() counts a wrong scope and skips the message", async () => {
  const { core } = newCore();
  const scopes = ["Quality", "QUALITY", "quality ", "", "latency"];
  const changed = await delta(core, () => {
    for (const scope of scopes) {
      assert.equal(
        apply(core, { scope, passed: true, turnNumber: 3, tags: { model: "gpt-4" } }),
        "wrong_scope",
      );
    }
  });
  assert.deepEqual([...changed], [["dashstream_exporter_messages_wrong_scope_total", 5]]);
  core.recordWrongScope();
  assert.equal((await scrape(core)).get("dashstream_exporter_messages_wrong_scope_total"), 6);
});

Deno.test("applyMessage() counts a missing header and goes on with an empty session id", async () => {
  const { core } = newCore();
  const changed = await delta(core, () => {
    assert.equal(apply(core, { header: null, passed: true, turnNumber: 4 }), "applied");
  });
  assert.equal(changed.get("dashstream_exporter_messages_missing_header_total"), 1);
  assert.equal(changed.get("dashstream_quality_monitor_queries_total"), 1);
  assert.equal(changed.get("dashstream_quality_monitor_queries_passed_total"), 1);
  // Empty session id: the turn is observed at once, not tracked.
  assert.equal(changed.get("dashstream_turns_by_session_count"), 1);
  assert.equal(changed.get("dashstream_turns_by_session_sum"), 4);
  assert.equal(core.trackedSessions, 0);
});

Deno.test("applyMessage() with a header does not count a missing header", async () => {
  const { core } = newCore();
  apply(core, { sessionId: "" });
  assert.equal((await scrape(core)).get("dashstream_exporter_messages_missing_header_total"), 0);
});

// ---------------------------------------------------------------------------------------------
// Updates for each accepted event

Deno.test("applyQuality() of a default event touches exactly the always-updated series", async () => {
  const { core, clock } = newCore();
  clock.now = T0 + 5500;
  const changed = await delta(core, () => apply(core, {}));
  assert.deepEqual(families(changed), [
    "dashstream_exporter_gauges_last_update_timestamp_seconds",
    "dashstream_exporter_last_event_timestamp_seconds",
    // A default event's scores are 0: counted, adding 0 to the sums.
    "dashstream_quality_accuracy_count_total",
    "dashstream_quality_completeness_count_total",
    "dashstream_quality_monitor_quality_score_count_total",
    "dashstream_quality_monitor_queries_failed_total",
    "dashstream_quality_monitor_queries_total",
    "dashstream_quality_relevance_count_total",
    "dashstream_quality_retry_count",
    "dashstream_query_latency_ms",
  ]);
  assertSeries(changed, {
    "dashstream_exporter_last_event_timestamp_seconds": 1_700_000_005.5,
    "dashstream_exporter_gauges_last_update_timestamp_seconds": 1_700_000_005.5,
    'dashstream_quality_monitor_queries_failed_total{category="Unknown"}': 1,
    'dashstream_quality_retry_count_count{status="failed"}': 1,
    "dashstream_query_latency_ms_count": 1,
  });
});

Deno.test("applyQuality() counts passed events without a category", async () => {
  const changed = await changedByOne({ passed: true, tags: { category: "edge" } });
  assert.equal(changed.get("dashstream_quality_monitor_queries_passed_total"), 1);
  assert.equal(changed.get("dashstream_quality_monitor_queries_total"), 1);
  assert.ok(!families(changed).includes("dashstream_quality_monitor_queries_failed_total"));
  assert.equal(changed.get('dashstream_quality_retry_count_count{status="passed"}'), 1);
});

Deno.test("applyQuality() counts failures by normalized category with tag precedence", async () => {
  const { core } = newCore();
  const cases: Array<[Record<string, string>, string]> = [
    [{ category: "simple" }, "Simple"],
    [{ category: "SIMPLE" }, "Simple"],
    [{ category: "Simple" }, "Simple"],
    [{ query_category: "medium" }, "Medium"],
    [{ complexity: "COMPLEX" }, "Complex"],
    [{ category: "Edge", query_category: "simple", complexity: "simple" }, "Edge"],
    [{ query_category: "edge", complexity: "simple" }, "Edge"],
    [{ category: "sImPlE" }, "Unknown"],
    [{ category: "", complexity: "simple" }, "Unknown"],
    [{}, "Unknown"],
  ];
  for (const [tags, expected] of cases) {
    const changed = await delta(core, () => apply(core, { passed: false, tags }));
    const failed = [...changed.keys()].filter((k) =>
      k.startsWith("dashstream_quality_monitor_queries_failed_total")
    );
    assert.deepEqual(
      failed,
      [`dashstream_quality_monitor_queries_failed_total{category="${expected}"}`],
      JSON.stringify(tags),
    );
  }
  const samples = await scrape(core);
  assert.equal(
    samples.get('dashstream_quality_monitor_queries_failed_total{category="Simple"}'),
    3,
  );
  assert.equal(samples.get('dashstream_quality_monitor_queries_failed_total{category="Edge"}'), 2);
  assert.equal(
    samples.get('dashstream_quality_monitor_queries_failed_total{category="Unknown"}'),
    3,
  );
});

Deno.test("applyQuality() sets the score gauges to the raw values of the last event", async () => {
  const { core } = newCore();
  apply(core, { qualityScore: 0.1, accuracy: 0.2, relevance: 0.3, completeness: 0.4 });
  apply(core, { qualityScore: 1.5, accuracy: -0.25, relevance: 0, completeness: 0.999 });
  const samples = await scrape(core);
  assert.equal(samples.get("dashstream_quality_monitor_quality_score"), 1.5);
  assert.equal(samples.get("dashstream_quality_accuracy"), -0.25);
  assert.equal(samples.get("dashstream_quality_relevance"), 0);
  assert.equal(samples.get("dashstream_quality_completeness"), 0.999);
  // A later event without the values resets them to the defaults (0).
  apply(core, {});
  const after = await scrape(core);
  assert.equal(after.get("dashstream_quality_monitor_quality_score"), 0);
  assert.equal(after.get("dashstream_quality_completeness"), 0);
});

Deno.test("applyQuality() observes latency, clamping negatives to 0", async () => {
  const { core } = newCore();
  apply(core, { latencyMs: 120 });
  apply(core, { latencyMs: -40 });
  apply(core, { latencyMs: 45_000 });
  const view = histogram(await scrape(core), "dashstream_query_latency_ms");
  assert.equal(view.count, 3);
  assert.equal(view.sum, 45_120);
  assert.equal(view.buckets["10"], 1, "the negative latency observed as 0");
  assert.equal(view.buckets["100"], 1);
  assert.equal(view.buckets["200"], 2);
  assert.equal(view.buckets["30000"], 2);
  assert.equal(view.buckets["+Inf"], 3);
});

Deno.test("applyQuality() observes retry counts by status, clamping negatives to 0", async () => {
  const { core } = newCore();
  apply(core, { passed: true, retryCount: 2 });
  apply(core, { passed: false, retryCount: 7 });
  apply(core, { passed: false, retryCount: -3 });
  const samples = await scrape(core);
  const passed = histogram(samples, "dashstream_quality_retry_count", { status: "passed" });
  const failed = histogram(samples, "dashstream_quality_retry_count", { status: "failed" });
  assert.deepEqual(passed, {
    count: 1,
    sum: 2,
    buckets: { "0": 0, "1": 0, "2": 1, "3": 1, "5": 1, "10": 1, "+Inf": 1 },
  });
  assert.deepEqual(failed, {
    count: 2,
    sum: 7,
    buckets: { "0": 1, "1": 1, "2": 1, "3": 1, "5": 1, "10": 2, "+Inf": 2 },
  });
});

Deno.test("applyQuality() updates per-model series under the normalized model", async () => {
  const { core } = newCore();
  const changed = await delta(core, () => {
    apply(core, { qualityScore: 0.92, latencyMs: 300, tags: { model: " GPT-4o-Mini-2024 " } });
    apply(core, { qualityScore: 0.5, latencyMs: 50, tags: { model: "gpt4omini" } });
  });
  assert.equal(changed.get('dashstream_queries_by_model_total{model="gpt-4o-mini"}'), 2);
  const samples = await scrape(core);
  const score = histogram(samples, "dashstream_quality_score_by_model", { model: "gpt-4o-mini" });
  assert.equal(score.count, 2);
  assert.equal(score.sum, 1.42);
  assert.equal(score.buckets["0.5"], 1);
  assert.equal(score.buckets["0.9"], 1);
  assert.equal(score.buckets["0.95"], 2);
  const latency = histogram(samples, "dashstream_latency_by_model_ms", { model: "gpt-4o-mini" });
  assert.equal(latency.count, 2);
  assert.equal(latency.sum, 350);
  assert.equal(latency.buckets["50"], 1);
  assert.equal(latency.buckets["500"], 2);
});

Deno.test("applyQuality() creates series for models that are not pre-created", async () => {
  const { core } = newCore();
  apply(core, { tags: { model: "some-new-model" } });
  apply(core, { tags: { model: "claude-instant" } });
  const samples = await scrape(core);
  assert.equal(samples.get('dashstream_queries_by_model_total{model="other"}'), 1);
  assert.equal(samples.get('dashstream_queries_by_model_total{model="claude-other"}'), 1);
  assert.equal(histogram(samples, "dashstream_latency_by_model_ms", { model: "other" }).count, 1);
});

Deno.test("applyQuality() skips per-model series when the model is empty", async () => {
  const { core } = newCore();
  const changed = await delta(core, () => {
    apply(core, { qualityScore: 0.9 });
    apply(core, { qualityScore: 0.9, tags: { model: "" } });
  });
  for (const family of families(changed)) {
    assert.ok(!family.includes("by_model"), family);
  }
  // "  " is not empty: it normalizes to other.
  apply(core, { tags: { model: "  " } });
  assert.equal((await scrape(core)).get('dashstream_queries_by_model_total{model="other"}'), 1);
});

Deno.test("applyQuality() keeps the model label bounded under many distinct model strings", async () => {
  const { core } = newCore();
  for (let i = 0; i < 5000; i++) core.applyQuality(event({ model: `gpt-4o-${i}` }));
  const samples = await scrape(core);
  assert.equal(samples.get('dashstream_queries_by_model_total{model="gpt-4o"}'), 5000);
  const models = new Set(
    [...samples.keys()].filter((k) => k.includes("model=")).map((k) =>
      /model="([^"]*)"/.exec(k)![1]
    ),
  );
  assert.deepEqual([...models].sort(), [...PRECREATED_MODELS].sort());
});

// ---------------------------------------------------------------------------------------------
// Sessions

Deno.test("applyQuality() tracks sessions and observes max turns at flush", async () => {
  const { core } = newCore();
  apply(core, { sessionId: "a", turnNumber: 1 });
  apply(core, { sessionId: "a", turnNumber: 3 });
  apply(core, { sessionId: "a", turnNumber: 2 });
  apply(core, { sessionId: "b", turnNumber: 7 });
  apply(core, { sessionId: "c", turnNumber: 0 }); // not tracked
  apply(core, { sessionId: "d", turnNumber: -2 }); // clamped to 0, not tracked
  assert.equal(core.trackedSessions, 2);
  assert.equal((await scrape(core)).get("dashstream_turns_by_session_count"), 0);
  assert.equal(core.flushSessions(), 2);
  const view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.deepEqual(view, {
    count: 2,
    sum: 10,
    buckets: { "1": 0, "2": 0, "5": 1, "10": 2, "20": 2, "50": 2, "+Inf": 2 },
  });
  assert.equal(core.trackedSessions, 0);
  assert.equal(core.flushSessions(), 0);
});

Deno.test("expireSessions() observes sessions idle longer than the timeout", async () => {
  const { core, clock } = newCore({ sessionTimeoutSecs: 60 });
  apply(core, { sessionId: "a", turnNumber: 2 });
  clock.now += 30_000;
  apply(core, { sessionId: "b", turnNumber: 5 });
  clock.now += 30_000; // a idle exactly 60 s
  assert.equal(core.expireSessions(), 0);
  clock.now += 1;
  assert.equal(core.expireSessions(), 1);
  let view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.equal(view.count, 1);
  assert.equal(view.sum, 2);
  clock.now += 30_000;
  assert.equal(core.expireSessions(), 1);
  view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.equal(view.count, 2);
  assert.equal(view.sum, 7);
  assert.equal(core.trackedSessions, 0);
});

Deno.test("applyQuality() expires idle sessions on its own as time passes", async () => {
  const { core, clock } = newCore(); // default timeout 300 s
  assert.equal(core.sessionTimeoutSecs, 300);
  apply(core, { sessionId: "old", turnNumber: 4 });
  clock.now += 300_001;
  apply(core, { sessionId: "new", turnNumber: 1 });
  assert.equal(core.trackedSessions, 1);
  const view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.equal(view.count, 1);
  assert.equal(view.sum, 4);
});

Deno.test("applyQuality() restarts a session that went idle past the timeout", async () => {
  const { core, clock } = newCore({ sessionTimeoutSecs: 10 });
  apply(core, { sessionId: "a", turnNumber: 6 });
  clock.now += 10_001;
  apply(core, { sessionId: "a", turnNumber: 1 });
  assert.equal(core.trackedSessions, 1);
  core.flushSessions();
  const view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.equal(view.count, 2);
  assert.equal(view.sum, 7);
});

Deno.test("applyQuality() keeps sessions bounded and observes evicted ones", async () => {
  const { core } = newCore({ maxSessions: 3 });
  assert.equal(core.maxSessions, 3);
  for (let i = 1; i <= 10; i++) core.applyQuality(event({ sessionId: `s${i}`, turnNumber: i }));
  assert.equal(core.trackedSessions, 3);
  let view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.equal(view.count, 7, "s1..s7 evicted");
  assert.equal(view.sum, 28);
  core.flushSessions();
  view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.equal(view.count, 10);
  assert.equal(view.sum, 55);
});

Deno.test("applyQuality() observes a turn with an empty session id at once", async () => {
  const { core } = newCore();
  core.applyQuality(event({ sessionId: "", turnNumber: 3 }));
  core.applyQuality(event({ sessionId: "", turnNumber: 0 }));
  const view = histogram(await scrape(core), "dashstream_turns_by_session");
  assert.equal(view.count, 1);
  assert.equal(view.sum, 3);
  assert.equal(core.trackedSessions, 0);
});

// ---------------------------------------------------------------------------------------------
// Librarian

const LIBRARIAN_FAMILIES = [
  "dashstream_librarian_iterations",
  "dashstream_librarian_request_duration_seconds",
  "dashstream_librarian_requests_total",
  "dashstream_librarian_tests_total",
];

function librarianFamilies(changed: Map<string, number>): string[] {
  return families(changed).filter((f) => f.startsWith("dashstream_librarian"));
}

Deno.test("applyQuality() feeds librarian metrics for each librarian application type", async () => {
  for (const type of LIBRARIAN_APP_TYPES) {
    const { core } = newCore();
    const changed = await delta(core, () =>
      apply(core, {
        passed: true,
        turnNumber: 3,
        latencyMs: 1500,
        tags: { application_type: type },
      }));
    assert.deepEqual(librarianFamilies(changed), LIBRARIAN_FAMILIES, type);
    assert.equal(changed.get("dashstream_librarian_requests_total"), 1, type);
    assert.equal(changed.get("dashstream_librarian_iterations"), 3, type);
    assert.equal(changed.get('dashstream_librarian_tests_total{status="passed"}'), 1, type);
    const view = histogram(await scrape(core), "dashstream_librarian_request_duration_seconds");
    assert.equal(view.sum, 1.5, `latency_ms / 1000 for ${type}`);
    assert.equal(view.buckets["1"], 0);
    assert.equal(view.buckets["2"], 1);
  }
});

Deno.test("applyQuality() reads the app_type alias for librarian routing", async () => {
  const changed = await changedByOne({
    passed: false,
    tags: { app_type: "document_search_streaming" },
  });
  assert.equal(changed.get("dashstream_librarian_requests_total"), 1);
  assert.equal(changed.get('dashstream_librarian_tests_total{status="failed"}'), 1);
  assert.equal(changed.has("dashstream_librarian_iterations"), false, "turn 0 leaves it");
});

Deno.test("applyQuality() leaves librarian metrics alone for other application types", async () => {
  const { core } = newCore();
  const changed = await delta(core, () => {
    apply(core, { turnNumber: 2, latencyMs: 5, tags: { application_type: "chat" } });
    apply(core, { turnNumber: 2, tags: { application_type: "Librarian" } });
    apply(core, { turnNumber: 2, tags: { application_type: " librarian" } });
    apply(core, { turnNumber: 2, tags: {} });
    // application_type wins over app_type even when app_type is a librarian type.
    apply(core, { turnNumber: 2, tags: { application_type: "chat", app_type: "librarian" } });
  });
  assert.deepEqual(librarianFamilies(changed), []);
});

Deno.test("applyQuality() sets librarian iterations only for a positive turn", async () => {
  const { core } = newCore();
  apply(core, { turnNumber: 5, tags: { application_type: "librarian" } });
  apply(core, { turnNumber: 0, tags: { application_type: "librarian" } });
  apply(core, { turnNumber: -1, tags: { application_type: "librarian" } });
  const samples = await scrape(core);
  assert.equal(samples.get("dashstream_librarian_iterations"), 5);
  assert.equal(samples.get("dashstream_librarian_requests_total"), 3);
  assert.equal(samples.get('dashstream_librarian_tests_total{status="failed"}'), 3);
});

// ---------------------------------------------------------------------------------------------
// Field kinds, odd values

Deno.test("applyMessage() ignores metric values of the wrong kind", async () => {
  const { core } = newCore();
  const msg = metricsMessage({
    metrics: {
      quality_score: intValue(1),
      passed: intValue(1),
      latency_ms: floatValue(5000),
      retry_count: stringValue("4"),
      turn_number: floatValue(3),
      accuracy: intValue(1),
    },
    tags: { model: "gpt-4" },
  });
  core.applyMessage(viaWire(msg));
  const samples = await scrape(core);
  assert.equal(
    samples.get('dashstream_quality_monitor_queries_failed_total{category="Unknown"}'),
    1,
  );
  assert.equal(samples.get("dashstream_quality_monitor_quality_score"), 0);
  assert.equal(samples.get("dashstream_quality_accuracy"), 0);
  assert.equal(histogram(samples, "dashstream_query_latency_ms").sum, 0);
  assert.equal(histogram(samples, "dashstream_quality_retry_count", { status: "failed" }).sum, 0);
  assert.equal(core.trackedSessions, 0);
  assert.equal(
    histogram(samples, "dashstream_quality_score_by_model", { model: "gpt-4" }).buckets["0.1"],
    1,
  );
});

Deno.test("applyQuality() keeps non-finite values out of histograms without throwing", async () => {
  const { core } = newCore();
  core.applyQuality(event({ latencyMs: Infinity, retryCount: NaN, turnNumber: Infinity }));
  core.applyQuality(event({ qualityScore: NaN, model: "gpt-4", accuracy: Infinity }));
  const samples = await scrape(core);
  assert.ok(Number.isNaN(samples.get("dashstream_quality_monitor_quality_score")));
  assert.equal(samples.get("dashstream_quality_accuracy"), Infinity);
  assert.equal(samples.get("dashstream_quality_monitor_queries_total"), 2);
  assert.equal(samples.get('dashstream_queries_by_model_total{model="gpt-4"}'), 1);
  assert.equal(
    samples.has('dashstream_quality_score_by_model_count{model="gpt-4"}'),
    false,
    "NaN is not observed",
  );
  assert.equal(histogram(samples, "dashstream_query_latency_ms").count, 1, "only the finite 0");
  assert.equal(histogram(samples, "dashstream_quality_retry_count", { status: "failed" }).count, 1);
  assert.equal(histogram(samples, "dashstream_turns_by_session").count, 0);
  assert.equal(core.trackedSessions, 0);
  const om = await scrapeText(core, { openMetrics: true });
  const parsed = readExposition(om);
  assert.equal(parsed.eof, true);
  assert.ok(om.includes("\ndashstream_quality_monitor_quality_score NaN\n"));
  assert.ok(om.includes("\ndashstream_quality_accuracy +Inf\n"));
});

// ---------------------------------------------------------------------------------------------
// Operational counters

Deno.test("record*() methods count operational events", async () => {
  const { core } = newCore();
  const changed = await delta(core, () => {
    core.recordReceived();
    core.recordReceived();
    core.recordPayloadMissing();
    core.recordFailure("decode");
    core.recordFailure("decode");
    core.recordFailure("process");
    core.recordFailure("unknown");
    core.recordConsumerError();
    core.recordOffsetStoreError();
    core.setConsumerLag(42);
  });
  assert.deepEqual(
    Object.fromEntries(changed),
    {
      "dashstream_exporter_messages_received_total": 2,
      "dashstream_exporter_kafka_payload_missing_total": 1,
      'dashstream_exporter_messages_failed_total{error_type="decode"}': 2,
      'dashstream_exporter_messages_failed_total{error_type="process"}': 1,
      'dashstream_exporter_messages_failed_total{error_type="unknown"}': 1,
      "dashstream_exporter_kafka_consumer_errors_total": 1,
      "dashstream_exporter_offset_store_errors_total": 1,
      "dashstream_exporter_kafka_consumer_lag": 42,
    },
  );
});

Deno.test("setConsumerLag() sets negative and non-finite lag as 0", async () => {
  const { core } = newCore();
  for (const lag of [-1001, NaN, Infinity]) {
    core.setConsumerLag(7);
    core.setConsumerLag(lag);
    assert.equal(
      (await scrape(core)).get("dashstream_exporter_kafka_consumer_lag"),
      0,
      String(lag),
    );
  }
});

// ---------------------------------------------------------------------------------------------
// Configuration

Deno.test("MetricsCore uses bucket overrides from readMetricsConfig()", async () => {
  const { config, warnings } = readMetricsConfigWarnings({
    PROMETHEUS_LATENCY_BUCKETS_MS: "5,25",
    PROMETHEUS_RETRY_BUCKETS: "garbage",
    PROMETHEUS_SESSION_TURN_BUCKETS: "3,two,1",
    PROMETHEUS_SESSION_TIMEOUT_SECS: "45",
  });
  assert.equal(warnings.length, 2);
  const { core } = newCore({
    buckets: config.buckets,
    sessionTimeoutSecs: config.sessionTimeoutSecs,
  });
  assert.equal(core.sessionTimeoutSecs, 45);
  apply(core, { latencyMs: 20 });
  const samples = await scrape(core);
  assert.deepEqual(histogram(samples, "dashstream_query_latency_ms").buckets, {
    "5": 0,
    "25": 1,
    "+Inf": 1,
  });
  assert.deepEqual(
    Object.keys(histogram(samples, "dashstream_quality_retry_count", { status: "passed" }).buckets),
    ["0", "1", "2", "3", "5", "10", "+Inf"],
    "a bad override keeps the default",
  );
  assert.deepEqual(
    Object.keys(histogram(samples, "dashstream_turns_by_session").buckets),
    ["1", "2", "5", "10", "20", "50", "+Inf"],
  );
});

Deno.test("MetricsCore rejects invalid options with a typed error", () => {
  assert.throws(() => newCore({ buckets: { latencyMs: [5, 1] } }), MetricsConfigError);
  assert.throws(() => newCore({ buckets: { retry: [1, NaN] } }), MetricsConfigError);
  assert.throws(() => newCore({ sessionTimeoutSecs: -1 }), MetricsConfigError);
  // The original's readings of PROMETHEUS_*_BUCKETS=inf and PROMETHEUS_SESSION_TIMEOUT_SECS=0.
  assert.deepEqual(newCore({ buckets: { retry: [] } }).core.buckets.retry, []);
  assert.equal(newCore({ sessionTimeoutSecs: 0 }).core.sessionTimeoutSecs, 0);
  assert.throws(() => newCore({ maxSessions: 0 }), MetricsConfigError);
  assert.throws(() => newCore({ maxSessions: 2.5 }), MetricsConfigError);
  // The types only allow 0.0.4 registries; JS callers still get a clear error.
  const openMetricsRegistry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  openMetricsRegistry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  assert.throws(
    () => newCore({ registry: openMetricsRegistry as unknown as Registry }),
    MetricsConfigError,
  );
});

Deno.test("MetricsCore with invalid options leaves the given registry untouched", async () => {
  const registry = new Registry();
  assert.throws(() => newCore({ registry, maxSessions: -1 }), MetricsConfigError);
  assert.throws(() => newCore({ registry, sessionTimeoutSecs: NaN }), MetricsConfigError);
  assert.throws(() => newCore({ registry, buckets: { latencyMs: [1, 1] } }), MetricsConfigError);
  assert.equal(await registry.metrics(), "\n");
  assert.equal(newCore({ registry }).core.registry, registry, "still usable");
});

Deno.test("MetricsCore registers into its own registry, never the global one", async () => {
  const before = await globalRegistry.metrics();
  const a = newCore().core;
  const b = newCore().core; // a second core does not clash
  assert.notEqual(a.registry, b.registry);
  assert.equal(await globalRegistry.metrics(), before);
  assert.ok(!before.includes("dashstream_"));
  const shared = new Registry();
  const { core } = newCore({ registry: shared });
  assert.equal(core.registry, shared);
  assert.ok((await shared.metrics()).includes("dashstream_quality_monitor_queries_total"));
});

Deno.test("applyQuality() observes values up to their range's bound and counts the rest", async () => {
  const { core } = newCore();
  const event = (fields: Partial<QualityEvent>): QualityEvent => ({
    ...emptyQualityEvent(),
    passed: true,
    model: "gpt-4o",
    ...fields,
  });
  core.applyQuality(event({ latencyMs: 86_400_000, retryCount: 1e6, qualityScore: -1e6 }));
  core.applyQuality(event({ turnNumber: 1e6, accuracy: 1e6 }));
  const ok = await scrape(core);
  assert.equal(ok.get("dashstream_query_latency_ms_count"), 2);
  assert.equal(ok.get("dashstream_query_latency_ms_sum"), 86_400_000);
  assert.equal(ok.get('dashstream_quality_retry_count_sum{status="passed"}'), 1e6);
  assert.equal(ok.get("dashstream_quality_monitor_quality_score_sum_total"), -1e6);
  assert.equal(ok.get("dashstream_turns_by_session_sum"), 1e6);
  assert.equal(ok.get("dashstream_quality_accuracy_sum_total"), 1e6);
  const changed = await delta(core, () => {
    core.applyQuality(event({ latencyMs: 86_400_001, retryCount: 1e6 + 1, turnNumber: 1e6 + 1 }));
    core.applyQuality(event({ qualityScore: NaN, accuracy: Infinity, relevance: -1e6 - 1 }));
    core.applyQuality(event({ completeness: 2e6 }));
  });
  const rejected = (field: string) =>
    changed.get(`dashstream_exporter_values_rejected_total{field="${field}"}`);
  for (const field of ["latency_ms", "retry_count", "turn_number", "quality_score", "accuracy"]) {
    assert.equal(rejected(field), 1, field);
  }
  assert.equal(rejected("relevance"), 1);
  assert.equal(rejected("completeness"), 1);
  // Only counters of events and in-range values moved; no histogram sum did.
  for (const key of changed.keys()) {
    assert.ok(!/_sum(_total)?($|\{)/.test(key), key);
  }
  assert.equal(changed.get("dashstream_query_latency_ms_sum"), undefined);
  // The gauges still show the values as they came.
  assert.equal(changed.get("dashstream_quality_completeness"), 2e6);
});
