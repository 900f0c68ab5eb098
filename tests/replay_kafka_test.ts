// `replay --to-kafka` against the real broker: records land unchanged (keys preserved), and
// `serve` consuming them ends with the metrics of the in-process replay of the same file.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { readDelimited } from "../src/wire/record_file.ts";
import { RecordHeader } from "../src/replay/record_header.ts";
import { readJsonLines } from "../src/replay/jsonl.ts";
import { startServe } from "./support/exporter.ts";
import { parseSamples, sample } from "./support/exposition.ts";
import {
  consume,
  kafkaBrokers,
  requireKafka,
  uniqueName,
  waitFor,
  withAdmin,
  withTopic,
} from "./support/kafka.ts";
import { FIXTURES, runReplay, text } from "./support/replay.ts";

// Series that legitimately differ between a live consumer and an event-time replay: wall-clock
// timestamps, scrape timing, the runtime in build_info, lag (and serve's per-partition series,
// which replay has no consumer for); and the sessions histogram, which
// the in-process replay flushes at the end while a running serve still tracks them.
const DIFFERS = [
  "dashflow_build_info",
  "dashstream_exporter_process_start_time_seconds",
  "dashstream_exporter_last_event_timestamp_seconds",
  "dashstream_exporter_gauges_last_update_timestamp_seconds",
  "dashstream_exporter_metrics_endpoint_duration_seconds",
  "dashstream_exporter_kafka_consumer_lag",
  "dashstream_exporter_kafka_partition_",
  "dashstream_turns_by_session",
];

function comparable(samples: Map<string, number>): Map<string, number> {
  return new Map([...samples].filter(([key]) => !DIFFERS.some((name) => key.startsWith(name))));
}

async function roundTrip(
  file: string,
  expected: { key: string | Uint8Array | null; value: Uint8Array }[],
) {
  await requireKafka();
  await withTopic("replay-rt", async (topic) => {
    const produced = await runReplay([
      `${FIXTURES}${file}`,
      "--to-kafka",
      "--topic",
      topic,
      "--brokers",
      kafkaBrokers().join(","),
    ]);
    assert.equal(produced.code, 0, produced.stderr);
    assert.match(
      produced.stderr,
      new RegExp(`replay: ${expected.length} records produced to ${topic} in .* records/s\\), 0`),
    );

    // Unchanged: same values in the same order, keys preserved or derived from thread_id.
    const records = await consume(topic, expected.length);
    assert.deepEqual(
      records.map((r) => ({
        key: r.key && Buffer.from(r.key).toString("hex"),
        value: Buffer.from(r.value ?? []).toString("hex"),
      })),
      expected.map((e) => ({
        key: e.key === null ? null : Buffer.from(e.key).toString("hex"),
        value: Buffer.from(e.value).toString("hex"),
      })),
    );

    const inProcess = await runReplay([`${FIXTURES}${file}`]);
    assert.equal(inProcess.code, 0, inProcess.stderr);
    const want = comparable(parseSamples(text(inProcess.stdout)));

    const group = uniqueName("replay-rt-group");
    const exporter = await startServe({
      KAFKA_BROKERS: kafkaBrokers().join(","),
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: group,
    });
    try {
      const got = await waitFor(async () => {
        const samples = await exporter.scrape();
        const received = samples.get("dashstream_exporter_messages_received_total");
        return received === expected.length ? samples : undefined;
      }, { timeoutMs: 30_000, message: () => `serve received ${expected.length} records` });
      assert.deepEqual(comparable(got), want);
      assert.equal(sample(got, "dashstream_exporter_kafka_consumer_errors_total"), 0);
    } finally {
      await exporter.stop();
      await withAdmin((admin) => admin.deleteGroups([group])).catch(() => {});
    }
  });
}

Deno.test("replay --to-kafka of a size-delimited file: serve ends with the in-process metrics", async () => {
  const bytes = await Deno.readFile(`${FIXTURES}sample.bin`);
  const header = new RecordHeader();
  // No key in the file: each record is keyed by its header's thread id, as producers do.
  const expected = [...readDelimited(bytes)].map(({ value }) => {
    header.peek(value, 10 * 1024 * 1024);
    return { key: header.threadId() ?? null, value };
  });
  assert.ok(expected.filter((e) => e.key !== null).length > 290, "most records have a key");
  await roundTrip("sample.bin", expected);
});

Deno.test("replay --to-kafka of JSON Lines: envelope keys kept, canonical JSON framed", async () => {
  const bytes = await Deno.readFile(`${FIXTURES}events.jsonl`);
  const header = new RecordHeader();
  const expected = [...readJsonLines(bytes)].map((record) => {
    header.peek(record.value, 10 * 1024 * 1024);
    const key = record.key !== undefined ? record.key : header.threadId() ?? null;
    return { key, value: record.value ?? new Uint8Array(0) };
  });
  // Envelopes keep their own key, null included; canonical JSON lines get their thread id.
  assert.deepEqual(expected.map((e) => e.key), [
    ...["s-alpha", "s-alpha", "s-beta", "s-beta", "s-gamma", null, "s-gamma", "s-beta"],
    ...["s-beta", "s-beta", null, "s-delta", "s-delta", "s-legacy", "s-delta", null],
    ...["s-epsilon", "s-alpha", "s-zeta"],
  ]);
  await roundTrip("events.jsonl", expected);
});

Deno.test("replay --to-kafka --rate paces the records", async () => {
  await requireKafka();
  await withTopic("replay-rate", async (topic) => {
    const started = performance.now();
    const { code, stderr } = await runReplay([
      `${FIXTURES}events.jsonl`,
      "--to-kafka",
      "--topic",
      topic,
      "--brokers",
      kafkaBrokers().join(","),
      "--rate",
      "20",
    ]);
    const elapsed = performance.now() - started;
    assert.equal(code, 0, stderr);
    // Record 19 is due 18/20 s after the first: never sent ahead of the schedule.
    assert.ok(elapsed >= 900, `19 records at 20/s took ${elapsed.toFixed(0)} ms`);
    assert.match(stderr, /replay: 19 records produced to .* in (0\.9\d|[1-9]\.\d\d) s/);
    assert.equal((await consume(topic, 19)).length, 19);
  });
});
