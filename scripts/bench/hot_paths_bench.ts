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

/** A group: the reference it replaces (the baseline), then the fast path. */
function compare(
  group: string,
  reference: [name: string, fn: () => void],
  fast: [name: string, fn: () => void],
): void {
  Deno.bench({ name: reference[0], group, baseline: true, fn: reference[1] });
  Deno.bench({ name: fast[0], group, fn: fast[1] });
}

function core(): MetricsCore {
  return new MetricsCore({
    buildInfo: { version: "b", commit: "b", buildDate: "b", runtime: "b" },
  });
}

for (const [size, message] of [["small", smallMessage], ["large", largeMessage]] as const) {
  compare(`decode ${size}`, [`fromBinary + classify, ${size} event (${message.length} B)`, () => {
    classify(fromBinary(DashStreamMessageSchema, message));
  }], [`readQuality, ${size} event (${message.length} B)`, () => {
    readQuality(message, event);
  }]);
}

compare("zstd", [`zstdDecompress (node:zlib), typical frame (${frame.length} B)`, () => {
  zstdDecompress(frame, { maxOutputBytes: LIMIT });
}], [`fastZstdDecompressTransient (WASM), typical frame (${frame.length} B)`, () => {
  fastZstdDecompressTransient(frame, LIMIT);
}]);

// Native buckets (issue #15): the bucket index from the float's bits against Math.log2, and
// one observation into a histogram series without and with native buckets.
const LATENCIES = Float64Array.from(
  { length: 1024 },
  (_, i) => Math.exp(((i * 7919) % 1024) / 100),
);
let next = 0;
let sink = 0;
compare("native bucket index", ["Math.ceil(Math.log2(v) * 8), latency ms", () => {
  sink += Math.ceil(Math.log2(LATENCIES[next++ & 1023]) * 8);
}], ["bucketIndex(v, 3) (frexp on the bits), latency ms", () => {
  sink += bucketIndex(LATENCIES[next++ & 1023], 3);
}]);
const LATENCY_BOUNDS = [10, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 20000, 30000];
const classicOnly = new HistogramSeries({}, LATENCY_BOUNDS);
const withNative = new HistogramSeries({}, LATENCY_BOUNDS, {
  schema: 3,
  maxBuckets: 160,
  zeroThreshold: 2 ** -10,
});
compare("histogram observe", ["HistogramSeries.observe, classic buckets only", () => {
  classicOnly.observe(LATENCIES[next++ & 1023]);
}], ["HistogramSeries.observe, classic and native buckets", () => {
  withNative.observe(LATENCIES[next++ & 1023]);
}]);
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
const framings = [["raw", "0x00-framed", small], ["zstd", "0x01-framed (zstd)", large]] as const;
for (const [group, framing, record] of framings) {
  compare(`record ${group}`, [`applyRecordReference, ${framing}`, () => {
    applyRecordReference(referenceCore, record);
  }], [`applyRecord, ${framing}`, () => {
    applyRecord(fastCore, record);
  }]);
}
