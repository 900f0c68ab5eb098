/**
 * No mode creates a topic it was not asked to: `serve` on a mistyped topic stays unready with a
 * reason naming it and leaves no topic behind; `tail` on a missing one fails in one line;
 * `replay --to-kafka` fails on a missing topic unless `--create-topic` asks, then creates it
 * with `--partitions`.
 */
import assert from "node:assert/strict";
import { startServe } from "./support/exporter.ts";
import { requireKafka, uniqueName, waitFor, withAdmin } from "./support/kafka.ts";
import { FIXTURES, runReplay } from "./support/replay.ts";
import { runProgram, text } from "./support/spawn.ts";

const topicExists = (topic: string) =>
  withAdmin(async (admin) => (await admin.listTopics()).includes(topic));

Deno.test("serve on a mistyped topic creates no topic; /-/ready is 503 naming it and the fix", async () => {
  await requireKafka();
  const topic = uniqueName("typo-topic");
  const server = await startServe({ KAFKA_TOPIC: topic, KAFKA_GROUP_ID: uniqueName("typo") });
  try {
    const body = await waitFor(async () => {
      const response = await fetch(`${server.url}/-/ready`);
      const text = await response.text();
      assert.equal(response.status, 503);
      return text.includes("does not exist") ? text : undefined;
    }, { timeoutMs: 20_000, message: () => `no topic reason in /-/ready:\n${server.stderr()}` });
    assert.match(
      body,
      new RegExp(
        `^Not ready: topic '${topic}' does not exist at .*, and serve never creates a topic: ` +
          `create it .*, or set KAFKA_TOPIC or --topic`,
      ),
    );
    assert.match(server.stderr(), new RegExp(`Topic '${topic}' not found at .* error_kind=topic`));
    // Several attempts later, still no topic.
    await waitFor(() => (server.stderr().match(/error_kind=topic/g) ?? []).length >= 3, {
      timeoutMs: 20_000,
    });
    assert.equal(await topicExists(topic), false, "serve created the topic");
  } finally {
    await server.stop();
  }
  assert.equal(await topicExists(topic), false, "serve created the topic");
});

Deno.test("tail on a missing topic fails in one line naming it, and creates nothing", async () => {
  await requireKafka();
  const topic = uniqueName("tail-typo");
  const out = await runProgram(["tail", "--topic", topic, "--log-level", "quiet"]);
  const stderr = text(out.stderr);
  assert.equal(out.code, 1, stderr);
  assert.equal(stderr.trim().split("\n").length, 1, stderr);
  assert.match(stderr, new RegExp(`^dashflow-exporter: Topic '${topic}' does not exist on `));
  assert.equal(await topicExists(topic), false, "tail created the topic");
});

Deno.test("replay --to-kafka: a missing topic fails naming --create-topic, which creates it with --partitions", async () => {
  await requireKafka();
  const topic = uniqueName("replay-create");
  const input = `${FIXTURES}events.jsonl`;
  try {
    const refused = await runReplay([input, "--to-kafka", "--topic", topic]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `^dashflow-exporter: Topic ${topic} does not exist at .*: replay never creates a topic ` +
          "unasked; create it, pass --create-topic",
        "m",
      ),
    );
    assert.equal(await topicExists(topic), false, "replay created the topic unasked");

    const created = await runReplay([
      input,
      "--to-kafka",
      "--topic",
      topic,
      "--create-topic",
      "--partitions",
      "3",
    ]);
    assert.equal(created.code, 0, created.stderr);
    const partitions = await withAdmin(async (admin) =>
      (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length
    );
    assert.equal(partitions, 3);
  } finally {
    await withAdmin((admin) => admin.deleteTopics({ topics: [topic], timeout: 10_000 }))
      .catch(() => {});
  }
});

Deno.test("replay refuses --create-topic without --to-kafka and --partitions without --create-topic", async () => {
  for (
    const [args, message] of [
      [["--create-topic"], /--create-topic applies to --to-kafka only/],
      [
        ["--to-kafka", "--topic", "t", "--partitions", "3"],
        /--partitions applies to --create-topic only/,
      ],
    ] as const
  ) {
    const out = await runReplay([`${FIXTURES}events.jsonl`, ...args]);
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, message);
  }
});

Deno.test("serve does not re-create its topic when it is deleted; /-/ready is 503 naming it", async () => {
  await requireKafka();
  const topic = uniqueName("deleted-topic");
  await withAdmin((admin) =>
    admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] })
  );
  const server = await startServe({ KAFKA_TOPIC: topic, KAFKA_GROUP_ID: uniqueName("deleted") });
  try {
    await waitFor(
      async () => (await fetch(`${server.url}/-/ready`).then((r) => r.text())) === "Ready\n",
      {
        timeoutMs: 60_000,
        message: () => `never ready:\n${server.stderr()}`,
      },
    );
    await withAdmin((admin) => admin.deleteTopics({ topics: [topic], timeout: 10_000 }));
    // The consumer crashes on the missing topic and retries; /-/ready says why; nothing re-creates.
    await waitFor(async () => {
      const response = await fetch(`${server.url}/-/ready`);
      const text = await response.text();
      return response.status === 503 && text.includes(`topic '${topic}' does not exist`);
    }, {
      timeoutMs: 60_000,
      message: () => `no topic reason after the deletion:\n${server.stderr()}`,
    });
    assert.equal(await topicExists(topic), false, "serve re-created the deleted topic");
    // It restarts with a doubling delay (2 s, 4 s, ...), not kafkajs' own restart every 300 ms.
    const crashes = () =>
      server.stderr().split("\n").filter((l) => /Kafka consumer (crashed|restart failed)/.test(l));
    await waitFor(() => crashes().length >= 2, {
      timeoutMs: 30_000,
      message: () =>
        `fewer than two crash or failed-restart lines after the deletion:\n${server.stderr()}`,
    });
    const delays = crashes().map((line) => /restart="?in (\d+) ms/.exec(line)?.[1]);
    assert.deepEqual(delays.slice(0, 2), ["2000", "4000"], crashes().join("\n"));
  } finally {
    await server.stop();
  }
  assert.equal(await topicExists(topic), false, "serve re-created the deleted topic");
});
