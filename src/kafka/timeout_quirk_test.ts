import assert from "node:assert/strict";
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";
import { clampNegativeTimeouts, scheduleCheckPendingRequests } from "./timeout_quirk.ts";

// Runs `schedule` and returns the delay of the timer it set (undefined: none), timer cleared.
function scheduledDelay(schedule: () => void): number | undefined {
  const original = globalThis.setTimeout;
  let delay: number | undefined;
  globalThis.setTimeout = ((handler: () => void, ms?: number) => {
    delay = ms;
    const id = original(handler, 0);
    clearTimeout(id);
    return id;
  }) as typeof setTimeout;
  try {
    schedule();
  } finally {
    globalThis.setTimeout = original;
  }
  return delay;
}

function queue(throttledUntil: number, pending: unknown[], timer: unknown = null) {
  return {
    throttledUntil,
    throttleCheckTimeoutId: timer as ReturnType<typeof setTimeout> | null,
    pending,
    checkPendingRequests() {},
  };
}

Deno.test("timeout quirk: kafkajs' own method schedules a negative delay when not throttled", () => {
  // The bug this works around; if kafkajs fixes it, the patch can go.
  const q = queue(-1, []);
  const original = Object.getOwnPropertyDescriptor(
    RequestQueue.prototype,
    "scheduleCheckPendingRequests",
  )!.value as () => void;
  const delay = scheduledDelay(() =>
    original === scheduleCheckPendingRequests ? assert.fail("already patched") : original.call(q)
  );
  assert.ok(delay !== undefined && delay < 0, `delay ${delay}`);
});

Deno.test("timeout quirk: the patched method keeps kafkajs' delays, never below 0", () => {
  const now = Date.now();
  const cases: [string, ReturnType<typeof queue>, (d: number | undefined) => boolean][] = [
    ["not throttled, nothing pending", queue(-1, []), (d) => d === 0],
    ["not throttled, requests pending", queue(-1, [1]), (d) => d === 10],
    ["throttled, requests pending", queue(now + 5_000, [1]), (d) => d! > 4_000 && d! <= 5_000],
    ["a timer already set", queue(-1, [1], 42), (d) => d === undefined],
  ];
  for (const [name, q, expected] of cases) {
    const delay = scheduledDelay(() => scheduleCheckPendingRequests.call(q));
    assert.ok(expected(delay), `${name}: delay ${delay}`);
  }
});

Deno.test("timeout quirk: installing patches kafkajs' request queue, not the global timer", () => {
  const timer = globalThis.setTimeout;
  clampNegativeTimeouts();
  clampNegativeTimeouts();
  assert.equal(globalThis.setTimeout, timer);
  assert.equal(RequestQueue.prototype.scheduleCheckPendingRequests, scheduleCheckPendingRequests);
});
