import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { toBinary } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { MetricsCore } from "../metrics/core.ts";
import type { QualityEvent } from "../event/quality_event.ts";
import { otherKindMessages, qualityMessage } from "../../tests/support/sample/builders.ts";
import { zstdZeroBomb } from "../../tests/support/sample/hostile.ts";
import { Prng } from "../../tests/support/sample/prng.ts";
import {
  type SampleRecordOptions,
  sampleRecords,
} from "../../tests/support/sample/quality_events.ts";
import { encodeRecord } from "../wire/encode.ts";
import { fastZstdReady } from "../zstd/fast_zstd.ts";
import { cat, mutate } from "../../tests/support/protobuf.ts";
import { unframe } from "../wire/framing.ts";
import { zstdCompress } from "../zstd/zstd.ts";
import { RANGED_FIELDS } from "../metrics/value_range.ts";
import { scrape, scrapeText } from "../../tests/support/exposition.ts";
import {
  boolValue,
  floatValue,
  intValue,
  metricsMessage,
} from "../../tests/support/sample/metrics_message.ts";
import {
  applyRecord,
  type ApplyRecordOptions,
  applyRecordReference,
  type RecordOutcome,
} from "./apply_record.ts";

await fastZstdReady;

const BUILD = { version: "t", commit: "t", buildDate: "t", runtime: "test" };

function newCore(): MetricsCore {
  // A clock that moves, so session expiry and timestamps take part in the comparison.
  let now = Date.UTC(2026, 0, 1);
  return new MetricsCore({ buildInfo: BUILD, clock: () => (now += 7), monotonicClock: () => 0 });
}

/**
 * Feeds `values` through applyRecord() and applyRecordReference() into two cores; asserts the
 * same outcome for every record and the same exposition (text and OpenMetrics) at the end.
 */
async function compare(
  label: string,
  values: readonly (Uint8Array | null)[],
  options: ApplyRecordOptions = {},
): Promise<Record<string, number>> {
  const fast = newCore();
  const reference = newCore();
  const outcomes: Record<string, number> = {};
  for (const [i, value] of values.entries()) {
    const got = applyRecord(fast, value, options);
    const want = applyRecordReference(reference, value, options);
    equal(got, want, `${label}: record ${i}`);
    outcomes[got] = (outcomes[got] ?? 0) + 1;
  }
  fast.flushSessions();
  reference.flushSessions();
  for (const openMetrics of [false, true]) {
    const [a, b] = [
      await scrapeText(fast, { openMetrics }),
      await scrapeText(reference, { openMetrics }),
    ];
    equal(a, b, `${label}: exposition (openMetrics ${openMetrics})`);
  }
  return outcomes;
}

Deno.test("applyRecord() matches the reference on typical records in every framing", async () => {
  const typical = sampleRecords(12_000, { seed: 21 }).map((r) => r.value);
  const outcomes = await compare("typical", typical);
  deepStrictEqual(outcomes, { applied: 12_000 });
  const framings: SampleRecordOptions[] = [
    { compression: "never" },
    { compression: "always" },
    { legacy: true },
  ];
  for (const options of framings) {
    const values = sampleRecords(2000, { seed: 22, ...options }).map((r) => r.value);
    await compare(JSON.stringify(options), values);
  }
  // Kafka hands out Buffers: the same records as Buffer views.
  await compare("buffers", typical.slice(0, 2000).map((value) => Buffer.from(value)));
});

Deno.test("applyRecord() matches the reference on hostile and unusual records", async () => {
  const quality = qualityMessage({
    qualityScore: 0.5,
    passed: true,
    sessionId: "s",
    turnNumber: 2,
  });
  const raw = toBinary(DashStreamMessageSchema, quality);
  const others = [
    ...otherKindMessages(),
    qualityMessage({ scope: "performance" }),
    qualityMessage({ header: null, latencyMs: -5, tags: { app_type: "librarian" } }),
  ].flatMap((message) => [
    encodeRecord(message),
    encodeRecord(message, { compression: "always" }),
    encodeRecord(message, { legacy: true }),
  ]);
  const values: (Uint8Array | null)[] = [
    null,
    new Uint8Array(0),
    Uint8Array.of(0x00),
    Uint8Array.of(0x01),
    Uint8Array.of(0x00, 0x0f),
    Uint8Array.of(0x01, 1, 2, 3, 4, 5),
    cat([0x01], zstdZeroBomb(50 * 1024 * 1024, { declareSize: true })),
    cat([0x01], zstdZeroBomb(50 * 1024 * 1024, { declareSize: false })),
    zstdZeroBomb(50 * 1024 * 1024, { declareSize: true }),
    cat([0x01], zstdCompress(Uint8Array.of(0x0f, 0x0f))),
    cat([0x01], zstdCompress(new Uint8Array(0))),
    cat([0x01], zstdCompress(raw), [0xff]),
    cat([0x01], zstdZeroBomb(4096, { declareSize: false })),
    new TextEncoder().encode('{"scope":"quality"}'),
    cat([0x00], raw),
    cat([0x01], zstdCompress(raw)),
    raw,
    ...others,
  ];
  const outcomes = await compare("hostile", values);
  for (const outcome of ["applied", "ignored", "wrong_scope", "decode_error", "missing_payload"]) {
    ok((outcomes[outcome] ?? 0) > 0, `${outcome} seen: ${JSON.stringify(outcomes)}`);
  }
  // The payload limit applies to both paths alike, before and after decompression.
  const framed = cat([0x00], raw);
  const zipped = cat([0x01], zstdCompress(raw));
  for (const limit of [raw.length - 1, raw.length, raw.length + 1, zipped.length]) {
    await compare(`limit ${limit}`, [framed, zipped], { maxPayloadBytes: limit });
  }
});

