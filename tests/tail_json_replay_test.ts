/**
 * `tail --format json` lines are JSON Lines `replay` reads: they carry the record value in base64,
 * so `tail --format json > f.jsonl; replay f.jsonl` prints exactly what
 * `tail --output f.bin; replay f.bin` prints. And `tail | head -1` ends quietly. Real broker,
 * unique topic; runs against the source, or the binary named by DASHFLOW_EXPORTER_BIN.
 */
import assert from "node:assert/strict";
import {
  eventMessage,
  qualityMessage,
  sampleRecords,
  tokenChunkMessage,
  toolExecutionMessage,
} from "./support/sample/mod.ts";
import { withTopic } from "./support/kafka.ts";
import { runProgram, runProgramStdoutClosed, text } from "./support/spawn.ts";
import { produceRecords, runTail, type TailTestRecord, topicToEnd } from "./support/tail.ts";
import { withTempDir } from "./support/temp_dir.ts";

/**
 * Quality traffic starting now, other message kinds, a record without a header and two that do
 * not decode. Every Kafka timestamp is the first event's time: `replay` reads a JSON line's
 * `timestamp` when a record has no header time, and a size-delimited file has none, so an
 * earlier Kafka time keeps the two event clocks equal (it never moves a clock back).
 */
function records(): TailTestRecord[] {
  const startMs = Date.now();
  const out: TailTestRecord[] = sampleRecords(150, {
    seed: 11,
    startTimeUs: BigInt(startMs) * 1000n,
  }).map((r) => ({ key: r.key, value: r.value, timestamp: startMs }));
  const extra = [
    eventMessage(),
    tokenChunkMessage(),
    toolExecutionMessage(),
    qualityMessage({ header: null, qualityScore: 0.4, passed: false }),
    new Uint8Array([0x00, 0x0a, 0xff, 0xff]),
    new Uint8Array(0),
  ];
  for (const [i, value] of extra.entries()) {
    out.splice(20 * (i + 1), 0, { value, timestamp: startMs });
  }
  return out;
}

Deno.test("tail --format json then replay equals tail --output then replay", async () => {
  await withTopic("tail-json-replay", async (topic) => {
    const produced = records();
    await produceRecords(topic, produced);
    await withTempDir("tail-json-replay", async (dir) => {
      const from = topicToEnd(topic);
      const json = await runTail([...from, "--format", "json"]);
      assert.equal(json.code, 0, json.stderr);
      const lines = json.stdout.trimEnd().split("\n");
      assert.equal(lines.length, produced.length);
      for (const line of lines) assert.equal(typeof JSON.parse(line).value, "string", line);
      await Deno.writeTextFile(`${dir}/records.jsonl`, json.stdout);

      const recorded = await runTail([...from, "--output", `${dir}/records.bin`, "--quiet"]);
      assert.equal(recorded.code, 0, recorded.stderr);

      const fromJson = await runProgram(["replay", `${dir}/records.jsonl`]);
      assert.equal(fromJson.code, 0, text(fromJson.stderr));
      const fromBin = await runProgram(["replay", `${dir}/records.bin`]);
      assert.equal(fromBin.code, 0, text(fromBin.stderr));
      const exposition = text(fromJson.stdout);
      assert.match(exposition, /^dashstream_quality_monitor_queries_total 151$/m);
      assert.match(
        exposition,
        /^dashstream_exporter_messages_failed_total\{error_type="decode"\} 2$/m,
      );
      assert.equal(exposition, text(fromBin.stdout), "the two replays print the same metrics");
    });
  });
});

Deno.test("tail | head -1: tail ends quietly with exit 0 when stdout's reader goes away", async () => {
  await withTopic("tail-head", async (topic) => {
    await produceRecords(topic, records().slice(0, 50));
    for (const format of ["json", "pretty"]) {
      const { code, signal, stderr } = await runProgramStdoutClosed([
        "tail",
        "--topic",
        topic,
        "--from",
        "beginning",
        "--format",
        format,
      ], { env: { KAFKA_BROKERS: Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092" } });
      assert.equal(signal, null);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|Broken pipe|unexpected error/i);
    }
  });
});
