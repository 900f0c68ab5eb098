/**
 * End-to-end benchmarks against the real broker (issue #8), printed as markdown
 * rows for docs/benchmarks.md. Run on a quiet machine with a broker up:
 *
 *   scripts/kafka.sh start
 *   deno run -A scripts/bench/e2e.ts drain       # serve vs bare kafkajs vs kcat, 1M events, 6 partitions
 *   deno run -A scripts/bench/e2e.ts freshness   # produce -> visible on /metrics at 1,000 events/s
 *   deno run -A scripts/bench/e2e.ts scrape      # /metrics latency while ingesting; 10k series; 6 MB stall
 *   deno run -A scripts/bench/e2e.ts memory      # RSS after start, 1M events, 1M sessions + 100k models
 *   deno run -A scripts/bench/e2e.ts binary      # binary size and start-up
 *
 * The program under test is the source on Deno, or the binary named by
 * DASHFLOW_EXPORTER_BIN (e.g. dist/dashflow-exporter from `deno task compile:bun`).
 * @module
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import process from "node:process";
import type { Kafka } from "kafkajs";
import { Gauge } from "prom-client";
import { render } from "../../src/exposition/mod.ts";
import { createKafka } from "../../src/kafka/client.ts";
import { createLogger } from "../../src/log.ts";
import { MetricsCore } from "../../src/metrics/mod.ts";
import { qualityMessage, sampleRecords } from "../../tests/support/sample/mod.ts";
import { encodeRecord } from "../../src/wire/mod.ts";
import { buf, prefill, typicalMix } from "./prefill.ts";
import { type ExporterProcess, startServe } from "../../tests/support/exporter.ts";
import { programCommand } from "../../tests/support/spawn.ts";

const BROKERS = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
const ROOT = new URL("../..", import.meta.url).pathname;
const quiet = createLogger({ write: () => {}, isTerminal: () => false }, { level: "quiet" });
const kafka: Kafka = createKafka({ brokers: BROKERS.split(","), log: quiet, retries: 8 });
const RECEIVED = "dashstream_exporter_messages_received_total";
const QUERIES = "dashstream_quality_monitor_queries_total";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function waitUntil<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 20,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}

async function drainWithServe(
  topic: string,
  count: number,
): Promise<{ rate: number; rss: number; settledRss: number }> {
  const serve = await startServe({
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: `bench-serve-${Date.now()}`,
  });
  try {
    let first = 0;
    const done = await waitUntil(
      async () => {
        const n = (await serve.scrape()).get(RECEIVED) ?? 0;
        if (n > 0 && first === 0) first = performance.now();
        return n >= count ? performance.now() : undefined;
      },
      600_000,
      100,
    ); // Sparse scrapes: they cost the exporter CPU.
    const rss = rssMb(serve.child.pid);
    // And once the engine has had a few idle seconds to collect and return memory.
    await new Promise((r) => setTimeout(r, 5_000));
    return { rate: count / ((done - first) / 1000), rss, settledRss: rssMb(serve.child.pid) };
  } finally {
    await serve.stop();
  }
}

async function drain(): Promise<void> {
  const topic = "bench-drain-1m";
  const count = 1_000_000;
  await prefill(kafka, topic, { partitions: 6, count, make: typicalMix() });
  const rows: string[] = [];
  const serve = await drainWithServe(topic, count);
  rows.push(
    `| serve drain (1M typical events, 6 partitions) | ${
      Math.round(serve.rate).toLocaleString("en")
    } records/s | RSS ${serve.rss.toFixed(0)} MB at the end |`,
  );
  const bare = spawnSync(Deno.execPath(), [
    "run",
    "-A",
    `${ROOT}scripts/bench/bare_consumer.ts`,
    "--topic",
    topic,
    "--count",
    String(count),
  ], {
    encoding: "utf8",
    env: { ...process.env, KAFKA_BROKERS: BROKERS },
  });
  const bareResult = JSON.parse(bare.stdout.trim().split("\n").pop()!) as { ms: number };
  const bareRate = count / (bareResult.ms / 1000);
  rows.push(
    `| bare kafkajs consumer (no-op eachBatch), same topic | ${
      Math.round(bareRate).toLocaleString("en")
    } records/s | serve = ${(100 * serve.rate / bareRate).toFixed(0)}% of it (target ≥ 80%) |`,
  );
  const t0 = performance.now();
  const kcat = spawnSync("kcat", [
    "-C",
    "-b",
    BROKERS,
    "-t",
    topic,
    "-o",
    "beginning",
    "-e",
    "-q",
    "-f",
    "%o\\n",
  ], {
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  const kcatMs = performance.now() - t0;
  const kcatCount = kcat.stdout.split("\n").length - 1;
  rows.push(
    `| kcat -C -e (librdkafka), same topic | ${
      Math.round(kcatCount / (kcatMs / 1000)).toLocaleString("en")
    } records/s | ${kcatCount} records, whole process |`,
  );
  console.log(rows.join("\n"));
}

async function freshness(): Promise<void> {
  const topic = `bench-fresh-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 6, replicationFactor: 1 }],
  });
  await admin.disconnect();
  const serve = await startServe({
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: `bench-fresh-${Date.now()}`,
  });
  const producer = kafka.producer();
  await producer.connect();
  const values = sampleRecords(2_000, { seed: 7 }).map((r) => r.value);
  try {
    await waitUntil(
      async () => (await fetch(`${serve.url}/-/ready`)).status === 200 || undefined,
      30_000,
    );
    // 1,000 events/s: 10 every 10 ms; every 10th batch carries a probe whose
    // visibility (queries_total reaching its index) we time from its send.
    const latencies: number[] = [];
    let sent = 0;
    const seconds = 30;
    const start = performance.now();
    for (let tick = 0; tick < seconds * 100; tick++) {
      const due = start + tick * 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const messages = Array.from(
        { length: 10 },
        (_, i) => ({ value: buf(values[(sent + i) % values.length]) }),
      );
      const t0 = performance.now();
      await producer.send({ topic, acks: 1, messages });
      sent += 10;
      if (tick % 10 === 0) {
        const target = sent;
        const seen = await waitUntilFast(serve, target);
        latencies.push(seen - t0);
      }
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `| freshness at 1,000 events/s (${latencies.length} probes over ${seconds} s) | p50 ${
        percentile(latencies, 0.5).toFixed(1)
      } ms | p99 ${percentile(latencies, 0.99).toFixed(1)} ms (target ≤ 100 ms) |`,
    );
  } finally {
    await producer.disconnect();
    await serve.stop();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteTopics({ topics: [topic] }).catch(() => {});
    await cleanup.disconnect();
  }
}

async function waitUntilFast(serve: ExporterProcess, target: number): Promise<number> {
  while (true) {
    const text = await (await fetch(`${serve.url}/metrics`)).text();
    const match = new RegExp(`^${QUERIES} (\\d+)`, "m").exec(text);
    if (match && Number(match[1]) >= target) return performance.now();
  }
}

async function scrape(): Promise<void> {
  // 1. Over HTTP at the default catalog, while ingesting ~1,000 events/s.
  const topic = `bench-scrape-${Date.now()}`;
  const serve = await startServe({
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: `bench-scrape-${Date.now()}`,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const values = sampleRecords(2_000, { seed: 9 }).map((r) => r.value);
  let producing = true;
  const feeding = (async () => {
    let i = 0;
    while (producing) {
      await producer.send({
        topic,
        acks: 1,
        messages: Array.from(
          { length: 10 },
          () => ({ value: buf(values[i++ % values.length]) }),
        ),
      });
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const times: number[] = [];
  try {
    await waitUntil(
      async () => ((await serve.scrape()).get(QUERIES) ?? 0) > 100 || undefined,
      30_000,
    );
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      await (await fetch(`${serve.url}/metrics`)).text();
      times.push(performance.now() - t0);
    }
  } finally {
    producing = false;
    await feeding;
    await producer.disconnect();
    await serve.stop();
  }
  times.sort((a, b) => a - b);
  console.log(
    `| GET /metrics, default catalog, while ingesting (1,000 scrapes) | p50 ${
      percentile(times, 0.5).toFixed(2)
    } ms | p99 ${percentile(times, 0.99).toFixed(2)} ms (target ≤ 10 ms) |`,
  );

  // 2. In-process render with 10,000 extra series, and the event-loop stall of a 6 MB exposition.
  for (
    const [series, label] of [[10_000, "10,000 series"], [60_000, "~6 MB exposition"]] as const
  ) {
    const core = new MetricsCore({
      buildInfo: { version: "bench", commit: "", buildDate: "", runtime: "" },
    });
    const gauge = new Gauge({
      name: "bench_synthetic_series",
      help: "synthetic",
      labelNames: ["id", "pad"],
      registers: [core.registry],
    });
    for (let i = 0; i < series; i++) gauge.set({ id: `series-${i}`, pad: "x".repeat(40) }, i);
    const renders: number[] = [];
    let bytes = 0;
    let maxStall = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxStall = Math.max(maxStall, now - last);
      last = now;
    }, 1);
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      bytes = (await render(core)).body.length;
      renders.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
    clearInterval(ticker);
    renders.sort((a, b) => a - b);
    console.log(
      `| render, ${label} (${(bytes / 1e6).toFixed(1)} MB, 30 renders, in-process) | p50 ${
        percentile(renders, 0.5).toFixed(1)
      } ms | p99 ${percentile(renders, 0.99).toFixed(1)} ms; longest event-loop stall ${
        maxStall.toFixed(0)
      } ms (target ≤ 50 ms) |`,
    );
  }
}

/** 1M records, each a distinct session (turn > 0) and one of 100k distinct model strings. */
function hostileCardinality(): (i: number) => Uint8Array {
  const template = encodeRecord(
    qualityMessage({
      passed: true,
      latencyMs: 100,
      turnNumber: 3,
      model: "zz-model-000000",
      sessionId: "session-0000000",
    }),
    { compression: "never" },
  );
  const text = new TextDecoder("latin1").decode(template);
  const modelAt = text.indexOf("000000", text.indexOf("zz-model-"));
  const sessionAt = text.indexOf("0000000", text.indexOf("session-"));
  return (i) => {
    const out = template.slice();
    const model = String(i % 100_000).padStart(6, "0");
    const session = String(i).padStart(7, "0");
    for (let k = 0; k < 6; k++) out[modelAt + k] = model.charCodeAt(k);
    for (let k = 0; k < 7; k++) out[sessionAt + k] = session.charCodeAt(k);
    return out;
  };
}

