/**
 * The acceptance against the real broker: three `serve` replicas join one group at
 * staggered times on a six-partition topic while records are produced. Summed over the
 * replicas, every counter and histogram bucket equals one process applying the same records
 * (what `replay` does); received equals produced exactly (a clean rebalance repeats nothing). A
 * replica SIGKILLed while it consumes a stream, and a new one started: the others resume at its
 * committed offsets, so every record is received at least once and the duplicates are its
 * uncommitted tail, within the bound of docs/semantics.md, "Rule: at-least-once offsets".
 */
import assert from "node:assert/strict";
import { sampleRecords } from "./support/sample/mod.ts";
import { applyRecord } from "../src/pipeline/apply_record.ts";
import { type ExporterProcess, serveEnv, startServe } from "./support/exporter.ts";
import { byPartition, scrape } from "./support/exposition.ts";
import { newTestCore } from "./support/metrics_core.ts";
import {
  committedOffsets,
  endOffsets,
  produce,
  type TestRecord,
  waitFor,
  withTopic,
} from "./support/kafka.ts";

const PARTITIONS = 6;
const CHUNK = 300;
const RECEIVED = "dashstream_exporter_messages_received_total";
const ASSIGNED = "dashstream_exporter_kafka_partition_assigned";
const LAG = "dashstream_exporter_kafka_partition_lag";

