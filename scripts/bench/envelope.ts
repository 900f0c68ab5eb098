/**
 * `serve` inside a resource envelope (issue #11): each contender runs in its own cgroup
 * with a memory limit and a CPU quota and drains an N-record backlog from the real broker;
 * contenders run one after another in one invocation, so their figures are side by side.
 * Needs root and cgroups (v1 or v2); without them it says so and exits 2.
 *
 *   scripts/kafka.sh start
 *   deno task compile:bun
 *   deno run -A scripts/bench/envelope.ts                       # 1M, 1 and 4 partitions, 256 MiB / 0.2 CPU
 *   deno run -A scripts/bench/envelope.ts --memory 256,128,96 --partitions 1
 *   deno run -A scripts/bench/envelope.ts --contender 'original=/path/to/prometheus-exporter'
 *
 * Contenders (repeatable `--contender name=command`; default: binary, deno, bare) get
 * KAFKA_BROKERS, KAFKA_TOPIC, a fresh KAFKA_GROUP_ID and a free METRICS_PORT in their
 * environment and must expose `dashstream_exporter_messages_received_total` on
 * http://127.0.0.1:$METRICS_PORT/metrics. `--memory 0` and `--cpu 0` mean no limit.
 * Records (the typical quality mix, about 30% zstd-framed) are produced once per
 * topic by this process's own kafkajs producer and reused by later runs.
 *
 * Reported per contender and envelope: drain rate (first record seen to all N seen on
 * /metrics), CPU-seconds per 1M records (whole process, every thread, start-up included,
 * from /proc/<pid>/stat), peak cgroup memory, times the limit was hit, OOM kills, the
 * RSS 10 s after the drain, and the settled RSS: the resident set `--settle-seconds` (default
 * 30) after the drain, once the allocators' delayed releases (which fall near 10 s) are done.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import process from "node:process";
import { parseArgs } from "node:util";
import { createKafka } from "../../src/kafka/client.ts";
import { createLogger } from "../../src/log.ts";
import { prefill, typicalMix } from "./prefill.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const RECEIVED = "dashstream_exporter_messages_received_total";
const USAGE = `usage: deno run -A scripts/bench/envelope.ts [--records N] [--partitions 1,4]
       [--memory 256,128,96] [--cpu 0.2] [--runs 1] [--settle-seconds 30]
       [--contender name=command]...`;

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    partitions: { type: "string", default: "1,4" },
    memory: { type: "string", default: "256" },
    cpu: { type: "string", default: "0.2" },
    runs: { type: "string", default: "1" },
    contender: { type: "string", multiple: true },
    "stall-seconds": { type: "string", default: "60" },
    "settle-seconds": { type: "string", default: "30" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = Number(values.records);
const partitionsList = values.partitions.split(",").map(Number);
const memoryList = values.memory.split(",").map(Number);
const cpu = Number(values.cpu);
const runs = Number(values.runs);
const stallMs = Number(values["stall-seconds"]) * 1000;
const settleMs = Number(values["settle-seconds"]) * 1000;
if (
  !(count > 0) || partitionsList.some((p) => !(p > 0)) || memoryList.some((m) => !(m >= 0)) ||
  !(cpu >= 0) || !(runs > 0) || !(settleMs >= 0)
) {
  console.error(`envelope: bad option value\n${USAGE}`);
  process.exit(2);
}
const BROKERS = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";

interface Contender {
  name: string;
  command: string[];
}

const deno = process.execPath;
const defaults: Contender[] = [
  { name: "binary", command: [`${ROOT}dist/dashflow-exporter`, "serve"] },
  { name: "deno", command: [deno, "run", "-A", `${ROOT}main.ts`, "serve"] },
  { name: "bare kafkajs", command: ["bun", `${ROOT}scripts/bench/bare_consumer.ts`] },
];
const contenders: Contender[] = values.contender?.map((spec) => {
  const cut = spec.indexOf("=");
  if (cut <= 0) {
    console.error(`envelope: --contender wants name=command, got '${spec}'\n${USAGE}`);
    process.exit(2);
  }
  return { name: spec.slice(0, cut), command: spec.slice(cut + 1).trim().split(/\s+/) };
}) ?? defaults;

// ---- cgroups -------------------------------------------------------------------------

/** One cgroup with a memory limit and a CPU quota, v1 (memory + cpu controllers) or v2. */
interface Envelope {
  /** Shell words that move the shell into the group, then `exec` the command. */
  enter: string;
  peakBytes(): number;
  limitHits(): number;
  oomKills(): number;
  remove(): void;
}