async function memory(): Promise<void> {
  const idle = await startServe({
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC: `bench-idle-${Date.now()}`,
  });
  try {
    await waitUntil(async () => (await idle.scrape()).size > 0 || undefined, 10_000);
    console.log(`| RSS after start | ${rssMb(idle.child.pid).toFixed(0)} MB | target ≤ 150 MB |`);
  } finally {
    await idle.stop();
  }
  await prefill(kafka, "bench-drain-1m", { partitions: 6, count: 1_000_000, make: typicalMix() });
  const typical = await drainWithServe("bench-drain-1m", 1_000_000);
  console.log(
    `| RSS after 1M typical events | ${typical.rss.toFixed(0)} MB at the end, ` +
      `${typical.settledRss.toFixed(0)} MB 5 s later | target ≤ 150 MB |`,
  );
  await prefill(kafka, "bench-cardinality-1m", {
    partitions: 6,
    count: 1_000_000,
    make: hostileCardinality(),
  });
  const hostile = await drainWithServe("bench-cardinality-1m", 1_000_000);
  console.log(
    `| RSS after 1M events, 1M distinct sessions, 100k distinct models | ` +
      `${hostile.rss.toFixed(0)} MB at the end, ${hostile.settledRss.toFixed(0)} MB 5 s later ` +
      `| target ≤ 150 MB |`,
  );
}

