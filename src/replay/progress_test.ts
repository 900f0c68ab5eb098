import assert from "node:assert/strict";
import { formatDuration, Progress, progressLine } from "./progress.ts";

function sink() {
  const writes: string[] = [];
  return {
    writes,
    out: { write: (d: string | Uint8Array) => writes.push(String(d)), isTerminal: () => true },
  };
}

Deno.test("Progress draws nothing before the delay, then redraws in place", () => {
  const clock = { now: 0 };
  const { writes, out } = sink();
  const progress = new Progress(out, { enabled: true, total: 1000, now: () => clock.now });
  progress.update(10, 100);
  assert.deepEqual(writes, [], "short replays show no progress");
  clock.now = 1000;
  progress.update(2000, 400);
  clock.now = 1100;
  progress.update(2100, 420); // within the redraw interval
  clock.now = 1250;
  progress.update(2500, 500);
  progress.finish();
  assert.deepEqual(writes, [
    "\rreplay: 2000 records  2000/s  40%  ETA 0:02\x1b[K",
    "\rreplay: 2500 records  2000/s  50%  ETA 0:01\x1b[K",
    "\r\x1b[K",
  ]);
});

Deno.test("Progress writes nothing at all when disabled", () => {
  const { writes, out } = sink();
  const progress = new Progress(out, { enabled: false, total: 10, delayMs: 0 });
  progress.update(5, 5);
  progress.finish();
  assert.deepEqual(writes, []);
});

Deno.test("progressLine() and formatDuration() format rate, percent and ETA", () => {
  assert.equal(progressLine(0, 0, 100, 0), "replay: 0 records  0/s  0%");
  assert.equal(progressLine(900, 100, 100, 3000), "replay: 900 records  300/s  100%");
  assert.equal(formatDuration(59_400), "0:59");
  assert.equal(formatDuration(3_725_000), "1:02:05");
});