Deno.test("applyRecord() matches the reference on 20,000 mutated records", async () => {
  const rng = new Prng(99);
  const records = sampleRecords(500, { seed: 23 }).map((r) => r.value);
  const values: Uint8Array[] = [];
  for (let i = 0; i < 20_000; i++) {
    const value = records[i % records.length];
    if (value[0] === 0x01 && i % 2 === 0) {
      // A corrupt message inside a valid zstd frame, so the fast reader sees it too.
      values.push(cat([0x01], zstdCompress(mutate(unframe(value).bytes, rng))));
    } else {
      values.push(mutate(value, rng));
    }
  }
  const outcomes = await compare("mutated", values);
  ok(outcomes.applied > 2000 && outcomes.decode_error > 2000, JSON.stringify(outcomes));
});

Deno.test("applyRecord() counts a failing core as a process error, as the reference", async () => {
  class FailingCore extends MetricsCore {
    override applyQuality(ev: QualityEvent): void {
      if (ev.model === "boom") throw new Error("boom");
      super.applyQuality(ev);
    }
  }
  const options = { buildInfo: BUILD, clock: () => 1_767_225_600_000, monotonicClock: () => 0 };
  const core = new FailingCore(options);
  const reference = new FailingCore(options);
  for (const model of ["ok", "boom"]) {
    const value = encodeRecord(qualityMessage({ model, qualityScore: 0.4 }));
    const want: RecordOutcome = model === "boom" ? "process_error" : "applied";
    equal(applyRecord(core, value), want);
    equal(applyRecordReference(reference, value), want);
  }
  equal(await scrapeText(core), await scrapeText(reference));
});

Deno.test("applyRecord() keeps no view of a record once applied", async () => {
  // A reused buffer (as a Kafka client may reuse one) must not change what was read before.
  // The two models differ where the reader's string cache does not sample them.
  const first = "claude-3-opus";
  const value = Buffer.from(encodeRecord(qualityMessage({ model: first, passed: false })));
  const at = value.indexOf(first);
  const core = newCore();
  const reference = newCore();
  for (const model of [first, "claude-2-opus", first, "claude-2-opus"]) {
    value.write(model, at);
    equal(applyRecord(core, value), "applied");
    equal(applyRecordReference(reference, value), "applied");
  }
  equal(await scrapeText(core), await scrapeText(reference));
});

// Issue #17: one huge value, then good events; long strings; a record of empty zstd frames.
const INT64_MAX = 2n ** 63n - 1n;

/** One quality event with 2^63−1 (as int64, and as a double for the float fields) everywhere. */
function hugeRecord(): Uint8Array {
  const huge = Number(INT64_MAX);
  return encodeRecord(metricsMessage({
    threadId: "s-huge",
    metrics: {
      quality_score: floatValue(huge),
      passed: boolValue(true),
      latency_ms: intValue(INT64_MAX),
      retry_count: intValue(INT64_MAX),
      turn_number: intValue(INT64_MAX),
      accuracy: floatValue(huge),
      relevance: floatValue(huge),
      completeness: floatValue(huge),
    },
    tags: { model: "gpt-4o", application_type: "librarian" },
  }));
}

