import assert from "node:assert/strict";
import { ServeLanding } from "./landing_status.ts";

Deno.test("ServeLanding: rate and failures over the window, lags of assigned partitions", () => {
  let now = 1_000_000;
  const activity = { received: 0, failed: 0, lastEventSecs: 0 };
  const consumer = { ready: false, assignedPartitions: [] as number[] };
  let lags = new Map<number, number>();
  const landing = new ServeLanding({
    core: {
      get activity() {
        return { ...activity };
      },
    },
    consumer,
    lags: { lagOf: (partition) => lags.get(partition) },
    build: { version: "1", commit: "c", buildDate: "d", runtime: "r" },
    brokers: "b:9092",
    topic: "t",
    group: "g",
    now: () => now,
  });
  let status = landing.status();
  assert.equal(status.ready, false);
  assert.match(status.notReadyReason ?? "", /waiting to join group 'g'.*topic 't'/);
  assert.deepEqual(status.partitions, []);
  assert.equal(status.lastEventTimeMs, undefined);

  consumer.ready = true;
  consumer.assignedPartitions = [0, 1];
  now += 5_000;
  activity.received = 100;
  activity.failed = 4;
  activity.lastEventSecs = now / 1000;
  landing.sample();
  lags = new Map([[0, 3], [5, 9]]);
  status = landing.status();
  assert.equal(status.ready, true);
  assert.equal(status.notReadyReason, undefined);
  assert.equal(status.ratePerSecond, 20);
  assert.equal(status.failuresLastMinute, 4);
  assert.equal(status.lastEventTimeMs, now);
  assert.equal(status.telemetryPath, "/metrics");
  // Partition 5 is no longer assigned; partition 1 was not measured yet.
  assert.deepEqual(status.partitions, [{ partition: 0, lag: 3 }, { partition: 1, lag: undefined }]);
});
