import assert from "node:assert/strict";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { MetricsCore } from "../metrics/core.ts";
import { qualityMessage } from "../../tests/support/sample/mod.ts";
import { createPace } from "./pacer.ts";
import { renderText } from "./text_format.ts";

const BUILD = { version: "1", commit: "c", buildDate: "d", runtime: "r" };

Deno.test("renderText() writes exactly what prom-client's Registry.metrics() writes", async () => {
  const core = new MetricsCore({ buildInfo: BUILD, clock: () => 1_767_225_600_000 });
  for (const [i, model] of ["gpt-4o", "claude-3-opus", "llama3", "weird\\model"].entries()) {
    core.applyMessage(qualityMessage({
      passed: i % 2 === 0,
      qualityScore: i === 3 ? NaN : 0.25 * i,
      latencyMs: 10 ** i,
      retryCount: i,
      turnNumber: i,
      model,
      category: ["simple", "Complex", "EDGE", "x"][i],
      applicationType: "librarian",
      sessionId: i === 2 ? "" : `s${i}`,
    }));
  }
  core.setConsumerLag(Infinity);
  // Foreign metrics with escapes, NaN/Inf and prom-client's own histogram (sharedLabels).
  const gauge = new Gauge({
    name: "x_gauge",
    help: 'help with \\ and \n newline and "quotes"',
    labelNames: ["a", "b"],
    registers: [core.registry],
  });
  gauge.set({ a: 'quote " back \\ nl \n', b: "plain" }, -Infinity);
  gauge.set({ a: "nan", b: "" }, NaN);
  const histogram = new Histogram({
    name: "x_hist",
    help: "h",
    labelNames: ["l"],
    buckets: [0.5, 1],
    registers: [core.registry],
  });
  histogram.observe({ l: "v" }, 0.7);
  new Counter({ name: "x_total", help: "c", registers: [core.registry] }).inc(3);
  assert.equal(await renderText(core.registry), await core.registry.metrics());
  assert.equal(await renderText(new Registry()), await new Registry().metrics());
});

Deno.test("renderText() yields to the event loop during a large render, with the same output", async () => {
  const registry = new Registry();
  const gauge = new Gauge({ name: "big", help: "h", labelNames: ["id"], registers: [registry] });
  for (let i = 0; i < 20_000; i++) gauge.set({ id: `series-${i}` }, i);
  let now = 0;
  let yields = 0;
  // Every clock read advances 20 ms, so each 512-line check finds the 5 ms slice used up.
  const pace = createPace({
    now: () => (now += 20),
    yieldToEventLoop: () => {
      yields++;
      return Promise.resolve();
    },
  });
  assert.equal(await renderText(registry, pace), await registry.metrics());
  assert.ok(yields >= 20_000 / 512 - 1, `yielded ${yields} times`);
});
