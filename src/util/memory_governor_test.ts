import { deepStrictEqual, equal } from "node:assert/strict";
import { MemoryGovernor } from "./memory_governor.ts";

function setup(options: { collects?: boolean; targetBytes?: number; idleBytes?: number } = {}) {
  const state = { rss: 0, now: 0, collections: 0, idle: [] as boolean[], reads: 0 };
  const governor = new MemoryGovernor({
    targetBytes: options.targetBytes ?? 100,
    ...(options.idleBytes !== undefined && { idleBytes: options.idleBytes }),
    residentBytes: () => {
      state.reads++;
      return state.rss;
    },
    collectGarbage: ({ idle }) => {
      state.collections++;
      state.idle.push(idle);
      state.rss = 60;
      return options.collects ?? true;
    },
    now: () => state.now,
    minIntervalMs: 1_000,
  });
  return { state, governor };
}

/** Makes each call in order; the collections so far after each. */
function collectionsAfter(
  { state, governor }: ReturnType<typeof setup>,
  calls: ("check" | "idle")[],
): number[] {
  return calls.map((call) => {
    governor[call]();
    return state.collections;
  });
}

Deno.test("MemoryGovernor: collects only over the target", () => {
  const { state, governor } = setup();
  state.rss = 100;
  governor.check();
  equal(state.collections, 0);
  state.rss = 101;
  governor.check();
  equal(state.collections, 1);
  equal(state.rss, 60);
  deepStrictEqual(governor.stats, { checks: 2, collections: 1 });
  deepStrictEqual(state.idle, [false]); // busy: the engine keeps its compiled code
});

Deno.test("MemoryGovernor: at most once per interval, however far over", () => {
  const { state, governor } = setup();
  for (let i = 0; i < 10; i++) {
    state.rss = 500;
    state.now += 100;
    governor.check();
  }
  equal(state.collections, 1); // at 100 ms; the next one is due at 1,100 ms
  state.rss = 500;
  state.now = 1_100;
  governor.check();
  equal(state.collections, 2);
});

Deno.test("MemoryGovernor: an engine without a collector turns it off", () => {
  const { state, governor } = setup({ collects: false });
  state.rss = 500;
  governor.check();
  state.now = 10_000;
  state.rss = 500;
  governor.check();
  equal(state.collections, 1);
  equal(governor.stats.collections, 0);
});

Deno.test("MemoryGovernor: collects once when work stops, not while idle or busy", () => {
  const governed = setup();
  governed.state.rss = 80; // over half the target of 100
  const collections = collectionsAfter(governed, [
    "idle", // idle from the start: nothing to give back
    "check", // under the target: work, no collection
    "idle", // that period worked
    "check",
    "idle", // still working
    "idle", // the first idle period after work
    "idle",
    "idle",
  ]);
  deepStrictEqual(collections, [0, 0, 0, 0, 0, 1, 1, 1]);
  deepStrictEqual(governed.state.idle, [true]); // idle: the engine may give spare memory back too
});

Deno.test("MemoryGovernor: a small heap is left alone when work stops", () => {
  const governed = setup();
  governed.state.rss = 50;
  deepStrictEqual(collectionsAfter(governed, ["check", "idle", "idle"]), [0, 0, 0]);
});

Deno.test("MemoryGovernor: a clock stepping back does not hold collections off", () => {
  const { state, governor } = setup();
  state.now = 10_000;
  state.rss = 500;
  governor.check();
  state.now = 5_000; // the wall clock was set back
  state.rss = 500;
  governor.check();
  equal(state.collections, 2);
});

Deno.test("MemoryGovernor: without a budget it never collects while working, once after a burst", () => {
  const { state, governor } = setup({ targetBytes: Infinity, idleBytes: 0 });
  state.rss = 10_000;
  for (let i = 0; i < 5; i++) {
    state.now += 2_000;
    governor.check();
  }
  equal(state.collections, 0);
  equal(state.reads, 0); // nothing to compare with: not even read
  governor.idle(); // that period worked
  equal(state.collections, 0);
  governor.idle(); // the first idle period after work
  deepStrictEqual(state.idle, [true]);
  governor.idle();
  equal(state.collections, 1);
});
