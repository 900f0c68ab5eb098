import assert from "node:assert/strict";
import { MetricsCore } from "../metrics/core.ts";
import type { QualityEvent } from "../event/quality_event.ts";
import { scrapeText } from "../../tests/support/exposition.ts";
import { checkExposition } from "./check_exposition.ts";
import { checkExpectations } from "./expect.ts";
import { dashflowExpectations } from "./expect_dashflow.ts";
import type { ExpositionFormat } from "./exposition.ts";
import { parseExposition } from "./parse.ts";

function event(extra: Partial<QualityEvent> = {}): QualityEvent {
  return {
    qualityScore: 0.9,
    passed: false,
    latencyMs: 120,
    retryCount: 1,
    turnNumber: 2,
    accuracy: 0.8,
    relevance: 0.7,
    completeness: 0.6,
    model: "gpt-4o-mini-2024",
    category: "complex",
    applicationType: "librarian",
    sessionId: "",
    hasHeader: true,
    ...extra,
  } as QualityEvent;
}

async function render(
  format: ExpositionFormat,
  options: { buckets?: Record<string, number[]>; events?: QualityEvent[] } = {},
): Promise<string> {
  const core = new MetricsCore({
    buildInfo: { version: "0.1.0", commit: "abc", buildDate: "2026-01-01", runtime: "deno 2" },
    clock: () => 1_700_000_000_000,
    buckets: options.buckets,
  });
  for (const ev of options.events ?? [event()]) core.applyQuality(ev);
  return await scrapeText(core, { openMetrics: format === "openmetrics" });
}

function expect(text: string, format: ExpositionFormat, env: Record<string, string> = {}) {
  const { exposition, findings } = parseExposition(text, { format });
  assert.deepEqual(findings, []);
  const mode = Object.keys(env).length > 0 ? "env" : "default";
  return checkExpectations(exposition, dashflowExpectations({ buckets: mode, env }))
    .map((f) => `${f.rule}: ${f.message}`);
}

for (const format of ["text", "openmetrics"] as const) {
  Deno.test(`dashflowExpectations() hold for the exporter's own ${format} output`, async () => {
    const text = await render(format);
    assert.deepEqual(expect(text, format), []);
    const all = checkExposition(text, { format });
    assert.deepEqual(all.findings.filter((f) => f.severity === "error"), []);
  });
}

Deno.test("dashflowExpectations() name a missing metric", async () => {
  const text = (await render("text")).split("\n")
    // The gauge's lines only, not those of its _sum_total/_count_total counters.
    .filter((line) => !/^(# (HELP|TYPE) )?dashstream_quality_accuracy /.test(line)).join("\n");
  assert.deepEqual(expect(text, "text"), [
    "expect-missing: dashstream_quality_accuracy (gauge) is not exposed [expected by dashflow]",
  ]);
});

Deno.test("dashflowExpectations() check types, labels and pre-created series", async () => {
  const text = (await render("text"))
    .replace(
      "# TYPE dashstream_quality_relevance gauge",
      "# TYPE dashstream_quality_relevance untyped",
    )
    .replace(/category="Edge"/, 'kind="Edge"')
    .replace(/\n.*error_type="unknown".*/, "");
  assert.deepEqual(expect(text, "text"), [
    "expect-labels: dashstream_quality_monitor_queries_failed_total has labels {kind}, expected {category}",
    'expect-series: series dashstream_quality_monitor_queries_failed_total{category="Edge"} is not exposed (the exporter creates it at 0 on start)',
    "expect-type: dashstream_quality_relevance is an untyped, expected a gauge",
    'expect-series: series dashstream_exporter_messages_failed_total{error_type="unknown"} is not exposed (the exporter creates it at 0 on start)',
  ]);
});

Deno.test("dashflowExpectations() want the default buckets unless told to read the env", async () => {
  const env = { PROMETHEUS_RETRY_BUCKETS: "0,1,2" };
  const text = await render("text", { buckets: { retry: [0, 1, 2] } });
  const found = expect(text, "text");
  assert.equal(found.length, 1);
  assert.match(
    found[0],
    /^expect-buckets: dashstream_quality_retry_count\{status="passed"\} has bucket bounds 0,1,2, expected 0,1,2,3,5,10 \(the defaults; if the exporter sets PROMETHEUS_RETRY_BUCKETS/,
  );
  assert.deepEqual(expect(text, "text", env), []);
  const { exposition } = parseExposition(text, { format: "text" });
  assert.deepEqual(checkExpectations(exposition, dashflowExpectations({ buckets: "any" })), []);
});

Deno.test("dashflowExpectations() want quality scores in [0,1]", async () => {
  const text = await render("openmetrics", {
    events: [event({ qualityScore: 1.5, accuracy: -0.1 })],
  });
  assert.deepEqual(expect(text, "openmetrics"), [
    "expect-value: dashstream_quality_monitor_quality_score is 1.5, expected a value in [0, 1]",
    "expect-value: dashstream_quality_accuracy is -0.1, expected a value in [0, 1]",
    'expect-value: 1 observation(s) of dashstream_quality_score_by_model{model="gpt-4o-mini"} are above 1, expected values in [0, 1]',
  ]);
});

Deno.test("checkExpectations() reports a histogram exposed without # TYPE", () => {
  const { exposition } = parseExposition('h_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', {
    format: "text",
  });
  const found = checkExpectations(exposition, {
    source: "test",
    metrics: [{ name: "h", type: "histogram" }],
  });
  assert.deepEqual(found.map((f) => f.message), [
    "h (histogram) is not exposed (found h_bucket, h_sum, h_count: a missing # TYPE line?) [expected by test]",
  ]);
});
