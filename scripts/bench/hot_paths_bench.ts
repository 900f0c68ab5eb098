/**
 * Microbenchmarks of the in-process hot path (issue #4), one typical record of each kind:
 *
 *   deno bench -A scripts/bench/hot_paths_bench.ts
 *
 * Groups compare the fast path with the reference it replaces (the baseline). The end-to-end
 * throughput over the whole typical mix is scripts/bench_inprocess.ts; results and commands
 * are in docs/benchmarks.md.
 * @module
 */

import { fromBinary } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../../src/gen/dashstream_pb.ts";
import { MetricsCore } from "../../src/metrics/core.ts";
import { classify, emptyQualityEvent } from "../../src/event/quality_event.ts";
import { applyRecord, applyRecordReference } from "../../src/pipeline/apply_record.ts";
import { sampleRecords } from "../../tests/support/sample/quality_events.ts";
import { readQuality } from "../../src/event/fast_quality.ts";
import { fastZstdDecompressTransient, fastZstdReady } from "../../src/zstd/fast_zstd.ts";
import { HistogramSeries } from "../../src/metrics/fast_metrics.ts";
import { bucketIndex } from "../../src/metrics/native_buckets.ts";
import { zstdDecompress } from "../../src/zstd/zstd.ts";

if (!await fastZstdReady) throw new Error("the WASM zstd decoder did not load");

const records = sampleRecords(200, { seed: 42 }).map((record) => record.value);
const small = records.find((value) => value[0] === 0x00)!;
const large = records.find((value) => value[0] === 0x01)!;
const frame = large.subarray(1);
const smallMessage = small.subarray(1);
const largeMessage = zstdDecompress(frame, { maxOutputBytes: 10 * 1024 * 1024 });
const LIMIT = 10 * 1024 * 1024;
const event = emptyQualityEvent();

function core(): MetricsCore {
  return new MetricsCore({
    buildInfo: { version: "b", commit: "b", buildDate: "b", runtime: "b" },
  });
}

Deno.bench({
  name: `fromBinary + classify, small event (${smallMessage.length} B)`,
  group: "decode small",
  baseline: true,
  fn: () => {
    classify(fromBinary(DashStreamMessageSchema, smallMessage));
  },
});
Deno.bench({
  name: `readQuality, small event (${smallMessage.length} B)`,
  group: "decode small",
  fn: () => {
    readQuality(smallMessage, event);
  },
});

Deno.bench({
  name: `fromBinary + classify, large event (${largeMessage.length} B)`,
  group: "decode large",
  baseline: true,
  fn: () => {
    classify(fromBinary(DashStreamMessageSchema, largeMessage));
  },
});
Deno.bench({
  name: `readQuality, large event (${largeMessage.length} B)`,
  group: "decode large",
  fn: () => {
    readQuality(largeMessage, event);
  },
});

Deno.bench({
  name: `zstdDecompress (node:zlib), typical frame (${frame.length} B)`,
  group: "zstd",
  baseline: true,
  fn: () => {
    zstdDecompress(frame, { maxOutputBytes: LIMIT });
  },
});
Deno.bench({
  name: `fastZstdDecompressTransient (WASM), typical frame (${frame.length} B)`,
  group: "zstd",
  fn: () => {
    fastZstdDecompressTransient(frame, LIMIT);
  },
});

// Native buckets (issue #15): the bucket index from the float's bits against Math.log2, and
// one observation into a histogram series without and with native buckets.
const LATENCIES = Float64Array.from(
  { length: 1024 },
  (_, i) => Math.exp(((i * 7919) % 1024) / 100),
);
let next = 0;
let sink = 0;
Deno.bench({
  name: "Math.ceil(Math.log2(v) * 8), latency ms",
  group: "native bucket index",
  baseline: true,
  fn: () => {
    sink += Math.ceil(Math.log2(LATENCIES[next++ & 1023]) * 8);
  },
});
Deno.bench({
  name: "bucketIndex(v, 3) (frexp on the bits), latency ms",
  group: "native bucket index",
  fn: () => {
    sink += bucketIndex(LATENCIES[next++ & 1023], 3);
  },
});
const LATENCY_BOUNDS = [10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 20000, 30000];
const classicOnly = new HistogramSeries({}, LATENCY_BOUNDS);
const withNative = new HistogramSeries({}, LATENCY_BOUNDS, {
  schema: 3,
  maxBuckets: 160,
  zeroThreshold: 2 ** -10,
});
Deno.bench({
  name: "HistogramSeries.observe, classic buckets only",
  group: "histogram observe",
  baseline: true,
  fn: () => {
    classicOnly.observe(LATENCIES[next++ & 1023]);
  },
});
Deno.bench({
  name: "HistogramSeries.observe, classic and native buckets",
  group: "histogram observe",
  fn: () => {
    withNative.observe(LATENCIES[next++ & 1023]);
  },
});
globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink); // keeps the index results alive
});

const applyCore = core();
const quality = classify(fromBinary(DashStreamMessageSchema, smallMessage));
if (quality.kind !== "quality") throw new Error("the sample record is not a quality event");
Deno.bench({
  name: "MetricsCore.applyQuality",
  group: "apply",
  fn: () => {
    applyCore.applyQuality(quality.event);
  },
});

const referenceCore = core();
const fastCore = core();
Deno.bench({
  name: "applyRecordReference, 0x00-framed",
  group: "record raw",
  baseline: true,
  fn: () => {
    applyRecordReference(referenceCore, small);
  },
});
Deno.bench({
  name: "applyRecord, 0x00-framed",
  group: "record raw",
  fn: () => {
    applyRecord(fastCore, small);
  },
});
Deno.bench({
  name: "applyRecordReference, 0x01-framed (zstd)",
  group: "record zstd",
  baseline: true,
  fn: () => {
    applyRecordReference(referenceCore, large);
  },
});
Deno.bench({
  name: "applyRecord, 0x01-framed (zstd)",
  group: "record zstd",
  fn: () => {
    applyRecord(fastCore, large);
  },
});
