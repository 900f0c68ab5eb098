// `replay FILE` with no other flag: fixture files in both formats (plain, gzip, stdin) give
// exactly the expected exposition, byte for byte, run after run.
// Refresh the golden files after an intended change:
//   UPDATE_GOLDEN=1 deno test -A tests/replay_golden_test.ts
import assert from "node:assert/strict";
import { parseSamples, sample } from "./support/exposition.ts";
import { assertGolden as assertGoldenFile } from "./support/golden.ts";
import { FIXTURES, GOLDEN, maskBuildInfo, runReplay, text } from "./support/replay.ts";

async function replayFile(args: string[], options: { stdin?: Uint8Array } = {}) {
  const result = await runReplay(args, options);
  assert.equal(result.code, 0, `replay ${args.join(" ")} failed:\n${result.stderr}`);
  return result;
}

async function assertGolden(golden: string, args: string[], options: { stdin?: Uint8Array } = {}) {
  const { stdout } = await replayFile(args, options);
  const actual = maskBuildInfo(text(stdout));
  assertGoldenFile(`${GOLDEN}${golden}`, actual);
}

Deno.test("replay prints the golden exposition of a hand-written JSON Lines file", async () => {
  await assertGolden("events.prom", [`${FIXTURES}events.jsonl`]);
});

Deno.test("replay prints the golden exposition of a size-delimited file", async () => {
  await assertGolden("sample.prom", [`${FIXTURES}sample.bin`]);
});

Deno.test("replay reads a gzip-compressed file transparently", async () => {
  await assertGolden("sample.prom", [`${FIXTURES}sample.bin.gz`]);
});

Deno.test("replay - reads standard input", async () => {
  const stdin = await Deno.readFile(`${FIXTURES}events.jsonl`);
  await assertGolden("events.prom", ["-"], { stdin });
});

Deno.test("replay --format overrides detection and agrees with it", async () => {
  await assertGolden("sample.prom", [`${FIXTURES}sample.bin`, "--format", "delimited"]);
  await assertGolden("events.prom", [`${FIXTURES}events.jsonl`, "--format", "jsonl"]);
});

Deno.test("replay output is byte-identical across runs (build_info included)", async () => {
  for (const file of ["sample.bin", "events.jsonl"]) {
    const first = await replayFile([`${FIXTURES}${file}`]);
    const second = await replayFile([`${FIXTURES}${file}`]);
    assert.ok(first.stdout.length > 1000, `${file}: an exposition was printed`);
    assert.deepEqual(second.stdout, first.stdout, `${file}: the two runs differ`);
  }
});

Deno.test("replay of events.jsonl applies every rule as docs/semantics.md says", async () => {
  const { stdout, stderr } = await replayFile([`${FIXTURES}events.jsonl`]);
  const s = parseSamples(text(stdout));
  const v = (series: string) => sample(s, series);
  // 19 records: 15 quality events, 1 wrong scope, 1 other message, 1 tombstone, 1 bad value.
  assert.equal(v("dashstream_exporter_messages_received_total"), 19);
  assert.equal(v("dashstream_quality_monitor_queries_total"), 15);
  assert.equal(v("dashstream_quality_monitor_queries_passed_total"), 9);
  for (
    const [category, n] of [["Simple", 1], ["Medium", 1], ["Complex", 2], ["Edge", 1], [
      "Unknown",
      1,
    ]] as const
  ) {
    assert.equal(v(`dashstream_quality_monitor_queries_failed_total{category="${category}"}`), n);
  }
  assert.equal(v("dashstream_exporter_messages_wrong_scope_total"), 1);
  assert.equal(v("dashstream_exporter_messages_missing_header_total"), 1);
  assert.equal(v("dashstream_exporter_kafka_payload_missing_total"), 1);
  assert.equal(v('dashstream_exporter_messages_failed_total{error_type="decode"}'), 1);
  // Raw model strings are normalized; an int quality_score is ignored (0); "" has no series.
  assert.equal(v('dashstream_queries_by_model_total{model="gpt-4o-mini"}'), 2);
  assert.equal(v('dashstream_queries_by_model_total{model="claude-3-opus"}'), 1);
  assert.equal(v('dashstream_quality_score_by_model_sum{model="other"}'), 0);
  // Negative latency reads as 0; a float retry_count is ignored.
  assert.equal(v("dashstream_query_latency_ms_sum"), 40870);
  assert.equal(v('dashstream_quality_retry_count_sum{status="passed"}'), 0);
  assert.equal(v('dashstream_quality_retry_count_sum{status="failed"}'), 17);
  // Sessions: five idle past 300 s of event time when the clock jumps to 00:10:00, the
  // header-less turn 4 at once, three more flushed at the end: 2+3+2+5+1 + 4 + 7+1+2.
  assert.equal(v("dashstream_turns_by_session_count"), 9);
  assert.equal(v("dashstream_turns_by_session_sum"), 27);
  assert.equal(v("dashstream_librarian_requests_total"), 10);
  assert.equal(v('dashstream_librarian_tests_total{status="passed"}'), 6);
  assert.equal(v("dashstream_librarian_iterations"), 2);
  // Event time: start = first record's header time; last event = the latest seen (a later,
  // older record does not move the clock back). No scrape happened yet.
  assert.equal(v("dashstream_exporter_process_start_time_seconds"), 1767225600);
  assert.equal(v("dashstream_exporter_last_event_timestamp_seconds"), 1767226210);
  assert.equal(v("dashstream_exporter_gauges_last_update_timestamp_seconds"), 1767226210);
  assert.equal(v("dashstream_exporter_metrics_endpoint_duration_seconds_count"), 0);
  assert.equal(v("dashstream_quality_monitor_quality_score"), 0.74, "the last event's score");
  assert.match(
    stderr,
    /^replay: 19 records in [\d.]+ s \(\d+ records\/s\): 15 applied, 1 ignored, 1 wrong scope, 2 failed \(decode 1, missing payload 1\)\n$/,
  );
});