/** `count` good events with small varied values, and the sums they must give. */
function goodRecords(count: number) {
  const values: Uint8Array[] = [];
  const sums = { retry: 0, latency: 0, score: 0, accuracy: 0, turns: 0 };
  for (let i = 0; i < count; i++) {
    const retryCount = i % 3;
    const latencyMs = 100 + (i % 50);
    const qualityScore = (i % 10) / 10;
    const accuracy = (i % 4) / 4;
    sums.retry += retryCount;
    sums.latency += latencyMs;
    sums.score += qualityScore;
    sums.accuracy += accuracy;
    sums.turns += 2;
    values.push(encodeRecord(qualityMessage({
      passed: true,
      retryCount,
      latencyMs,
      qualityScore,
      accuracy,
      turnNumber: 2,
      sessionId: "", // observed at once
      model: "gpt-4o",
      applicationType: "librarian",
    })));
  }
  return { values, sums };
}

Deno.test("applyRecord() keeps _sum exact after an event with 2^63-1 in every numeric field", async () => {
  const { values, sums } = goodRecords(5000);
  const outcomes = await compare("huge then good", [hugeRecord(), ...values]);
  deepStrictEqual(outcomes, { applied: 5001 });
  const core = newCore();
  for (const value of [hugeRecord(), ...values]) equal(applyRecord(core, value), "applied");
  const s = await scrape(core);
  const v = (key: string) => s.get(key);
  equal(v('dashstream_quality_retry_count_sum{status="passed"}'), sums.retry);
  equal(v("dashstream_query_latency_ms_sum"), sums.latency);
  equal(v('dashstream_latency_by_model_ms_sum{model="gpt-4o"}'), sums.latency);
  equal(v("dashstream_librarian_request_duration_seconds_count"), 5000);
  equal(v("dashstream_turns_by_session_sum"), sums.turns);
  equal(v("dashstream_quality_monitor_quality_score_sum_total"), sums.score);
  equal(v('dashstream_quality_score_by_model_sum{model="gpt-4o"}'), sums.score);
  equal(v("dashstream_quality_accuracy_sum_total"), sums.accuracy);
  equal(v("dashstream_quality_accuracy_count_total"), 5000);
  equal(v("dashstream_quality_monitor_queries_total"), 5001);
  for (const field of RANGED_FIELDS) {
    equal(v(`dashstream_exporter_values_rejected_total{field="${field}"}`), 1, field);
  }
});

Deno.test("applyRecord() caps long model tags and thread ids as the reference does", async () => {
  const long = (i: number, size: number) => `${i}:` + "x".repeat(size) + `:${i}`;
  const values = [64, 300, 70_000].flatMap((size) =>
    [0, 1, 2, 1].map((i) =>
      encodeRecord(
        qualityMessage({
          passed: true,
          turnNumber: 3,
          model: `gpt-4o-${long(i, size)}`,
          sessionId: long(i, size),
        }),
        { compression: i % 2 === 0 ? "always" : "never" },
      )
    )
  );
  await compare("long strings", values);
  const core = newCore();
  for (const value of values) equal(applyRecord(core, value), "applied");
  equal(core.trackedSessions, 3 * 3); // three distinct ids per size, the repeat is one session
  const s = await scrape(core);
  equal(s.get('dashstream_exporter_values_truncated_total{field="model"}'), 8);
  equal(s.get('dashstream_exporter_values_truncated_total{field="thread_id"}'), 8);
  equal(s.get('dashstream_queries_by_model_total{model="gpt-4o"}'), 12);
});

/** `size` bytes of empty zstd frames (9 bytes each: header, one empty last raw block). */
function emptyFrames(size: number): Uint8Array {
  const frame = [0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00];
  const out = new Uint8Array(Math.floor(size / frame.length) * frame.length);
  for (let at = 0; at < out.length; at += frame.length) out.set(frame, at);
  return out;
}

Deno.test("applyRecord() refuses a 10 MiB record of empty zstd frames within 50 ms", async () => {
  const value = cat([0x01], emptyFrames(10 * 1024 * 1024 - 1));
  const core = newCore();
  applyRecord(core, cat([0x01], emptyFrames(9 * 300))); // warm up
  const started = performance.now();
  equal(applyRecord(core, value), "decode_error");
  const ms = performance.now() - started;
  ok(ms <= 50, `took ${ms.toFixed(1)} ms`);
  const s = await scrape(core);
  equal(s.get('dashstream_exporter_messages_failed_total{error_type="decode_too_complex"}'), 2);
  equal(s.get('dashstream_exporter_messages_failed_total{error_type="decode"}'), 0);
  // Within the caps, concatenated frames still decode, on both paths alike.
  const raw = toBinary(DashStreamMessageSchema, qualityMessage({ passed: true }));
  await compare("frames", [
    value,
    cat([0x01], zstdCompress(raw), emptyFrames(9 * 255)),
    cat([0x01], zstdCompress(raw), emptyFrames(9 * 256)),
  ]);
  equal(applyRecord(core, cat([0x01], zstdCompress(raw), emptyFrames(9 * 255))), "applied");
});
