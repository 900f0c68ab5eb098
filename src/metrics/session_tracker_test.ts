import assert from "node:assert/strict";
import { SessionTracker } from "./session_tracker.ts";

function tracker(options: { timeoutMs?: number; maxSessions?: number } = {}) {
  const observed: number[] = [];
  const sessions = new SessionTracker({
    timeoutMs: options.timeoutMs ?? 1000,
    maxSessions: options.maxSessions,
    observe: (turn) => observed.push(turn),
  });
  return { sessions, observed };
}

Deno.test("SessionTracker.touch() keeps the max turn per session", () => {
  const { sessions, observed } = tracker();
  sessions.touch("a", 3, 0);
  sessions.touch("a", 1, 10);
  sessions.touch("a", 5, 20);
  sessions.touch("b", 2, 30);
  assert.equal(sessions.maxTurnOf("a"), 5);
  assert.equal(sessions.maxTurnOf("b"), 2);
  assert.equal(sessions.size, 2);
  assert.deepEqual(observed, []);
});

Deno.test("SessionTracker.expire() observes only sessions idle longer than the timeout", () => {
  const { sessions, observed } = tracker({ timeoutMs: 1000 });
  sessions.touch("a", 4, 0);
  sessions.touch("b", 7, 500);
  assert.equal(sessions.expire(1000), 0, "idle exactly the timeout is not expired");
  assert.equal(sessions.expire(1001), 1);
  assert.deepEqual(observed, [4]);
  assert.equal(sessions.maxTurnOf("a"), undefined);
  assert.equal(sessions.expire(1500), 0);
  assert.equal(sessions.expire(1501), 1);
  assert.deepEqual(observed, [4, 7]);
  assert.equal(sessions.size, 0);
});

Deno.test("SessionTracker.touch() refreshes the idle time of a session", () => {
  const { sessions, observed } = tracker({ timeoutMs: 1000 });
  sessions.touch("a", 1, 0);
  sessions.touch("b", 1, 100);
  sessions.touch("a", 2, 900); // a is now the most recently seen
  assert.equal(sessions.expire(1101), 1);
  assert.deepEqual(observed, [1], "b expired");
  assert.equal(sessions.maxTurnOf("a"), 2);
  assert.equal(sessions.expire(1901), 1);
  assert.deepEqual(observed, [1, 2]);
});

Deno.test("SessionTracker.flush() observes every session once", () => {
  const { sessions, observed } = tracker();
  sessions.touch("a", 3, 0);
  sessions.touch("b", 9, 0);
  sessions.touch("c", 1, 0);
  assert.equal(sessions.flush(), 3);
  assert.deepEqual(observed, [3, 9, 1]);
  assert.equal(sessions.size, 0);
  assert.equal(sessions.flush(), 0);
  assert.deepEqual(observed, [3, 9, 1]);
});

Deno.test("SessionTracker evicts and observes the least recently seen session when full", () => {
  const { sessions, observed } = tracker({ maxSessions: 2 });
  sessions.touch("a", 1, 0);
  sessions.touch("b", 2, 1);
  sessions.touch("a", 5, 2); // refresh a, so b is the oldest
  sessions.touch("c", 3, 3);
  assert.deepEqual(observed, [2]);
  assert.equal(sessions.size, 2);
  assert.equal(sessions.maxTurnOf("b"), undefined);
  sessions.touch("c", 4, 4); // an update never evicts
  assert.equal(sessions.size, 2);
  assert.deepEqual(observed, [2]);
});

Deno.test("SessionTracker stays bounded with many distinct sessions", () => {
  const { sessions, observed } = tracker({ maxSessions: 1000 });
  for (let i = 0; i < 100_000; i++) sessions.touch(`s${i}`, 1, i);
  assert.equal(sessions.size, 1000);
  assert.equal(observed.length, 99_000);
  assert.equal(sessions.flush(), 1000);
});

Deno.test("SessionTracker rejects invalid options", () => {
  const observe = () => {};
  assert.throws(() => new SessionTracker({ timeoutMs: -1, observe }), RangeError);
  assert.throws(() => new SessionTracker({ timeoutMs: NaN, observe }), RangeError);
  assert.throws(() => new SessionTracker({ timeoutMs: 1, maxSessions: 0, observe }), RangeError);
  assert.throws(() => new SessionTracker({ timeoutMs: 1, maxSessions: 1.5, observe }), RangeError);
  assert.equal(new SessionTracker({ timeoutMs: 1, observe }).maxSessions, 100_000);
});

Deno.test("SessionTracker.touch() evicts least recently seen first across many evictions and moves", () => {
  const observed: number[] = [];
  const tracker = new SessionTracker({
    timeoutMs: 1e9,
    maxSessions: 3,
    observe: (t) => observed.push(t),
  });
  tracker.touch("a", 1, 0);
  tracker.touch("b", 2, 1);
  tracker.touch("c", 3, 2);
  tracker.touch("d", 4, 3); // evicts a
  tracker.touch("b", 5, 4); // b becomes newest
  tracker.touch("e", 6, 5); // evicts c
  tracker.touch("f", 7, 6); // evicts d
  tracker.touch("g", 8, 7); // evicts b (seen at 4, now the oldest)
  assert.deepEqual(observed, [1, 3, 4, 5]);
  assert.equal(tracker.size, 3);
  for (let i = 0; i < 10_000; i++) tracker.touch(`s${i}`, 1, 10 + i);
  assert.equal(tracker.size, 3);
  assert.equal(tracker.maxTurnOf("s9999"), 1);
  assert.equal(tracker.maxTurnOf("s9996"), undefined);
});
