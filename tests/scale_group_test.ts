/**
 * The acceptance against the real broker: three `serve` replicas join one group at
 * staggered times on a six-partition topic while records are produced. Summed over the
 * replicas, every counter and histogram bucket equals one process applying the same records
 * (what `replay` does); received equals produced exactly (a clean rebalance repeats nothing). A
 * replica SIGKILLed and replaced: every partition is owned again and its lag returns to 0.
 */
import assert from "node:assert/strict";
import { sampleRecords } from "./support/sample/mod.ts";
import { applyRecord } from "../src/pipeline/apply_record.ts";
import { type ExporterProcess, startServe } from "./support/exporter.ts";
import { scrape } from "./support/exposition.ts";
import { newTestCore } from "./support/metrics_core.ts";
import { produce, type TestRecord, uniqueName, waitFor, withTopic } from "./support/kafka.ts";

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

function partitionsOf(samples: Map<string, number>, name: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const [key, value] of samples) {
    const match = key.match(new RegExp(`^${name}\\{(?:.*,)?partition="(\\d+)"`));
    if (match) out.set(Number(match[1]), value);
  }
  return out;
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
    const held = [...partitionsOf(samples, ASSIGNED).keys()];
    const lags = partitionsOf(samples, LAG);
    if (held.length === 0 || held.some((p) => lags.get(p) !== 0)) return false;
    owners.push(...held);
  }
  return owners.sort((a, b) => a - b).join() === [...Array(PARTITIONS).keys()].join();
}

Deno.test("three replicas joining mid-stream add up to one process, and survive a SIGKILL", async () => {
  await withTopic("scale-group", async (topic) => {
    const env = {
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueName("scale-group"),
      KAFKA_LAG_CHECK_INTERVAL_SECS: "1",
    };
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

      // A replica killed without a chance to commit or leave, and a new one started.
      const killed = replicas.pop()!;
      await killed.stop("SIGKILL");
      replicas.push(await startServe(env));
      await produce(topic, sampleRecords(CHUNK, { seed: 14 }));
      await waitFor(() => settled(replicas), {
        timeoutMs: 90_000,
        message: () => `after the SIGKILL, the partitions were not owned again with lag 0`,
      });
    } finally {
      for (const replica of replicas) await replica.stop();
    }
  }, { partitions: PARTITIONS });
});
