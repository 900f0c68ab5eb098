// Tailing must never move anyone's offsets: the exporter's group keeps its
// committed offsets (even with KAFKA_GROUP_ID set to it), the private group
// tail uses holds none and is gone afterwards; only --group opts in.
import assert from "node:assert/strict";
import { sampleQuality } from "./support/tail_records.ts";
import { startServe } from "./support/exporter.ts";
import { committedOffsets, uniqueName, waitFor, withAdmin, withTopic } from "./support/kafka.ts";
import {
  parseLines,
  produceRecords,
  runTail,
  tailReady,
  type TailTestRecord,
  topicToEnd,
  withTail,
} from "./support/tail.ts";

const quality = (n: number, partitions = 2): TailTestRecord[] =>
  Array.from({ length: n }, (_, i) => ({ value: sampleQuality(), partition: i % partitions }));

async function groupExists(groupId: string): Promise<boolean> {
  const { groups } = await withAdmin((admin) => admin.listGroups());
  return groups.some((g) => g.groupId === groupId);
}

Deno.test("tail leaves the exporter group's committed offsets unchanged and leaves no group behind", async () => {
  await withTopic("tail-offsets", async (topic) => {
    await produceRecords(topic, quality(6));
    const exporterGroup = uniqueName("tail-offsets-exporter");
    // KAFKA_GROUP_ID names the exporter's group in every tail run below: tail must ignore it.
    const env = { KAFKA_GROUP_ID: exporterGroup };
    try {
      // 1. Alongside a running exporter, tail neither steals its partitions nor its records.
      const exporter = await startServe({ KAFKA_TOPIC: topic, KAFKA_GROUP_ID: exporterGroup });
      try {
        await waitFor(async () => {
          const committed = await committedOffsets(exporterGroup, topic);
          return committed.get(0) === 3 && committed.get(1) === 3;
        }, { timeoutMs: 30_000, message: () => `exporter commits 3/3:\n${exporter.stderr()}` });
        const during = await runTail(topicToEnd(topic), { env });
        assert.equal(during.code, 0, during.stderr);
        assert.equal(during.lines.length, 6);
        await produceRecords(topic, quality(4));
        await waitFor(async () => {
          const committed = await committedOffsets(exporterGroup, topic);
          return committed.get(0) === 5 && committed.get(1) === 5;
        }, { timeoutMs: 30_000, message: () => `exporter commits 5/5:\n${exporter.stderr()}` });
        const samples = await exporter.scrape();
        assert.equal(samples.get("dashstream_exporter_messages_received_total"), 10);
      } finally {
        const { code } = await exporter.stop();
        assert.equal(code, 0, exporter.stderr());
      }

      // 2. With the exporter stopped, its offsets are exactly as it left them after tails
      // that exit at the end and that are stopped with Ctrl-C.
      const frozen = await committedOffsets(exporterGroup, topic);
      assert.deepEqual(frozen, new Map([[0, 5], [1, 5]]));
      const once = await runTail(topicToEnd(topic), { env });
      assert.equal(once.code, 0, once.stderr);
      assert.equal(once.lines.length, 10);
      const onceGroup = /group=(\S+)/.exec(once.stderr)?.[1] ?? "";
      assert.match(onceGroup, /^dashflow-tail-[0-9a-f]{12}$/);
      assert.match(once.stderr, / commits=false/);

      const followGroup = await withTail(
        ["--topic", topic, "--from", "beginning"],
        async (child) => {
          const group = await tailReady(child);
          await waitFor(() => child.lines().length >= 10, { message: () => child.stderr() });
          child.kill("SIGINT");
          assert.equal(await child.exited, 0, child.stderr());
          return group;
        },
        { env },
      );

      assert.deepEqual(await committedOffsets(exporterGroup, topic), frozen);
      for (const group of [onceGroup, followGroup]) {
        assert.ok(!(await groupExists(group)), `tail's private group ${group} was deleted`);
        const offsets = await committedOffsets(group, topic);
        assert.deepEqual([...offsets.values()], [-1, -1], `${group} never committed`);
      }
    } finally {
      await withAdmin((admin) => admin.deleteGroups([exporterGroup])).catch(() => {});
    }
  }, { partitions: 2 });
});

Deno.test("tail --group opts in: it resumes from and commits to that group's offsets", async () => {
  await withTopic("tail-group", async (topic) => {
    const group = uniqueName("tail-group-opt-in");
    try {
      await produceRecords(topic, quality(4));
      const args = ["--topic", topic, "--group", group, "--exit-at-end"];
      const first = await runTail([...args, "--from", "beginning"]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.lines.length, 4);
      assert.match(first.stderr, new RegExp(`group=${group} commits=true`));
      assert.deepEqual(await committedOffsets(group, topic), new Map([[0, 2], [1, 2]]));

      const again = await runTail([...args, "--from", "beginning"]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(again.lines, [], "the group already read everything");

      await produceRecords(topic, quality(2));
      const more = await runTail(args);
      assert.deepEqual(parseLines(more.lines).map((r) => [r.partition, r.offset]).toSorted(), [
        [0, 2],
        [1, 2],
      ]);
      assert.deepEqual(await committedOffsets(group, topic), new Map([[0, 3], [1, 3]]));
      assert.ok(await groupExists(group), "an opted-in group is kept");
    } finally {
      await withAdmin((admin) => admin.deleteGroups([group])).catch(() => {});
    }
  }, { partitions: 2 });
});
