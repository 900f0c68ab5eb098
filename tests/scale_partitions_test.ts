/**
 * Several `serve` replicas in one consumer group against the real broker (docs/scaling.md):
 * each exposes only the partitions it holds, a replica that leaves hands its partitions to
 * the others, whose per-partition lag returns to 0, and the replicas' received counters add
 * up to what was produced, exactly. A replica without a partition is ready and idle.
 */
import assert from "node:assert/strict";
import { qualityMessage } from "./support/sample/mod.ts";
import { encodeRecord } from "../src/wire/mod.ts";
import { type ExporterProcess, startServe } from "./support/exporter.ts";
import { byPartition } from "./support/exposition.ts";
import { produce, type TestRecord, uniqueName, waitFor, withTopic } from "./support/kafka.ts";

const PARTITIONS = 4;
const RECEIVED = "dashstream_exporter_messages_received_total";
const ASSIGNED = "dashstream_exporter_kafka_partition_assigned";
const LAG = "dashstream_exporter_kafka_partition_lag";
const COMMITTED = "dashstream_exporter_kafka_partition_committed_offset";

/** The env of a replica of a new group (`prefix-...`) on `topic`, refreshing lag every second. */
function replicaEnv(topic: string, prefix: string): Record<string, string> {
  return {
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: uniqueName(prefix),
    KAFKA_LAG_CHECK_INTERVAL_SECS: "1",
  };
}

/** `count` records per partition. */
function records(topic: string, count: number): TestRecord[] {
  return Array.from({ length: count * PARTITIONS }, (_, i) => ({
    partition: i % PARTITIONS,
    value: encodeRecord(qualityMessage({ passed: true, latencyMs: 1, sessionId: `${topic}-${i}` })),
  }));
}

async function assigned(replica: ExporterProcess): Promise<number[]> {
  return [...byPartition(await replica.scrape(), ASSIGNED).keys()].sort((a, b) => a - b);
}

Deno.test("serve replicas in one group split the partitions and hand them over on leave", async () => {
  await withTopic("scale-partitions", async (topic) => {
    const env = replicaEnv(topic, "scale");
    await produce(topic, records(topic, 50));
    const a = await startServe(env);
    let b: ExporterProcess | undefined;
    try {
      await waitFor(async () => (await assigned(a)).length === PARTITIONS, {
        timeoutMs: 30_000,
        message: () => `replica A never held all ${PARTITIONS} partitions:\n${a.stderr()}`,
      });
      await a.scrapeUntil(RECEIVED, 200);

      b = await startServe(env);
      const replicaB = b;
      // Each replica exposes its own partitions only: together all of them, none twice.
      const [onA, onB] = await waitFor(async (): Promise<[number[], number[]] | undefined> => {
        const [pa, pb] = [await assigned(a), await assigned(replicaB)];
        const split = pa.length > 0 && pb.length > 0 && pa.length + pb.length === PARTITIONS;
        return split ? [pa, pb] : undefined;
      }, { timeoutMs: 60_000, message: () => `no split between A and B:\n${replicaB.stderr()}` });
      assert.deepEqual([...onA, ...onB].sort(), [0, 1, 2, 3]);

      await produce(topic, records(topic, 50));
      await waitFor(async () => {
        const received = (await a.scrape()).get(RECEIVED)! +
          (await replicaB.scrape()).get(RECEIVED)!;
        return received === 400;
      }, { timeoutMs: 30_000, message: "A and B together did not receive 400 records" });
      // Per-partition lag and committed offsets, on the replica holding each partition.
      for (const [replica, held] of [[a, onA], [replicaB, onB]] as [ExporterProcess, number[]][]) {
        let seen = "";
        await waitFor(async () => {
          const samples = await replica.scrape();
          seen = JSON.stringify([...byPartition(samples, LAG), ...byPartition(samples, COMMITTED)]);
          const lags = byPartition(samples, LAG);
          const committed = byPartition(samples, COMMITTED);
          return held.every((p) => lags.get(p) === 0 && committed.get(p) === 100) &&
            lags.size === held.length;
        }, {
          timeoutMs: 15_000,
          message: () => `lag 0 and offset 100 on partitions ${held}; saw ${seen}`,
        });
      }

      const receivedByB = (await replicaB.scrape()).get(RECEIVED)!;
      const { code } = await replicaB.stop();
      assert.equal(code, 0, replicaB.stderr());
      b = undefined;

      // The survivor takes every partition over, and catches up on what came meanwhile.
      await waitFor(async () => (await assigned(a)).length === PARTITIONS, {
        timeoutMs: 60_000,
        message: () => `A did not take over B's partitions:\n${a.stderr()}`,
      });
      await produce(topic, records(topic, 25));
      await waitFor(async () => {
        const samples = await a.scrape();
        const lags = byPartition(samples, LAG);
        const committed = byPartition(samples, COMMITTED);
        return lags.size === PARTITIONS && [...lags.values()].every((lag) => lag === 0) &&
          [...committed.values()].every((offset) => offset === 125);
      }, { timeoutMs: 30_000, message: "A's lag did not return to 0 on every partition" });
      // A clean hand-over loses nothing and repeats nothing.
      assert.equal((await a.scrape()).get(RECEIVED)! + receivedByB, 500);
    } finally {
      await b?.stop();
      await a.stop();
    }
  }, { partitions: PARTITIONS });
});