function cgroupVersion(): 1 | 2 | undefined {
  if (existsSync("/sys/fs/cgroup/memory/memory.limit_in_bytes")) return 1;
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) {
    const controllers = readFileSync("/sys/fs/cgroup/cgroup.controllers", "utf8");
    if (/\bmemory\b/.test(controllers) && /\bcpu\b/.test(controllers)) return 2;
  }
  return undefined;
}

function makeEnvelope(name: string, memoryMiB: number, cpus: number): Envelope {
  const version = cgroupVersion()!;
  const read = (path: string) => readFileSync(path, "utf8");
  const field = (text: string, key: string) =>
    Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  const period = 100_000;
  if (version === 1) {
    const mem = `/sys/fs/cgroup/memory/${name}`;
    const cpuDir = `/sys/fs/cgroup/cpu/${name}`;
    mkdirSync(mem);
    mkdirSync(cpuDir);
    if (memoryMiB > 0) {
      writeFileSync(`${mem}/memory.limit_in_bytes`, String(memoryMiB * 1024 * 1024));
      // The limit counts swap too where the kernel accounts it, so swapping cannot hide a miss.
      if (existsSync(`${mem}/memory.memsw.limit_in_bytes`)) {
        writeFileSync(`${mem}/memory.memsw.limit_in_bytes`, String(memoryMiB * 1024 * 1024));
      }
    }
    writeFileSync(`${cpuDir}/cpu.cfs_period_us`, String(period));
    if (cpus > 0) writeFileSync(`${cpuDir}/cpu.cfs_quota_us`, String(Math.round(cpus * period)));
    return {
      enter: `echo $$ > ${mem}/cgroup.procs && echo $$ > ${cpuDir}/cgroup.procs && exec "$@"`,
      peakBytes: () => Number(read(`${mem}/memory.max_usage_in_bytes`)),
      limitHits: () => Number(read(`${mem}/memory.failcnt`)),
      oomKills: () => field(read(`${mem}/memory.oom_control`), "oom_kill"),
      remove() {
        rmdirSync(mem);
        rmdirSync(cpuDir);
      },
    };
  }
  const dir = `/sys/fs/cgroup/${name}`;
  mkdirSync(dir);
  if (memoryMiB > 0) writeFileSync(`${dir}/memory.max`, String(memoryMiB * 1024 * 1024));
  if (existsSync(`${dir}/memory.swap.max`)) writeFileSync(`${dir}/memory.swap.max`, "0");
  writeFileSync(`${dir}/cpu.max`, cpus > 0 ? `${Math.round(cpus * period)} ${period}` : "max");
  return {
    enter: `echo $$ > ${dir}/cgroup.procs && exec "$@"`,
    peakBytes: () => Number(read(`${dir}/memory.peak`)),
    limitHits: () => field(read(`${dir}/memory.events`), "max"),
    oomKills: () => field(read(`${dir}/memory.events`), "oom_kill"),
    remove: () => rmdirSync(dir),
  };
}

// ---- records -------------------------------------------------------------------------

const quiet = createLogger({ write: () => {}, isTerminal: () => false }, { level: "quiet" });
const kafka = createKafka({ brokers: BROKERS.split(","), log: quiet, retries: 8 });

// ---- one drain -----------------------------------------------------------------------

