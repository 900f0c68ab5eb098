import assert from "node:assert/strict";
import { Gauge, Registry } from "prom-client";
import { FastCounter, FastHistogram } from "../metrics/fast_metrics.ts";
import { readSnapshot } from "./prom_registry.ts";
import type { SnapshotFamily } from "./snapshot.ts";

Deno.test("readSnapshot() reads fast and prom-client metrics in registration order", async () => {
  const registry = new Registry();
  const counter = new FastCounter({ name: "c_total", help: "C", labelNames: ["k"], registry });
  new Gauge({ name: "g", help: "G", registers: [registry] }).set(2);
  const histogram = new FastHistogram({ name: "h", help: "H", buckets: [1], registry });
  counter.labels("v").inc();
  histogram.labels().observe(0.5);
  // The fast metrics' own get() is the snapshot type, checked here at compile time.
  const fast: SnapshotFamily[] = [await counter.get(), await histogram.get()];
  const snapshot = await readSnapshot(registry);
  assert.deepEqual(snapshot.map((f) => f.name), ["c_total", "g", "h"]);
  assert.deepEqual(snapshot[0], fast[0]);
  assert.deepEqual(snapshot[2], fast[1]);
  assert.deepEqual(snapshot[2].values.map((v) => [v.metricName, v.labels, v.value]), [
    ["h_bucket", { le: 1 }, 1],
    ["h_bucket", { le: "+Inf" }, 1],
    ["h_sum", {}, 0.5],
    ["h_count", {}, 1],
  ]);
  assert.deepEqual(snapshot[1].values, [{ value: 2, labels: {} }]);
});
