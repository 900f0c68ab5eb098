import assert from "node:assert/strict";
import { Counter, Histogram, Registry } from "prom-client";
import { FastCounter, FastHistogram } from "./fast_metrics.ts";
import { parseSamples } from "../../tests/support/exposition.ts";

// prom-client adds `exemplar: null` to histogram samples; exemplars are not used here.
async function json(registry: Registry): Promise<unknown> {
  return JSON.parse(
    JSON.stringify(await registry.getMetricsAsJSON(), (k, v) => k === "exemplar" ? undefined : v),
  );
}

Deno.test("FastHistogram renders exactly like a prom-client Histogram", async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const buckets = [0.1, 0.5, 1, 10];
  const fast = new FastHistogram({
    name: "h",
    help: "Help",
    labelNames: ["model", "kind"],
    buckets,
    registry: ours,
  });
  const plain = new FastHistogram({ name: "p", help: "P", buckets, registry: ours });
  const reference = new Histogram({
    name: "h",
    help: "Help",
    labelNames: ["model", "kind"],
    buckets,
    registers: [theirs],
  });
  const referencePlain = new Histogram({ name: "p", help: "P", buckets, registers: [theirs] });
  const values = [0, 0.1, 0.10001, 0.5, 3, 10, 11, 1e9, -4, 0.3];
  for (const [i, v] of values.entries()) {
    const model = i % 2 === 0 ? "a" : 'b"\\\n';
    fast.labels(model, "x").observe(v);
    reference.labels(model, "x").observe(v);
    plain.labels().observe(v);
    referencePlain.observe(v);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
  assert.deepEqual(await json(ours), await json(theirs));
});

Deno.test("FastCounter renders exactly like a prom-client Counter", async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const fast = new FastCounter({ name: "c_total", help: "C", labelNames: ["k"], registry: ours });
  const plain = new FastCounter({ name: "u_total", help: "U", registry: ours });
  const reference = new Counter({
    name: "c_total",
    help: "C",
    labelNames: ["k"],
    registers: [theirs],
  });
  const referencePlain = new Counter({ name: "u_total", help: "U", registers: [theirs] });
  fast.zero("zero");
  reference.labels("zero").inc(0);
  for (let i = 0; i < 5; i++) {
    fast.labels(i % 2 === 0 ? "even" : "odd").inc();
    reference.labels(i % 2 === 0 ? "even" : "odd").inc();
    plain.labels().inc();
    referencePlain.inc();
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
  assert.deepEqual(await json(ours), await json(theirs));
});

Deno.test("FastHistogram series stay hidden until observed or zeroed", async () => {
  const registry = new Registry();
  const h = new FastHistogram({
    name: "h",
    help: "H",
    labelNames: ["m"],
    buckets: [1],
    registry,
  });
  const hidden = h.labels("hidden");
  h.zero("zeroed");
  const samples = parseSamples(await registry.metrics());
  assert.equal(samples.get('h_count{m="zeroed"}'), 0);
  assert.equal(samples.has('h_count{m="hidden"}'), false);
  hidden.observe(1);
  assert.equal(parseSamples(await registry.metrics()).get('h_count{m="hidden"}'), 1);
  assert.equal(h.labels("hidden"), hidden, "series are cached");
});

Deno.test("HistogramSeries.observe() ignores non-finite values and puts bounds in their bucket", () => {
  const registry = new Registry();
  const series = new FastHistogram({
    name: "h",
    help: "H",
    labelNames: ["m"],
    buckets: [1, 2],
    registry,
  }).labels("x");
  for (const v of [NaN, Infinity, -Infinity]) series.observe(v);
  assert.equal(series.count, 0);
  assert.equal(series.visible, false);
  series.observe(1);
  series.observe(2);
  series.observe(2.5);
  assert.deepEqual([...series.counts], [1, 1, 1]);
  assert.equal(series.sum, 5.5);
  assert.equal(series.count, 3);
});

Deno.test("reset() empties series but keeps them exposed", async () => {
  const registry = new Registry();
  const h = new FastHistogram({ name: "h", help: "H", buckets: [1], registry });
  const c = new FastCounter({ name: "c_total", help: "C", registry });
  h.labels().observe(0.5);
  c.labels().inc();
  registry.resetMetrics();
  const samples = parseSamples(await registry.metrics());
  assert.equal(samples.get("h_count"), 0);
  assert.equal(samples.get('h_bucket{le="1"}'), 0);
  assert.equal(samples.get("h_sum"), 0);
  assert.equal(samples.get("c_total"), 0);
});

Deno.test("Fast metrics reject bad label values, reserved labels, bad buckets, duplicates", () => {
  const registry = new Registry();
  const c = new FastCounter({ name: "c_total", help: "C", labelNames: ["a", "b"], registry });
  assert.throws(() => c.labels("only-one"), TypeError);
  assert.throws(
    () => new FastHistogram({ name: "h1", help: "H", labelNames: ["le"], buckets: [1], registry }),
    TypeError,
  );
  assert.throws(
    () => new FastHistogram({ name: "h2", help: "H", buckets: [2, 1], registry }),
    RangeError,
  );
  assert.throws(
    () => new FastHistogram({ name: "h3", help: "H", buckets: [1, Infinity], registry }),
    RangeError,
  );
  assert.throws(() => new FastCounter({ name: "c_total", help: "again", registry }), Error);
});