interface Result {
  contender: string;
  partitions: number;
  memoryMiB: number;
  outcome: "drained" | "stalled" | "exited";
  rate: number;
  cpuSeconds: number;
  peakMb: number;
  limitHits: number;
  oomKills: number;
  /** Resident set 10 s after the drain. */
  rss10Mb: number;
  /** Resident set `--settle-seconds` after the drain (the steady state). */
  settledRssMb: number;
  note: string;
  threads: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of `pid`, every thread, in seconds; undefined once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** CPU-seconds per thread name (JIT, GC helpers, the main thread), live threads only. */
function threadCpu(pid: number): string {
  const byName = new Map<string, number>();
  try {
    for (const tid of Deno.readDirSync(`/proc/${pid}/task`)) {
      const dir = `/proc/${pid}/task/${tid.name}`;
      const name = readFileSync(`${dir}/comm`, "utf8").trim();
      const stat = readFileSync(`${dir}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // Gone.
  }
  return [...byName].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1])
    .map(([name, s]) => `${name} ${s.toFixed(2)}`).join(", ");
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function received(port: number): Promise<number | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
      signal: AbortSignal.timeout(300),
    });
    const text = await response.text();
    const match = new RegExp(`^${RECEIVED}(?:\\{\\})? (\\S+)$`, "m").exec(text);
    return match ? Number(match[1]) : 0;
  } catch {
    return undefined;
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drainOnce(
  contender: Contender,
  topic: string,
  partitions: number,
  memoryMiB: number,
): Promise<Result> {
  const port = await freePort();
  const group = `bench-envelope-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const envelope = makeEnvelope(`dashflow-envelope-${process.pid}-${port}`, memoryMiB, cpu);
  const child = new Deno.Command("sh", {
    args: ["-c", envelope.enter, "sh", ...contender.command],
    env: {
      KAFKA_BROKERS: BROKERS,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: group,
      METRICS_PORT: String(port),
      RUST_LOG: "warn",
      LOG_LEVEL: "warn",
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Ctrl-C mid-run: stop the contender and remove its cgroup rather than leave both behind.
  const interrupted = () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    child.status.finally(() => {
      Deno.removeSignalListener("SIGINT", interrupted);
      envelope.remove();
      process.exit(130);
    });
  };
  Deno.addSignalListener("SIGINT", interrupted);
  let stderr = "";
  const pump = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        stderr = (stderr + chunk).slice(-4_000);
      },
    }),
  ).catch(() => {});
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const result: Result = {
    contender: contender.name,
    partitions,
    memoryMiB,
    outcome: "stalled",
    rate: 0,
    cpuSeconds: 0,
    peakMb: 0,
    limitHits: 0,
    oomKills: 0,
    rss10Mb: 0,
    settledRssMb: 0,
    note: "",
    threads: "",
  };
  try {
    // Start: the moment the broker reports the group stable (the member holds its
    // partitions and fetches next). End: /metrics counts all records; or, for a contender
    // whose /metrics does not answer while it is busy (the original's HTTP server starves
    // under the CPU quota), the group's committed offsets cover every record and the end is
    // the last moment its CPU was busy (the original commits only every 5 s).
    let start = 0;
    let seen = 0;
    let committed = 0;
    let progressAt = performance.now();
    let lastBusy = { at: 0, cpu: 0 };
    let previous = { at: performance.now(), cpu: 0 };
    const busyShare = 0.25 * (cpu || 1); // of one core, per interval
    const finish = (at: number, cpuAtDone: number): void => {
      result.threads = threadCpu(child.pid);
      result.outcome = "drained";
      result.rate = count / ((at - start) / 1000);
      result.cpuSeconds = cpuAtDone / (count / 1e6);
    };
    while (!exited) {
      const now = performance.now();
      const cpuNow = cpuSeconds(child.pid) ?? previous.cpu;
      const busy = (cpuNow - previous.cpu) / ((now - previous.at) / 1000) > busyShare;
      previous = { at: now, cpu: cpuNow };
      if (busy) lastBusy = { at: now, cpu: cpuNow };
      if (start === 0 && await groupStable(group)) start = now;
      const n = await received(port);
      if (n !== undefined && n > seen) {
        seen = n;
        progressAt = now;
      }
      if (start !== 0 && seen >= count) {
        finish(now, cpuNow);
        break;
      }
      const offsets = await committedOffsets(group, topic);
      if (offsets > committed) {
        committed = offsets;
        progressAt = now;
      }
      if (start !== 0 && committed >= count && !busy && lastBusy.at > start) {
        finish(lastBusy.at, lastBusy.cpu);
        break;
      }
      if (busy) progressAt = now;
      if (now - progressAt > stallMs) {
        result.note = `no progress for ${stallMs / 1000} s at ${Math.max(seen, committed)} records`;
        break;
      }
      await delay(start === 0 ? 100 : 500); // sparse: every scrape costs the contender CPU
    }
    if (exited) {
      const s = await status;
      result.outcome = "exited";
      result.note = `exited (${s.signal ?? `code ${s.code}`}) at ${
        Math.max(seen, committed)
      } records: ${stderr.trim().split("\n").slice(-2).join(" / ")}`;
    }
    if (result.outcome === "drained") {
      // What the engine gave back: at 10 s, and once its delayed releases are done.
      await delay(Math.min(10_000, settleMs));
      result.rss10Mb = rssMb(child.pid);
      await delay(Math.max(0, settleMs - 10_000));
      result.settledRssMb = rssMb(child.pid);
    }
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    const stopped = await Promise.race([status.then(() => true), delay(10_000).then(() => false)]);
    if (!stopped) child.kill("SIGKILL");
    await status;
    await pump;
    result.peakMb = envelope.peakBytes() / 1e6;
    result.limitHits = envelope.limitHits();
    result.oomKills = envelope.oomKills();
    Deno.removeSignalListener("SIGINT", interrupted);
    envelope.remove();
    await deleteGroup(group);
  }
  return result;
}

const admin = kafka.admin();
await admin.connect();

async function groupStable(group: string): Promise<boolean> {
  const { groups } = await admin.describeGroups([group]).catch(() => ({ groups: [] }));
  return groups[0]?.state === "Stable";
}

/** The sum of the group's committed offsets on `topic` (records fully consumed). */
async function committedOffsets(group: string, topic: string): Promise<number> {
  const entries = await admin.fetchOffsets({ groupId: group, topics: [topic] }).catch(() => []);
  let total = 0;
  for (const { partitions } of entries) {
    for (const { offset } of partitions) if (Number(offset) > 0) total += Number(offset);
  }
  return total;
}

async function deleteGroup(group: string): Promise<void> {
  await admin.deleteGroups([group]).catch(() => {});
}

// ---- main ----------------------------------------------------------------------------

if (cgroupVersion() === undefined) {
  console.error(
    "envelope: no writable cgroup memory+cpu controllers found under /sys/fs/cgroup " +
      "(v1 memory/ and cpu/, or v2 with both controllers); this benchmark needs them and root",
  );
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error("envelope: creating cgroups needs root (run as root or with sudo)");
  process.exit(2);
}

const results: Result[] = [];
for (const partitions of partitionsList) {
  const topic = `bench-envelope-${count}-p${partitions}`;
  await prefill(kafka, topic, { partitions, count, make: typicalMix() });
  for (const memoryMiB of memoryList) {
    for (let run = 0; run < runs; run++) {
      for (const contender of contenders) {
        const r = await drainOnce(contender, topic, partitions, memoryMiB);
        console.error(
          `envelope: ${r.contender}, ${partitions} partition(s), ${memoryMiB || "no"} MiB / ${
            cpu || "no"
          } CPU: ${r.outcome}, ${Math.round(r.rate)} rec/s, ${r.cpuSeconds.toFixed(2)} CPU-s/1M, ` +
            `peak ${r.peakMb.toFixed(0)} MB, limit hit ${r.limitHits}, OOM ${r.oomKills}, ` +
            `RSS after 10 s ${r.rss10Mb.toFixed(0)} MB, settled ${
              r.settledRssMb.toFixed(0)
            } MB ${r.note}; CPU-s by thread: ${r.threads}`,
        );
        results.push(r);
      }
    }
  }
}

const head =
  "| contender | partitions | envelope | outcome | drain rec/s | CPU-s per 1M | peak cgroup MB | limit hits | OOM kills | RSS 10 s after, MB | RSS settled, MB |";
console.log(head);
console.log("|---|--:|---|---|--:|--:|--:|--:|--:|--:|--:|");
for (const r of results) {
  const envelopeText = `${r.memoryMiB ? `${r.memoryMiB} MiB` : "no limit"} / ${
    cpu ? `${cpu} CPU` : "no quota"
  }`;
  console.log(
    `| ${r.contender} | ${r.partitions} | ${envelopeText} | ${r.outcome}${
      r.note ? ` (${r.note})` : ""
    } | ${Math.round(r.rate).toLocaleString("en")} | ${r.cpuSeconds.toFixed(2)} | ${
      r.peakMb.toFixed(0)
    } | ${r.limitHits} | ${r.oomKills} | ${r.rss10Mb.toFixed(0)} | ${r.settledRssMb.toFixed(0)} |`,
  );
}
await admin.disconnect();
process.exit(0);
