/**
 * Replicas of a consumer group each apply part of the stream: summed over them, every counter,
 * histogram bucket and observed sum must equal one core's, so `sum(rate(x_sum_total)) /
 * sum(rate(x_count_total))` is the exact fleet mean of a last-value gauge.
 */
import assert from "node:assert/strict";
import { emptyQualityEvent, type QualityEvent } from "../event/quality_event.ts";
import { scrape } from "../../tests/support/exposition.ts";
import { newTestCore } from "../../tests/support/metrics_core.ts";
import type { MetricsCore } from "./core.ts";

// Sums of multiples of 1/64 are exact in binary floating point whatever the order of addition,
// so equality below is exact, not approximate.
function events(count: number): QualityEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    ...emptyQualityEvent(),
    qualityScore: i === 7 ? Number.NaN : (i % 65) / 64,
    accuracy: ((i * 3) % 65) / 64,
    relevance: ((i * 5) % 65) / 64,
    completeness: ((i * 7) % 65) / 64,
    passed: i % 3 !== 0,
    latencyMs: (i * 37) % 3000,
    retryCount: i % 4,
    turnNumber: 1 + (i % 9),
    model: ["gpt-4o", "claude-3-5-sonnet", ""][i % 3],
    category: ["simple", "edge", ""][i % 3],
    sessionId: `session-${i % 11}`,
    hasHeader: i % 5 !== 0,
  }));
}

// Counters, histogram buckets, counts and sums; not gauges (last values) and not the
// exposition's own duration histogram (one observation per scrape, not per event).
function additive(samples: Map<string, number>): Map<string, number> {
  return new Map(
    [...samples].filter(([key]) =>
      /^[a-z_]+_(total|bucket|count|sum)(\{|$)/.test(key) &&
      !key.startsWith("dashstream_exporter_metrics_endpoint_duration_seconds")
    ),
  );
}

async function applied(evs: readonly QualityEvent[]): Promise<Map<string, number>> {
  const { core }: { core: MetricsCore } = newTestCore();
  for (const ev of evs) core.applyQuality(ev);
  core.flushSessions();
  return additive(await scrape(core));
}

Deno.test("two cores fed disjoint halves add up to one core fed everything", async () => {
  const all = events(500);
  // Split by session, as keyed partitions do, so no session is split between the replicas.
  const even = all.filter((ev) => Number(ev.sessionId.split("-")[1]) % 2 === 0);
  const odd = all.filter((ev) => Number(ev.sessionId.split("-")[1]) % 2 === 1);
  const [one, a, b] = await Promise.all([applied(all), applied(even), applied(odd)]);

  assert.ok(one.size > 100, `only ${one.size} additive series`);
  const summed = new Map(one);
  for (const key of summed.keys()) summed.set(key, (a.get(key) ?? 0) + (b.get(key) ?? 0));
  assert.deepEqual(summed, one);
  assert.deepEqual([...a.keys(), ...b.keys()].filter((key) => !one.has(key)), []);

  // The fleet mean from the pairs is the mean of the finite scores of every event.
  const scores = all.map((ev) => ev.qualityScore).filter(Number.isFinite);
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
  const name = "dashstream_quality_monitor_quality_score";
  assert.equal(summed.get(`${name}_count_total`), 499);
  assert.equal(summed.get(`${name}_sum_total`)! / summed.get(`${name}_count_total`)!, mean);
  for (const gauge of ["accuracy", "relevance", "completeness"]) {
    assert.equal(summed.get(`dashstream_quality_${gauge}_count_total`), 500);
  }
});
