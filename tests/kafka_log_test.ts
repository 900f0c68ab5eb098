/**
 * What a user reads on stderr when talking to Kafka: a wrong broker is one line (not kafkajs'
 * retries, one WARN each), and a healthy first run has no warnings at all (a topic just created
 * and a first group join are expected, not alarming). kafkajs' own lines are there with
 * `--log-level debug`. Runs against the source, or the binary named by DASHFLOW_EXPORTER_BIN.
 */
import assert from "node:assert/strict";
import { startServe } from "./support/exporter.ts";
import { produce, uniqueName, waitFor, withAdmin, withTopic } from "./support/kafka.ts";
import { qualityMessage } from "./support/sample/mod.ts";
import { freePort, runProgram, startProgram, text } from "./support/spawn.ts";
import { encodeRecord } from "../src/wire/mod.ts";
import { withTempDir } from "./support/temp_dir.ts";

const lines = (stderr: string) => stderr.split("\n").filter((l) => l !== "");

Deno.test("tail with a wrong broker prints one line and exits 1", async () => {
  const broker = `127.0.0.1:${freePort()}`;
  const { code, stderr } = await runProgram(["tail", "--brokers", broker, "--topic", "t"]);
  assert.equal(code, 1);
  assert.deepEqual(lines(text(stderr)), [
    `dashflow-exporter: Cannot connect to Kafka at ${broker}: connection refused ` +
    `(set KAFKA_BROKERS or --brokers)`,
  ]);
});

Deno.test("replay --to-kafka with a wrong broker prints one line (and the summary) and exits 1", async () => {
  await withTempDir("kafka-log", async (dir) => {
    const file = `${dir}/one.jsonl`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ value: btoa(String.fromCharCode(...encodeRecord(qualityMessage()))) }) +
        "\n",
    );
    const broker = `127.0.0.1:${freePort()}`;
    const { code, stderr } = await runProgram([
      "replay",
      file,
      "--to-kafka",
      "--topic",
      "t",
      "--brokers",
      broker,
    ]);
    assert.equal(code, 1);
    const out = lines(text(stderr)).filter((l) => !l.startsWith("replay: "));
    assert.equal(out.length, 1, text(stderr));
    assert.match(
      out[0],
      new RegExp(`^dashflow-exporter: Cannot produce to topic t at ${broker}: `),
    );
  });
});

Deno.test("serve with a wrong broker logs our verdict, no kafkajs warnings; debug shows them", async () => {
  const broker = `127.0.0.1:${freePort()}`;
  for (const level of ["info", "debug"]) {
    const serve = startProgram([
      "serve",
      "--brokers",
      broker,
      "--port",
      "0",
      "--bind",
      "127.0.0.1",
      "--log-level",
      level,
    ], { stdout: "null" });
    try {
      await serve.stderrMatch(/ERROR Cannot connect to Kafka at /, "serve logs the verdict");
    } finally {
      await serve.stop();
    }
    const stderr = serve.stderr();
    assert.doesNotMatch(stderr, / WARN /, stderr);
    if (level === "info") assert.doesNotMatch(stderr, /source=kafkajs/, stderr);
    else assert.match(stderr, /DEBUG .*source=kafkajs\.\w+.* error_kind=unreachable/);
  }
});

Deno.test("a healthy first run (new topic, new group) logs no warnings", async () => {
  await withTopic("kafka-log-first", async (topic) => {
    const group = uniqueName("kafka-log-first");
    const exporter = await startServe({ KAFKA_TOPIC: topic, KAFKA_GROUP_ID: group });
    try {
      await waitFor(async () => (await fetch(`${exporter.url}/-/ready`)).status === 200, {
        timeoutMs: 30_000,
        message: () => `serve becomes ready:\n${exporter.stderr()}`,
      });
      await produce(topic, [{ value: encodeRecord(qualityMessage()) }]);
      await waitFor(
        async () => (await exporter.scrape()).get("dashstream_quality_monitor_queries_total") === 1,
        { timeoutMs: 30_000, message: () => `serve applies the event:\n${exporter.stderr()}` },
      );
    } finally {
      await exporter.stop();
      await withAdmin((admin) => admin.deleteGroups([group])).catch(() => {});
    }
    assert.doesNotMatch(exporter.stderr(), / (WARN|ERROR) /, exporter.stderr());
    // Nor the runtime's warning about kafkajs' negative timer delay (src/kafka/timeout_quirk.ts).
    assert.doesNotMatch(exporter.stderr(), /Warning/, exporter.stderr());
  });
});
