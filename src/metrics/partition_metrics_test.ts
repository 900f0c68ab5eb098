import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { PartitionMetrics, type PartitionSource } from "./partition_metrics.ts";

class FakeMember implements PartitionSource {
  assignedPartitions: number[] = [];
  committed = new Map<number, bigint>();
  committedOffsets(): ReadonlyMap<number, bigint> {
    return this.committed;
  }
}

async function series(registry: Registry): Promise<string[]> {
  const text = await registry.metrics();
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

Deno.test("partition metrics: one series per assigned partition, lag and committed offset", async () => {
  const registry = new Registry();
  const member = new FakeMember();
  const metrics = new PartitionMetrics(registry, { topic: "t", source: member });
  assert.deepEqual(await series(registry), []);

  member.assignedPartitions = [0, 2];
  member.committed.set(2, 41n);
  metrics.setLags([{ partition: 0, lag: 5 }, { partition: 2, lag: 0 }]);
  assert.deepEqual(await series(registry), [
    'dashstream_exporter_kafka_partition_assigned{topic="t",partition="0"} 1',
    'dashstream_exporter_kafka_partition_assigned{topic="t",partition="2"} 1',
    'dashstream_exporter_kafka_partition_lag{topic="t",partition="0"} 5',
    'dashstream_exporter_kafka_partition_lag{topic="t",partition="2"} 0',
    'dashstream_exporter_kafka_partition_committed_offset{topic="t",partition="2"} 41',
  ]);
  // The landing page reads the same kept lags.
  assert.equal(metrics.lagOf(0), 5);
  assert.equal(metrics.lagOf(2), 0);
  assert.equal(metrics.lagOf(1), undefined);
});

Deno.test("partition metrics: a revoked partition's series are gone at the next scrape", async () => {
  const registry = new Registry();
  const member = new FakeMember();
  const metrics = new PartitionMetrics(registry, { topic: "t", source: member });
  member.assignedPartitions = [0, 1];
  member.committed.set(0, 7n).set(1, 9n);
  metrics.setLags([{ partition: 0, lag: 1 }, { partition: 1, lag: 2 }]);
  assert.equal((await series(registry)).length, 6);

  // Revoked before the next lag check: its stale lag must not show.
  member.assignedPartitions = [1];
  member.committed.delete(0);
  assert.deepEqual(await series(registry), [
    'dashstream_exporter_kafka_partition_assigned{topic="t",partition="1"} 1',
    'dashstream_exporter_kafka_partition_lag{topic="t",partition="1"} 2',
    'dashstream_exporter_kafka_partition_committed_offset{topic="t",partition="1"} 9',
  ]);

  member.assignedPartitions = [];
  assert.deepEqual(await series(registry), []);
});
