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
