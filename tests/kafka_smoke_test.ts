// Proves the test broker and the helpers in tests/support/kafka.ts work end to end
// with kafkajs: topic lifecycle, produce, consumer-group consume, commit, offsets.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  committedOffsets,
  consume,
  endOffsets,
  kafkaClient,
  produce,
  uniqueName,
  waitFor,
  withAdmin,
  withTopic,
} from "./support/kafka.ts";

Deno.test("kafka smoke: a consumer group reads 10 produced records and commits their offsets", async () => {
  let created = "";
  await withTopic("smoke", async (topic) => {
    created = topic;
    const records = Array.from({ length: 10 }, (_, i) => ({
      key: `key-${i}`,
      value: new TextEncoder().encode(`value-${i}`),
      partition: i % 2,
    }));
    await produce(topic, records);
    assert.deepEqual(await endOffsets(topic), new Map([[0, 5], [1, 5]]));

    const groupId = uniqueName("smoke-group");
    const consumer = kafkaClient().consumer({ groupId, maxWaitTimeInMs: 100 });
    const seen: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, resolveOffset }) => {
          for (const message of batch.messages) {
            seen.push(`${message.key}=${message.value}`);
            resolveOffset(message.offset);
          }
          // The committed offset is the next one to read.
          const next = String(Number(batch.lastOffset()) + 1);
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: next }]);
        },
      });
      await waitFor(async () => {
        const committed = await committedOffsets(groupId, topic);
        return committed.get(0) === 5 && committed.get(1) === 5;
      }, { message: () => `offsets 5/5 committed (consumed ${seen.length}: ${seen})` });
      await consumer.disconnect();
      // Committed offsets outlive the member: they are the group's, read back by admin.
      assert.deepEqual(await committedOffsets(groupId, topic), new Map([[0, 5], [1, 5]]));
    } finally {
      await consumer.disconnect();
      await withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => {});
    }
    assert.deepEqual(seen.toSorted(), records.map((_, i) => `key-${i}=value-${i}`).toSorted());

    // The one-shot helper reads the same records with its own group.
    const again = await consume(topic, 10);
    assert.equal(again.length, 10);
    assert.equal(
      new TextDecoder().decode(
        again.find((r) => r.partition === 0 && r.offset === 0)?.value ?? undefined,
      ),
      "value-0",
    );
  }, { partitions: 2 });

  const topics = await withAdmin((admin) => admin.listTopics());
  assert.ok(!topics.includes(created), `topic ${created} should have been deleted`);
});

Deno.test("produce() writes batches kcat compressed that kafkajs reads back (gzip)", async () => {
  await withTopic("smoke-kcat", async (topic) => {
    const value = (i: number) => Buffer.from(`record ${i} `.padEnd(500, "compressible "));
    await produce(topic, [{ key: "a", value: value(0) }, { key: null, value: value(1) }], {
      compression: "gzip",
      via: "kcat",
    });
    const records = await consume(topic, 2);
    assert.deepEqual(
      records.map((r) => [r.key && Buffer.from(r.key).toString(), Buffer.from(r.value!)]),
      [["a", value(0)], [null, value(1)]],
    );
  });
});
