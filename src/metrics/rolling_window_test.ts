import assert from "node:assert/strict";
import { RollingWindow } from "./rolling_window.ts";

Deno.test("RollingWindow: rate since the first sample while the window fills", () => {
  let now = 1_000_000;
  const w = new RollingWindow(() => now, { received: 0, failed: 0 });
  now += 10_000;
  assert.deepEqual(w.over({ received: 50, failed: 2 }), {
    ratePerSecond: 5,
    failures: 2,
    spanMs: 10_000,
  });
});

Deno.test("RollingWindow: only the last minute counts once samples age out", () => {
  let now = 0;
  let received = 0;
  let failed = 0;
  const w = new RollingWindow(() => now, { received, failed }, {
    windowMs: 60_000,
    intervalMs: 5_000,
  });
  // 100 records/s and 1 failure per 5 s for two minutes, then silence.
  for (let i = 0; i < 24; i++) {
    now += 5_000;
    received += 500;
    failed += 1;
    w.sample({ received, failed });
  }
  const busy = w.over({ received, failed });
  assert.equal(busy.spanMs, 60_000);
  assert.equal(busy.ratePerSecond, 100);
  assert.equal(busy.failures, 12);
  for (let i = 0; i < 13; i++) {
    now += 5_000;
    w.sample({ received, failed });
  }
  assert.deepEqual(w.over({ received, failed }), { ratePerSecond: 0, failures: 0, spanMs: 60_000 });
});

Deno.test("RollingWindow: no sample inside the window reads as zero", () => {
  let now = 0;
  const w = new RollingWindow(() => now, { received: 0, failed: 0 });
  now = 120_000;
  assert.deepEqual(w.over({ received: 10, failed: 1 }), {
    ratePerSecond: 0,
    failures: 0,
    spanMs: 0,
  });
});