async function binary(): Promise<void> {
  const bin = process.env.DASHFLOW_EXPORTER_BIN;
  const [cmd, ...base] = programCommand();
  const what = bin ? `binary ${bin}` : "source on Deno";
  if (bin) {
    console.log(
      `| binary size (${bin}) | ${(statSync(bin).size / 1024 / 1024).toFixed(1)} MiB | |`,
    );
  }
  const small = `${ROOT}tests/fixtures/check/valid/text_all_types.prom`;
  const cases: [string, string[]][] = [["--version", ["--version"]], [
    "check of a small local file",
    ["check", small],
  ]];
  for (const [name, args] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      await new Deno.Command(cmd, { args: [...base, ...args], stdout: "null", stderr: "null" })
        .output();
      times.push(performance.now() - t0);
    }
    console.log(
      `| start-up: ${name} (${what}, 21 runs) | median ${
        median(times).toFixed(0)
      } ms | target < 150 ms |`,
    );
  }
}

const modes: Record<string, () => Promise<void>> = { drain, freshness, scrape, memory, binary };
const mode = process.argv[2];
if (!mode || !(mode in modes)) {
  console.error(`usage: deno run -A scripts/bench/e2e.ts ${Object.keys(modes).join("|")}`);
  process.exit(2);
}
await modes[mode]();
process.exit(0);
