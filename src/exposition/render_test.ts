import assert from "node:assert/strict";
import { CATALOG, GUARD_METRICS } from "../metrics/catalog.ts";
import type { MetricsCore } from "../metrics/core.ts";
import { newTestCore as newCore } from "../../tests/support/metrics_core.ts";
import { viaWire } from "../../tests/support/sample/metrics_message.ts";
import { type QualityFields, qualityMessage } from "../../tests/support/sample/builders.ts";
import { histogram, readExposition, scrape } from "../../tests/support/exposition.ts";
import { OPENMETRICS_CONTENT_TYPE } from "./openmetrics.ts";
import { render } from "./render.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./text_format.ts";

const ENDPOINT = "dashstream_exporter_metrics_endpoint_duration_seconds";

function apply(core: MetricsCore, init: QualityFields = {}): void {
  core.applyMessage(viaWire(qualityMessage({ bare: true, ...init })));
}

Deno.test("render() serves text 0.0.4 with every catalog metric, then the input guards' counters, and no default metrics", async () => {
  const { core } = newCore();
  const rendered = await render(core);
  assert.equal(rendered.contentType, "text/plain; version=0.0.4; charset=utf-8");
  assert.equal(rendered.contentType, PROMETHEUS_CONTENT_TYPE);
  const parsed = readExposition(rendered.body);
  const families = [...CATALOG, ...Object.values(GUARD_METRICS)];
  assert.deepEqual([...parsed.types.keys()], families.map((m) => m.name));
  for (const metric of families) {
    assert.equal(parsed.types.get(metric.name), metric.type, metric.name);
    assert.equal(parsed.help.get(metric.name), metric.help, metric.name);
  }
  assert.ok(!rendered.body.includes("process_cpu"), "no prom-client default metrics");
});

Deno.test("render() observes the encode duration after encoding", async () => {
  let mono = 0;
  const { core } = newCore({ monotonicClock: () => (mono += 0.002) });
  const first = await scrape(core);
  assert.equal(first.get(`${ENDPOINT}_count`), 0, "the first scrape does not see itself");
  const second = await scrape(core);
  const view = histogram(second, ENDPOINT);
  assert.equal(view.count, 1);
  assert.ok(Math.abs(view.sum - 0.000002) < 1e-12, `2 µs observed: ${view.sum}`);
  assert.equal(view.buckets["0.001"], 1);
  const third = await scrape(core, { openMetrics: true });
  assert.equal(third.get(`${ENDPOINT}_count`), 2, "OpenMetrics scrapes are timed too");
  assert.equal((await scrape(core)).get(`${ENDPOINT}_count`), 3);
});

Deno.test("render({ openMetrics: true }) serves valid OpenMetrics 1.0", async () => {
  const { core } = newCore();
  apply(core, { passed: false, latencyMs: 100, tags: { model: "gpt-4o", category: "edge" } });
  const rendered = await render(core, { openMetrics: true });
  assert.equal(
    rendered.contentType,
    "application/openmetrics-text; version=1.0.0; charset=utf-8",
  );
  assert.equal(rendered.contentType, OPENMETRICS_CONTENT_TYPE);
  assert.ok(rendered.body.endsWith("\n# EOF\n"));
  assert.ok(!rendered.body.includes("\n\n"), "no blank lines in OpenMetrics");
  const parsed = readExposition(rendered.body);
  assert.equal(parsed.eof, true);
  assert.equal(parsed.types.get("dashstream_quality_monitor_queries"), "counter");
  assert.equal(parsed.types.has("dashstream_quality_monitor_queries_total"), false);
  assert.equal(parsed.samples.get("dashstream_quality_monitor_queries_total"), 1);
  assert.equal(
    parsed.samples.get('dashstream_quality_monitor_queries_failed_total{category="Edge"}'),
    1,
  );
  assert.equal(parsed.samples.get('dashstream_query_latency_ms_bucket{le="100.0"}'), 1);
  assert.equal(parsed.samples.get('dashstream_query_latency_ms_bucket{le="+Inf"}'), 1);
  assert.equal(parsed.types.get("dashstream_query_latency_ms"), "histogram");
  for (const metric of CATALOG) {
    const family = metric.type === "counter" ? metric.name.replace(/_total$/, "") : metric.name;
    assert.equal(parsed.types.get(family), metric.type, family);
  }
});

Deno.test("render() keeps counter names in text format after an OpenMetrics render", async () => {
  const { core } = newCore();
  const text1 = (await render(core)).body;
  await Promise.all([render(core, { openMetrics: true }), render(core)]);
  const text2 = (await render(core)).body;
  const withoutEndpoint = (t: string) =>
    t.split("\n").filter((l) => !l.includes(ENDPOINT)).join("\n");
  assert.equal(withoutEndpoint(text2), withoutEndpoint(text1));
  assert.ok(text2.includes("# TYPE dashstream_quality_monitor_queries_total counter"));
});

Deno.test("render() output is deterministic for the same inputs and clock", async () => {
  const run = async () => {
    const { core, clock } = newCore();
    apply(core, { qualityScore: 0.5, latencyMs: 10, turnNumber: 2, tags: { model: "o1" } });
    clock.now += 1234;
    apply(core, { passed: true, header: null, turnNumber: 1, tags: { app_type: "librarian" } });
    return (await render(core)).body;
  };
  assert.equal(await run(), await run());
});
