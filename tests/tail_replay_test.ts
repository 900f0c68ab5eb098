// `tail --output f.bin` then `replay f.bin` yields the same metrics as `serve`
// consuming the same records: the record file carries the exact values.
import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../src/gen/dashstream_pb.ts";
import {
  eventMessage,
  qualityMessage,
  sampleRecords,
  tokenChunkMessage,
  zstdZeroBomb,
} from "./support/sample/mod.ts";
import { sampleLibrarianMetrics } from "./support/tail_records.ts";
import { parseSamples } from "./support/exposition.ts";
import { startServe } from "./support/exporter.ts";
import { runProgram } from "./support/spawn.ts";
import { uniqueName, waitFor, withAdmin, withTopic } from "./support/kafka.ts";
import { produceRecords, runTail, type TailTestRecord, topicToEnd } from "./support/tail.ts";

/**
 * Series that legitimately differ between a replay and a live serve: wall-clock
 * times, the scrape's own timing, lag and the per-partition series (replay has no
 * consumer), the build
 * labels (the runtime), and the turns per session: a live serve observes a
 * session only once it has been idle for 5 minutes (or at shutdown, which it
 * logs), while replay's event clock reaches the end of the input and flushes
 * every session. Those are compared through serve's shutdown log instead.
 */
const DIFFERS = [
  /^dashstream_turns_by_session/,
  /^dashflow_build_info\{/,
  /^dashstream_exporter_process_start_time_seconds$/,
  /^dashstream_exporter_metrics_endpoint_duration_seconds/,
  /^dashstream_exporter_kafka_consumer_lag$/,
  /^dashstream_exporter_kafka_partition_(assigned|lag|committed_offset)\{/,
  /^dashstream_exporter_last_event_timestamp_seconds$/,
  /^dashstream_exporter_gauges_last_update_timestamp_seconds$/,
];

const comparable = (samples: Map<string, number>) =>
  new Map([...samples].filter(([series]) => !DIFFERS.some((re) => re.test(series))));

/** A realistic mix: typical quality traffic (some zstd-framed) and everything else. */
function mix(): TailTestRecord[] {
  const records: TailTestRecord[] = sampleRecords(300, { seed: 7 }).map((r) => ({
    key: r.key,
    value: r.value,
  }));
  const extra: TailTestRecord[] = [
    { value: eventMessage() },
    { value: tokenChunkMessage() },
    { value: sampleLibrarianMetrics() }, // wrong scope
    { value: qualityMessage({ header: null, qualityScore: 0.5, passed: true }) }, // no header
    { value: create(DashStreamMessageSchema, {}) }, // no payload
    { value: new Uint8Array([0x00, 0x0a, 0xff, 0xff]) }, // decode error
    { value: zstdZeroBomb(64 * 1024 * 1024) }, // decode error: too large once decompressed
    { value: new Uint8Array(0) }, // empty value: decode error
  ];
  for (const [i, record] of extra.entries()) records.splice(40 * (i + 1), 0, record);
  return records;
}

Deno.test("tail --output then replay FILE gives the metrics serve gives on the same records", async () => {
  await withTopic("tail-replay", async (topic) => {
    const records = mix();
    await produceRecords(topic, records);
    const dir = await Deno.makeTempDir({ prefix: "tail-replay-" });
    const file = `${dir}/records.bin`;
    const group = uniqueName("tail-replay-serve");
    try {
      const tail = await runTail([...topicToEnd(topic), "--output", file, "--quiet"]);
      assert.equal(tail.code, 0, tail.stderr);
      assert.match(tail.stderr, new RegExp(`tail: ${records.length} records: `));

      const replay = await runProgram(["replay", file]);
      const replayErr = new TextDecoder().decode(replay.stderr);
      assert.equal(replay.code, 0, replayErr);
      const replayed = parseSamples(new TextDecoder().decode(replay.stdout));

      const exporter = await startServe({ KAFKA_TOPIC: topic, KAFKA_GROUP_ID: group });
      let served: Map<string, number>;
      let flushed: number;
      try {
        served = await waitFor(async () => {
          const samples = await exporter.scrape();
          return samples.get("dashstream_exporter_messages_received_total") === records.length
            ? samples
            : undefined;
        }, { timeoutMs: 30_000, message: () => `serve reads every record:\n${exporter.stderr()}` });
      } finally {
        const { code } = await exporter.stop();
        assert.equal(code, 0, exporter.stderr());
        flushed = Number(/sessions_flushed=(\d+)/.exec(exporter.stderr())?.[1]);
      }
      // Serve observes at shutdown the sessions replay observed at the end of its input.
      assert.equal(replayed.get("dashstream_turns_by_session_count"), flushed);

      const want = comparable(served);
      const got = comparable(replayed);
      const diffs: string[] = [];
      for (const series of new Set([...want.keys(), ...got.keys()])) {
        const a = want.get(series);
        const b = got.get(series);
        if (
          a === undefined || b === undefined || Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))
        ) {
          diffs.push(`${series}: serve ${a}, replay ${b}`);
        }
      }
      assert.deepEqual(diffs, [], "replay and serve differ");
      assert.ok((want.get("dashstream_quality_monitor_queries_total") ?? 0) >= 300);
      assert.equal(want.get('dashstream_exporter_messages_failed_total{error_type="decode"}'), 3);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await withAdmin((admin) => admin.deleteGroups([group])).catch(() => {});
    }
  });
});
