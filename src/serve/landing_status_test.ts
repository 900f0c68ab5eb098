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

Deno.test("ServeLanding.notReadyReason(): names a missing topic and the fix, else the last failure", () => {
  const consumer = { ready: false, assignedPartitions: [] as number[] };
  const landing = new ServeLanding({
    core: { activity: { received: 0, failed: 0, lastEventSecs: 0 } },
    consumer,
    lags: { lagOf: () => undefined },
    build: { version: "1", commit: "c", buildDate: "d", runtime: "r" },
    brokers: "b:9092",
    topic: "t",
    group: "g",
    now: () => 0,
  });
  assert.match(landing.notReadyReason() ?? "", /session timeout of 30 s \(docs\/scaling\.md/);
  landing.reportFailure({ kind: "unreachable", reason: "connection refused" });
  assert.match(
    landing.notReadyReason() ?? "",
    /^waiting to join group 'g'.*; the last attempt: Cannot connect to Kafka at b:9092: connection refused$/,
  );
  landing.reportFailure({ kind: "topic", reason: "topic not found" });
  assert.match(
    landing.notReadyReason() ?? "",
    /^topic 't' does not exist at b:9092, and serve never creates a topic: create it .*--topic t --partitions N\), or set KAFKA_TOPIC or --topic/,
  );
  assert.equal(landing.status().notReadyReason, landing.notReadyReason());
  consumer.ready = true;
  assert.equal(landing.notReadyReason(), undefined);
});
