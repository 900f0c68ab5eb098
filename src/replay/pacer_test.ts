import assert from "node:assert/strict";
import { Pacer } from "./pacer.ts";

Deno.test("Pacer schedules record i at start + i/rate, without drift", () => {
  const clock = { now: 1000 };
  const pacer = new Pacer(4, { now: () => clock.now });
  assert.equal(pacer.due(), 1, "the first record goes at once");
  assert.equal(pacer.waitMs(0), 0);
  assert.equal(pacer.waitMs(1), 250);
  clock.now += 260; // a late wake-up
  assert.equal(pacer.due(), 2);
  assert.equal(pacer.waitMs(2), 240, "the next wait is shortened, not shifted");
  clock.now += 2000; // a stall: the backlog is due at once
  assert.equal(pacer.due(), 10);
  assert.equal(pacer.waitMs(5), 0);
});

Deno.test("Pacer refuses a rate that is not positive", () => {
  assert.throws(() => new Pacer(0), RangeError);
  assert.throws(() => new Pacer(Infinity), RangeError);
});