// Per-record series only: not gauges (last values, timestamps), not the scrape's own timing,
// not the sessions histogram (a session is observed when idle or at shutdown, and is split when
// its partition moves: docs/semantics.md, "Rule: rebalance").
function additive(samples: Map<string, number>): Map<string, number> {
  return new Map(
    [...samples].filter(([key]) =>
      /^[a-z_]+_(total|bucket|count|sum)(\{|$)/.test(key) &&
      !key.startsWith("dashstream_exporter_metrics_endpoint_duration_seconds") &&
      !key.startsWith("dashstream_turns_by_session")
    ),
  );
}

async function sumOver(replicas: readonly ExporterProcess[]): Promise<Map<string, number>> {
  const total = new Map<string, number>();
  for (const replica of replicas) {
    for (const [key, value] of additive(await replica.scrape())) {
      total.set(key, (total.get(key) ?? 0) + value);
    }
  }
  return total;
}

/** Every partition held by exactly one of `replicas`, each with lag 0; none of them idle. */
async function settled(replicas: readonly ExporterProcess[]): Promise<boolean> {
  const owners: number[] = [];
  for (const replica of replicas) {
    const samples = await replica.scrape();
    const held = [...byPartition(samples, ASSIGNED).keys()];
    const lags = byPartition(samples, LAG);
    if (held.length === 0 || held.some((p) => lags.get(p) !== 0)) return false;
    owners.push(...held);
  }
  return owners.sort((a, b) => a - b).join() === [...Array(PARTITIONS).keys()].join();
}

Deno.test("three replicas joining mid-stream add up to one process", async () => {
  await withTopic("scale-group", async (topic) => {
    const env = serveEnv(topic, { KAFKA_LAG_CHECK_INTERVAL_SECS: "1" });
    const records: TestRecord[] = sampleRecords(6 * CHUNK, { seed: 13 });
    const chunk = (i: number) => records.slice(i * CHUNK, (i + 1) * CHUNK);
    const replicas: ExporterProcess[] = [];
    try {
      // Staggered: each replica starts while the stream goes on, not waiting for its join.
      await produce(topic, chunk(0));
      replicas.push(await startServe(env));
      await produce(topic, chunk(1));
      replicas.push(await startServe(env));
      await produce(topic, chunk(2));
      replicas.push(await startServe(env));
      for (let i = 3; i < 6; i++) await produce(topic, chunk(i));

      await waitFor(async () => (await sumOver(replicas)).get(RECEIVED) === records.length, {
        timeoutMs: 60_000,
        message: () => `the replicas did not receive ${records.length} records`,
      });
      await waitFor(() => settled(replicas), {
        timeoutMs: 60_000,
        message: "the partitions were not split over the three replicas with lag 0",
      });

      // One process applying the same records.
      const { core } = newTestCore();
      for (const record of records) applyRecord(core, record.value as Uint8Array);
      const one = additive(await scrape(core));
      const fleet = await sumOver(replicas);
      assert.ok(one.size > 100, `only ${one.size} series compared`);
      assert.equal(fleet.get(RECEIVED), records.length, "received equals produced exactly");
      for (const [key, expected] of one) {
        const got = fleet.get(key) ?? 0;
        if (/_sum(_total)?(\{|$)/.test(key)) {
          // Sums of decimals depend on the order of addition, in the last bits only.
          assert.ok(Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), key);
        } else {
          assert.equal(got, expected, key);
        }
      }
      assert.deepEqual([...fleet.keys()].filter((key) => !one.has(key)), []);
    } finally {
      for (const replica of replicas) await replica.stop();
    }
  }, { partitions: PARTITIONS });
});

const COMMITTED = "dashstream_exporter_kafka_partition_committed_offset";
/** Records a stream chunk: one produce call. */
const STREAM_CHUNK = 40;

/** The sum over `partitions` of `values` (a partition without a value counts 0). */
function partitionSum(values: ReadonlyMap<number, number>, partitions: readonly number[]): number {
  return partitions.reduce((sum, p) => sum + Math.max(0, values.get(p) ?? 0), 0);
}

Deno.test("a replica SIGKILLed mid-stream: the others resume at its commits, duplicates only from its uncommitted tail", async () => {
  await withTopic("scale-kill", async (topic) => {
    const env = serveEnv(topic, { KAFKA_LAG_CHECK_INTERVAL_SECS: "1" });
    const group = env.KAFKA_GROUP_ID;
    // The stream: chunks produced one after another, the test's steps between them. A record's
    // unique id is its (partition, offset): what the broker's end and committed offsets count.
    const pool = sampleRecords(6_000, { seed: 16 });
    let produced = 0;
    const stream = async (chunks = 1) => {
      const count = chunks * STREAM_CHUNK;
      assert.ok(produced + count <= pool.length, "the stream ran out of records");
      await produce(topic, pool.slice(produced, produced + count));
      produced += count;
    };
    const replicas = await Promise.all([0, 1, 2].map(() => startServe(env)));
    const live = [...replicas];
    try {
      // A stable assignment first, so the victim holds its partitions from offset 0 on and its
      // received counter is exactly the records it applied of them.
      await waitFor(() => settled(replicas), {
        timeoutMs: 60_000,
        message: "the three replicas did not share the 6 partitions",
      });
      const victim = live.pop()!;
      await waitFor(async () => {
        await stream();
        return ((await victim.scrape()).get(RECEIVED) ?? 0) >= 100;
      }, { timeoutMs: 30_000, message: "the victim received no stream" });

      // Killed while it consumes the stream: each attempt produces a larger chunk, scrapes the
      // victim meanwhile, and freezes it (SIGSTOP); its commits are read while it can make no
      // more. If it committed between that scrape and the freeze, it
      // is thawed and caught again, so that its last scrape, all Prometheus keeps of it, covers
      // every record it committed. For 10 attempts only a freeze with records of its partitions
      // past its last commit (received or not) is taken.
      let last: Map<string, number>;
      let held: number[];
      let endAtKill: Map<number, number>;
      for (let attempt = 1;; attempt++) {
        // Scraped and frozen while the chunk is being written: records of its partitions arrive
        // around the freeze, as in a crash mid-stream.
        const sending = stream(6);
        last = await victim.scrape();
        victim.child.kill("SIGSTOP");
        await sending;
        held = [...byPartition(last, ASSIGNED).keys()];
        const scraped = partitionSum(byPartition(last, COMMITTED), held);
        // The end offsets bound what it could have received before the freeze. Commits read
        // twice, one after the other, so that one in flight at the freeze shows in the second.
        const [first, end] = await Promise.all([committedOffsets(group, topic), endOffsets(topic)]);
        endAtKill = end;
        if (
          partitionSum(first, held) === scraped &&
          partitionSum(await committedOffsets(group, topic), held) === scraped &&
          (partitionSum(end, held) > scraped || attempt > 10)
        ) break;
        assert.ok(attempt < 30, "the victim committed between every scrape and its freeze");
        victim.child.kill("SIGCONT");
      }
      await victim.stop("SIGKILL");
      const producedAtKill = produced;
      // The stream goes on without it, before and after a new replica starts.
      await stream(3);
      live.push(await startServe(env));
      await stream(3);
      // Its partitions stay unowned until the session timeout evicts it, so these are its final
      // commits, whatever was still in flight at the freeze.
      const committedAtKill = await committedOffsets(group, topic);

      assert.ok(held.length > 0, "the victim held partitions");
      const receivedAtScrape = last.get(RECEIVED) ?? 0;
      const committedAtScrape = partitionSum(byPartition(last, COMMITTED), held);
      const committed = partitionSum(committedAtKill, held);
      // The new owners start at the victim's commits: they receive every record but those.
      const expected = produced - committed;
      let liveReceived = 0;
      let state = "";
      await waitFor(async () => {
        liveReceived = (await sumOver(live)).get(RECEIVED) ?? 0;
        state = (await Promise.all(live.map(async (replica) => {
          const samples = await replica.scrape();
          return `received ${samples.get(RECEIVED)}, lags ${
            JSON.stringify([...byPartition(samples, LAG)])
          }, committed ${JSON.stringify([...byPartition(samples, COMMITTED)])}`;
        }))).join("; ");
        return liveReceived >= expected && await settled(live);
      }, {
        timeoutMs: 75_000,
        message: () =>
          `after the SIGKILL, the live replicas received ${liveReceived} of ${expected} ` +
          `records, or did not own every partition with lag 0: ${state}; victim's partitions ` +
          `${held} committed ${JSON.stringify([...committedAtKill])}, ends ` +
          `${JSON.stringify([...endAtKill])}\n${live.map((r) => r.stderr()).join("\n---\n")}`,
      });

      // Nothing lost, nothing repeated by the live replicas: they received exactly the records
      // past the victim's commits (and all of the other partitions), once.
      assert.equal(liveReceived, expected, "the live replicas resumed at the victim's commits");
      // Duplicates = sum(received) - produced, the victim counted at its last scrape. That
      // scrape covers its commits (see the freeze above), so the sum is at least what was
      // produced; the victim's true count at the kill is between it and its partitions' end
      // offsets, so the true duplicates are between `counted` and the bound, the smaller of two
      // sound bounds of its uncommitted tail (docs/semantics.md, "Rule: at-least-once offsets"):
      // - what it had received and not committed at its last scrape, plus every record it could
      //   have received after it (its partitions' end offsets at the kill, less what it had);
      // - one batch: batches are applied and committed one at a time, so at the kill at most one
      //   partition has applied records past its commit, at most its end offset less its commit.
      const counted = liveReceived + receivedAtScrape - produced;
      const afterScrape = partitionSum(endAtKill, held) - receivedAtScrape;
      const oneBatch = Math.max(
        ...held.map((p) => (endAtKill.get(p) ?? 0) - Math.max(0, committedAtKill.get(p) ?? 0)),
      );
      const bound = Math.min(receivedAtScrape - committedAtScrape + afterScrape, oneBatch);
      console.log(
        `produced ${produced} (${producedAtKill} at the kill); victim: partitions ${held}, ` +
          `received ${receivedAtScrape} and committed ${committed} at its last scrape, ` +
          `end offsets ${partitionSum(endAtKill, held)} at the kill; ` +
          `duplicates counted ${counted}, bound ${bound}`,
      );
      assert.equal(committedAtScrape, committed);
      assert.ok(counted >= 0, `sum(received) is ${-counted} short of produced`);
      assert.ok(counted <= bound, `${counted} duplicates counted, more than the bound ${bound}`);
    } finally {
      // The victim (maybe still frozen) is killed; when it has exited already, stop() rejects.
      for (const replica of new Set([...live, ...replicas])) {
        await replica.stop(live.includes(replica) ? "SIGTERM" : "SIGKILL").catch(() => {});
      }
    }
  }, { partitions: PARTITIONS });
});
