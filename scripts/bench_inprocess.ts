/**
 * In-process decode + apply throughput (issue #4): Kafka record values of the typical quality
 * mix (`sampleRecords()`, ~30% zstd-framed) through `applyRecord()` into a `MetricsCore`, on one
 * core, no Kafka. Also the decode alone (unframe + `readQuality()`), and the reference path
 * (protobuf-es + `applyMessage()`) for comparison. Runs on Deno and Bun:
 *
 *   deno run -A scripts/bench_inprocess.ts [--records 200000] [--runs 5] [--seed 42]
 *     [--native-histograms on|off]
 *   bun scripts/bench_inprocess.ts [same options]
 *
 * Sets: `typical` = all records; `raw` = the 0x00-framed ones; `zstd` = the 0x01-framed ones
 * (same records, split by framing). Generated records are cached under .cache/bench/ (making
 * 1M takes ~40 s). Prints one markdown table row per set and path: the median, min and max
 * records per wall-clock second over the runs, after one warm-up run, and the median records per
 * CPU second of the process (all its threads: GC and JIT helpers count too, so it is lower when
 * those work; when the machine is busy with other work it is the steadier figure).
 * @module
 */

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import process from "node:process";
import { parseArgs } from "node:util";
import { emptyQualityEvent } from "../src/event/quality_event.ts";
import { MetricsCore } from "../src/metrics/core.ts";
import { applyRecord, applyRecordReference } from "../src/pipeline/apply_record.ts";
import { sampleRecords } from "../tests/support/sample/quality_events.ts";
import { READ, readQuality } from "../src/event/fast_quality.ts";
import { fastZstdDecompressTransient, fastZstdReady } from "../src/zstd/fast_zstd.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../src/wire/limits.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    records: { type: "string", default: "200000" },
    runs: { type: "string", default: "5" },
    seed: { type: "string", default: "42" },
    reference: { type: "string", default: "50000" },
    // Native buckets beside the classic ones (issue #15): `off` measures without them.
    "native-histograms": { type: "string", default: "on" },
  },
});
const count = Number(args.records);
const runs = Number(args.runs);
const seed = Number(args.seed);
const referenceCount = Number(args.reference);

const runtime = process.versions.bun !== undefined
  ? `bun ${process.versions.bun}`
  : `deno ${process.versions.deno}`;

/** Record values, cached as one file of u32-length-prefixed values. */
function loadRecords(): Uint8Array[] {
  const dir = new URL("../.cache/bench/", import.meta.url);
  const file = new URL(`records-seed${seed}-n${count}.bin`, dir);
  let blob: Uint8Array;
  try {
    blob = readFileSync(file);
  } catch {
    const started = performance.now();
    const values = sampleRecords(count, { seed }).map((record) => record.value);
    let size = 0;
    for (const value of values) size += 4 + value.length;
    blob = new Uint8Array(size);
    const view = new DataView(blob.buffer);
    let pos = 0;
    for (const value of values) {
      view.setUint32(pos, value.length, true);
      blob.set(value, pos + 4);
      pos += 4 + value.length;
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(new URL(`${file.pathname}.tmp`, "file:"), blob);
    renameSync(new URL(`${file.pathname}.tmp`, "file:"), file);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    console.error(`generated ${count} records in ${secs} s -> ${file.pathname}`);
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const values: Uint8Array[] = [];
  for (let pos = 0; pos < blob.length;) {
    const length = view.getUint32(pos, true);
    values.push(blob.subarray(pos + 4, pos + 4 + length));
    pos += 4 + length;
  }
  return values;
}

function newCore(): MetricsCore {
  return new MetricsCore({
    buildInfo: { version: "bench", commit: "bench", buildDate: "bench", runtime },
    nativeHistograms: { enabled: args["native-histograms"] !== "off" },
  });
}

type Path = (values: readonly Uint8Array[]) => number;

const applyFast: Path = (values) => {
  const core = newCore();
  let applied = 0;
  for (const value of values) if (applyRecord(core, value) === "applied") applied++;
  return applied;
};

const applyReference: Path = (values) => {
  const core = newCore();
  let applied = 0;
  for (const value of values) if (applyRecordReference(core, value) === "applied") applied++;
  return applied;
};

const event = emptyQualityEvent();
const decodeOnly: Path = (values) => {
  let events = 0;
  for (const value of values) {
    const body = new Uint8Array(value.buffer, value.byteOffset + 1, value.length - 1);
    const bytes = value[0] === 0 ? body : fastZstdDecompressTransient(
      body,
      DEFAULT_MAX_PAYLOAD_BYTES,
    );
    if (bytes !== undefined && readQuality(bytes, event) === READ.EVENT) events++;
  }
  return events;
};

/** Records per wall-clock second of each run, and per CPU second (all threads) of each run. */
function measure(path: Path, values: readonly Uint8Array[]): { wall: number[]; cpu: number[] } {
  const expect = path(values); // warm-up
  if (expect !== values.length) {
    throw new Error(`only ${expect} of ${values.length} records became events`);
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    path(values);
    wall.push(values.length / ((performance.now() - started) / 1000));
    const used = process.cpuUsage(cpuStart);
    cpu.push(values.length / ((used.user + used.system) / 1e6));
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)];

const format = (rate: number) => Math.round(rate).toLocaleString("en-US");

if (!await fastZstdReady) throw new Error("the WASM zstd decoder did not load");
const all = loadRecords();
const sets: [string, Uint8Array[]][] = [
  ["typical", all],
  ["raw", all.filter((value) => value[0] === 0x00)],
  ["zstd", all.filter((value) => value[0] === 0x01)],
];
const cpu = cpus()[0]?.model ?? "unknown cpu";
console.log(`${runtime}, ${cpu}, ${cpus().length} cores; ${runs} runs after 1 warm-up run`);
console.log("| runtime | set | records | path | median rec/s | min | max | median rec/CPU-s |");
console.log("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |");
const paths: [string, Path, number][] = [
  ["decode+apply", applyFast, Infinity],
  ["decode only", decodeOnly, Infinity],
  ["reference decode+apply", applyReference, referenceCount],
];
for (const [setName, values] of sets) {
  for (const [pathName, path, limit] of paths) {
    const subset = values.length > limit ? values.slice(0, limit) : values;
    const { wall, cpu } = measure(path, subset);
    console.log(
      `| ${runtime} | ${setName} | ${subset.length} | ${pathName} | ${format(median(wall))} | ` +
        `${format(wall[0])} | ${format(wall[wall.length - 1])} | ${format(median(cpu))} |`,
    );
  }
}