Deno.test("a replica without a partition is ready and idle, and takes over when the owner leaves", async () => {
  await withTopic("scale-idle", async (topic) => {
    const env = replicaEnv(topic, "idle");
    const onlyPartition = (records: TestRecord[]) => records.map((r) => ({ ...r, partition: 0 }));
    await produce(topic, onlyPartition(records(topic, 10)));
    const replicas = [await startServe(env)];
    try {
      await waitFor(async () => (await replicas[0].scrape()).get(RECEIVED) === 40, {
        timeoutMs: 30_000,
      });
      replicas.push(await startServe(env));
      // The group gives its one partition to either member (the assignor is not sticky).
      const [owner, idle] = await waitFor(async () => {
        const held = await Promise.all(replicas.map(assigned));
        const ready = await Promise.all(
          replicas.map((r) => fetch(`${r.url}/-/ready`).then((res) => res.status)),
        );
        if (ready.some((status) => status !== 200) || held.flat().join() !== "0") return undefined;
        return held[0].length === 1 ? [replicas[0], replicas[1]] : [replicas[1], replicas[0]];
      }, {
        timeoutMs: 60_000,
        message: () => `no owner and ready idle replica:\n${replicas[1].stderr()}`,
      });
      // Its log line is written with the assignment, but read from its stderr pipe a little later
      // than /metrics shows the assignment: wait for it rather than race the pipe.
      await waitFor(() => /Joined consumer group.*partitions=none/.test(idle.stderr()), {
        timeoutMs: 10_000,
        message: () => `the idle replica did not log its empty assignment:\n${idle.stderr()}`,
      });
      // Idle: ready, no per-partition series, and its summed lag drops to 0 at its next check.
      await waitFor(async () => {
        const samples = await idle.scrape();
        return byPartition(samples, ASSIGNED).size === 0 && byPartition(samples, LAG).size === 0 &&
          byPartition(samples, COMMITTED).size === 0 &&
          samples.get("dashstream_exporter_kafka_consumer_lag") === 0;
      }, { timeoutMs: 15_000, message: "the idle replica exposes partition series or lag" });
      const receivedBefore = (await idle.scrape()).get(RECEIVED)!;

      const { code } = await owner.stop();
      assert.equal(code, 0, owner.stderr());
      replicas.splice(replicas.indexOf(owner), 1);
      await waitFor(async () => (await assigned(idle)).join() === "0", {
        timeoutMs: 60_000,
        message: () => `the idle replica did not take partition 0 over:\n${idle.stderr()}`,
      });
      await produce(topic, onlyPartition(records(topic, 5)));
      // It starts at the owner's last commit: the 20 new records, none again.
      // The new owner receives exactly the 20 new records.
      await idle.scrapeUntil(RECEIVED, receivedBefore + 20);
      await waitFor(async () => byPartition(await idle.scrape(), LAG).get(0) === 0, {
        timeoutMs: 15_000,
      });
    } finally {
      for (const replica of replicas) await replica.stop();
    }
  });
});
