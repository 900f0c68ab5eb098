import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { parsePartitions, resolveTailConfig, type TailFlags } from "./config.ts";
import { assertThrowsMatch } from "../../tests/support/assert_throws.ts";

Deno.test("resolveTailConfig() defaults: the exporter's topic, from the end, following", () => {
  const config = resolveTailConfig({}, {});
  assert.deepEqual(config, {
    kafka: { brokers: ["localhost:9092"], addressFamily: 4 },
    topic: "dashstream-quality",
    from: { kind: "end" },
    partitions: undefined,
    limit: undefined,
    exitAtEnd: false,
    format: "auto",
    color: "auto",
    output: undefined,
    quiet: false,
    filters: {},
    groupId: undefined,
    maxPayloadBytes: 10 * 1024 * 1024,
    maxLineBytes: 16 * 1024 * 1024,
  });
});

Deno.test("resolveTailConfig() never reads KAFKA_GROUP_ID: tailing must not join the exporter's group", () => {
  const config = resolveTailConfig({}, { KAFKA_GROUP_ID: "prometheus-exporter" });
  assert.equal(config.groupId, undefined);
  assert.equal(resolveTailConfig({ group: "ops" }, {}).groupId, "ops");
});

Deno.test("resolveTailConfig() reads the shared env vars and lets flags win", () => {
  const config = resolveTailConfig({ topic: "t2" }, {
    KAFKA_BROKERS: "kafka:9092",
    KAFKA_TOPIC: "t1",
    DASHSTREAM_MAX_PAYLOAD_BYTES: "4096",
  });
  assert.deepEqual(config.kafka.brokers, ["kafka:9092"]);
  assert.equal(config.topic, "t2");
  assert.equal(config.maxPayloadBytes, 4096);
});

Deno.test("resolveTailConfig() parses every flag", () => {
  const config = resolveTailConfig({
    from: "-5",
    partition: "0,2-3",
    limit: "10",
    exitAtEnd: true,
    format: "JSON",
    color: "never",
    output: "out.bin",
    quiet: true,
    type: "quality",
    scope: "quality",
    thread: "a",
    session: "b",
    model: "gpt*",
  }, {});
  assert.deepEqual(config.from, { kind: "last", count: 5n });
  assert.deepEqual(config.partitions, [0, 2, 3]);
  assert.equal(config.limit, 10);
  assert.equal(config.exitAtEnd, true);
  assert.equal(config.format, "json");
  assert.equal(config.color, "never");
  assert.equal(config.output, "out.bin");
  assert.equal(config.quiet, true);
  assert.deepEqual([...config.filters.types!], ["quality"]);
  assert.equal(config.filters.scopes!.length, 1);
  assert.equal(config.filters.threads!.length, 2, "--thread and --session add up");
  assert.ok(config.filters.models![0].test("GPT-4"), "models match in any case");
});

for (
  const [flags, expected] of [
    [{ from: "yesterday" }, /^Invalid --from 'yesterday': expected beginning, end/],
    [{ limit: "0" }, /^Invalid --limit '0': expected a positive integer/],
    [{ limit: "ten" }, /^Invalid --limit 'ten'/],
    [{ format: "yaml" }, /^Invalid --format 'yaml': expected one of auto, pretty, json/],
    [{ color: "sometimes" }, /^Invalid --color 'sometimes': expected one of auto, always, never/],
    [{ partition: "a" }, /^Invalid --partition 'a': expected partition numbers/],
    [{ partition: "3-1" }, /^Invalid --partition '3-1'/],
    [{ type: "quality,bogus" }, /^Invalid --type 'bogus'/],
    [{ model: "," }, /^Invalid --model ',': expected a comma-separated list/],
    [{ output: " " }, /^Invalid --output ' ': expected a file path/],
    [{ group: " " }, /^Invalid --group ' ': expected a consumer group id/],
    [{ group: "g", from: "-5" }, /^Invalid --from '-5' with --group/],
    [{ group: "g", partition: "0" }, /^Invalid --partition '0' with --group/],
    [{ topic: "a b" }, /^Invalid --topic 'a b': a topic name is/],
    [{ brokers: "nohost" }, /^Invalid --brokers entry 'nohost'/],
    [{ maxPayloadBytes: "-1" }, /^Invalid --max-payload-bytes '-1'/],
  ] as [TailFlags, RegExp][]
) {
  Deno.test(`resolveTailConfig() rejects ${JSON.stringify(flags)} with a one-line usage error`, () => {
    assertThrowsMatch(() => resolveTailConfig(flags, {}), {
      type: UsageError,
      message: expected,
      oneLine: true,
    });
  });
}

Deno.test("parsePartitions() sorts and de-duplicates lists and ranges", () => {
  assert.deepEqual(parsePartitions("3, 1,0-2"), [0, 1, 2, 3]);
  assert.deepEqual(parsePartitions("7"), [7]);
});
