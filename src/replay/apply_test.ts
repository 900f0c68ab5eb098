import assert from "node:assert/strict";
import { MetricsCore } from "../metrics/mod.ts";
import { applyRecord } from "../pipeline/apply_record.ts";
import { sampleRecords } from "../../tests/support/sample/mod.ts";
import { decodeRecord } from "../wire/decode.ts";
import { scrapeText } from "../../tests/support/exposition.ts";
import { applyRecords } from "./apply.ts";
import { EventClock } from "./event_clock.ts";
import { Pacer } from "./pacer.ts";
import type { InputRecord } from "./record.ts";
import { ReplayStats } from "./stats.ts";

const BUILD = { version: "t", commit: "t", buildDate: "t", runtime: "test" };
const LIMIT = 10 * 1024 * 1024;

function inputRecords(values: Uint8Array[]): InputRecord[] {
  return values.map((value, i) => ({ index: i + 1, offset: i * 100, value }));
}

Deno.test("applyRecords() gives the metrics of applyRecord() on the original values", async () => {
  const values = [
    ...sampleRecords(400, { seed: 3, sessions: 8, meanGapMs: 2000 }).map((r) => r.value),
    new Uint8Array([0x01, 0x28, 0xb5, 0x2f, 0xfd]), // corrupt zstd: a decode error either way
  ];
  assert.ok(values.filter((v) => v[0] === 0x01).length > 100, "zstd-framed records included");

  const clock = new EventClock(0);
  const replayed = new MetricsCore({
    buildInfo: BUILD,
    clock: clock.read,
    monotonicClock: () => 0,
  });
  const stats = new ReplayStats();
  const finished = await applyRecords(replayed, inputRecords(values).values(), {
    clock,
    stats,
    maxPayloadBytes: LIMIT,
    signal: new AbortController().signal,
  });
  assert.equal(finished, true);
  assert.equal(stats.records, 401);
  assert.equal(stats.applied, 400);
  assert.equal(stats.decodeError, 1);

  // The reference: the record bytes as they are, the clock at each header's time.
  let now = 0;
  const reference = new MetricsCore({
    buildInfo: BUILD,
    clock: () => now,
    monotonicClock: () => 0,
  });
  for (const value of values) {
    try {
      const message = decodeRecord(value);
      if (message.message.case === "metrics") {
        now = Math.max(now, Number(message.message.value.header!.timestampUs) / 1000);
      }
    } catch { /* counted by applyRecord */ }
    applyRecord(reference, value);
  }
  replayed.flushSessions();
  reference.flushSessions();
  assert.equal(await scrapeText(replayed), await scrapeText(reference));
});

Deno.test("applyRecords() paces with --rate and stops when aborted", async () => {
  const values = sampleRecords(100, { seed: 1 }).map((r) => r.value);
  const core = new MetricsCore({ buildInfo: BUILD, clock: () => 0 });
  const stats = new ReplayStats();
  const controller = new AbortController();
  const started = performance.now();
  const stop = setTimeout(() => controller.abort(), 300);
  try {
    const finished = await applyRecords(core, inputRecords(values).values(), {
      clock: new EventClock(),
      stats,
      maxPayloadBytes: LIMIT,
      signal: controller.signal,
      pacer: new Pacer(20),
    });
    assert.equal(finished, false);
  } finally {
    clearTimeout(stop);
  }
  // 20/s: about 7 records by 300 ms (the first at once), never ahead of the schedule.
  const elapsed = performance.now() - started;
  assert.ok(
    stats.records >= 2 && stats.records <= Math.floor((elapsed * 20) / 1000) + 1,
    `${stats.records} records in ${elapsed} ms`,
  );
});
