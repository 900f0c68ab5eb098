/**
 * `serve` under failure against the real broker: restarts of the exporter
 * (graceful and SIGKILL) lose no record, and a broker outage is survived.
 */
import assert from "node:assert/strict";
import { qualityMessage } from "./support/sample/mod.ts";
import { encodeRecord } from "../src/wire/mod.ts";
import { type ExporterProcess, startServe } from "./support/exporter.ts";
import { sample } from "./support/exposition.ts";
import {
  brokerManaged,
  committedOffsets,
  produce,
  startBroker,
  stopBroker,
  type TestRecord,
  uniqueName,
  waitFor,
  withTopic,
} from "./support/kafka.ts";

const QUERIES = "dashstream_quality_monitor_queries_total";

function events(count: number, start = 0): TestRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `session-${(start + i) % 17}`,
    value: encodeRecord(qualityMessage({ passed: true, latencyMs: 1, sessionId: `s${i % 17}` })),
  }));
}

/**
 * Produces `count` events to `env.KAFKA_TOPIC` and starts `serve` with `env`; resolves once it
 * has applied them all (a failure stops it). The caller stops it.
 */
async function serveApplied(
  env: { KAFKA_TOPIC: string; KAFKA_GROUP_ID: string },
  count: number,
): Promise<ExporterProcess> {
  await produce(env.KAFKA_TOPIC, events(count));
  const exporter = await startServe(env);
  try {
    await exporter.scrapeUntil(QUERIES, count);
  } catch (error) {
    await exporter.stop();
    throw error;
  }
  return exporter;
}

async function committedTotal(group: string, topic: string): Promise<number> {
  let total = 0;
  for (const offset of (await committedOffsets(group, topic)).values()) {
    total += Math.max(0, offset);
  }
  return total;
}

Deno.test("serve stopped with SIGTERM and started again loses and repeats nothing", async () => {
  await withTopic("recovery-graceful", async (topic) => {
    const env = { KAFKA_TOPIC: topic, KAFKA_GROUP_ID: uniqueName("graceful") };
    const first = await serveApplied(env, 300);
    const { code, ms } = await first.stop();
    assert.equal(code, 0, first.stderr());
    assert.ok(ms < 5_000, `SIGTERM took ${ms} ms`);
    // A clean shutdown committed everything it applied.
    assert.equal(await committedTotal(env.KAFKA_GROUP_ID, topic), 300);
    assert.match(first.stderr(), /Shutting down/);

    await produce(topic, events(200, 300));
    const second = await startServe(env);
    try {
      await waitFor(async () => (await committedTotal(env.KAFKA_GROUP_ID, topic)) === 500, {
        timeoutMs: 30_000,
        message: () => `second exporter did not commit to the end:\n${second.stderr()}`,
      });
      // Exactly the 200 new records: nothing lost, nothing applied twice.
      assert.equal(sample(await second.scrape(), QUERIES), 200);
    } finally {
      assert.equal((await second.stop()).code, 0);
    }
  }, { partitions: 3 });
});

Deno.test("serve killed mid-stream (SIGKILL): at-least-once, repeats only the uncommitted tail", async () => {
  await withTopic("recovery-kill", async (topic) => {
    const env = { KAFKA_TOPIC: topic, KAFKA_GROUP_ID: uniqueName("kill") };
    // Keep producing while the first exporter runs, so the kill lands mid-stream.
    let produced = 0;
    let producing = true;
    const producer = (async () => {
      while (producing) {
        await produce(topic, events(50, produced));
        produced += 50;
      }
    })();
    const first = await startServe(env);
    let appliedByFirst = 0;
    try {
      appliedByFirst = await waitFor(async () => {
        const applied = (await first.scrape()).get(QUERIES) ?? 0;
        return applied >= 500 ? applied : 0;
      }, { timeoutMs: 30_000, message: () => `no progress:\n${first.stderr()}` });
    } finally {
      await first.stop("SIGKILL");
    }
    const committedAtKill = await committedTotal(env.KAFKA_GROUP_ID, topic);
    // Committed offsets never run ahead of what was applied.
    assert.ok(committedAtKill <= produced, `committed ${committedAtKill} > produced ${produced}`);
    await waitFor(() => produced >= committedAtKill + 500, {
      timeoutMs: 30_000,
      message: "producer did not move on",
    });
    producing = false;
    await producer;

    // The killed member still holds its partitions until its session times out
    // (30 s), so the second run joins only after that.
    const second = await startServe(env);
    try {
      const applied = await waitFor(async () => {
        if ((await committedTotal(env.KAFKA_GROUP_ID, topic)) !== produced) return undefined;
        return (await second.scrape()).get(QUERIES);
      }, {
        timeoutMs: 120_000,
        message: () => `second exporter did not catch up to ${produced}:\n${second.stderr()}`,
      });
      // The second run starts exactly at the committed offsets: what the first had
      // committed plus what the second applied is every record, none lost, and the
      // second repeats nothing the first had committed.
      assert.equal(committedAtKill + applied, produced);
      // The kill landed mid-stream: the second run had at least the 500 records
      // produced after it to apply. (The first run's last scrape is only a lower bound
      // of what it applied before the kill, so it is not compared here.)
      assert.ok(applied >= 500, `second run applied only ${applied}`);
      assert.ok(appliedByFirst >= 500);
    } finally {
      assert.equal((await second.stop()).code, 0);
    }
  }, { partitions: 3 });
});

Deno.test({
  name: "serve survives the broker stopping and starting again, and loses no record",
  // Bounces the broker: only one this test run started itself (scripts/test.sh).
  ignore: !brokerManaged(),
  fn: async () => {
    await withTopic("recovery-broker", async (topic) => {
      const env = { KAFKA_TOPIC: topic, KAFKA_GROUP_ID: uniqueName("outage") };
      const exporter = await serveApplied(env, 50);
      try {
        await stopBroker();
        try {
          // The outage is counted while /metrics keeps answering.
          await waitFor(async () => {
            const s = await exporter.scrape();
            return s.get("dashstream_exporter_kafka_consumer_errors_total")! > 0;
          }, {
            timeoutMs: 60_000,
            message: () => `no consumer error counted:\n${exporter.stderr()}`,
          });
        } finally {
          await startBroker();
        }
        await produce(topic, events(50, 50));
        await waitFor(async () => (await exporter.scrape()).get(QUERIES)! >= 100, {
          timeoutMs: 90_000,
          message: () => `did not recover after the broker came back:\n${exporter.stderr()}`,
        });
        await waitFor(async () => (await committedTotal(env.KAFKA_GROUP_ID, topic)) === 100, {
          timeoutMs: 30_000,
          message: "offsets not committed after recovery",
        });
        assert.equal(exporter.child.pid > 0, true);
      } finally {
        const { code } = await exporter.stop();
        assert.equal(code, 0, exporter.stderr());
      }
    });
  },
});
