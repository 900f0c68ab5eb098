/**
 * Where a `serve` process's CPU goes while it drains a backlog, whole process: every thread,
 * kernel time included (issue #11). Runs the contender under `perf record` (cpu-clock
 * samples) until its /metrics counts every record, then sorts the samples into JavaScript
 * (by function), WebAssembly (the zstd decoder), the runtime's native code (GC, buffers,
 * sockets), libc and kernel, per thread, and names the functions of each (kernel and libc by
 * symbol). On Bun, JavaScriptCore writes a JITDump
 * (`BUN_JSC_useJITDump=1`, set here) that this script turns into the perf map perf needs to
 * name JIT-compiled and WebAssembly code.
 *
 *   scripts/kafka.sh start
 *   deno run -A scripts/bench/cpu_profile.ts                 # bun main.ts serve, 1M records
 *   deno run -A scripts/bench/cpu_profile.ts -- "$PWD/dist/dashflow-exporter" serve
 *
 * Needs `perf` (Debian: linux-perf) and root or `kernel.perf_event_paranoid` ≤ 1. The backlog
 * is envelope.ts's (the typical mix, produced once, reused). Run from source (the default) for
 * readable function names: the compiled binary is minified.
 * @module
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { createKafka } from "../../src/kafka/client.ts";
import { createLogger } from "../../src/log.ts";
import { prefill, typicalMix } from "./prefill.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const USAGE = `usage: deno run -A scripts/bench/cpu_profile.ts [--records N] [--frequency HZ]
       [--top N] [-- command...]   (default command: bun main.ts serve)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    records: { type: "string", default: "1000000" },
    frequency: { type: "string", default: "999" },
    top: { type: "string", default: "20" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = Number(values.records);
const frequency = Number(values.frequency);
const top = Number(values.top);
if (!(count > 0) || !(frequency > 0) || !(top > 0)) {
  console.error(`cpu_profile: bad option value\n${USAGE}`);
  process.exit(2);
}
const command = positionals.length > 0 ? positionals : ["bun", `${ROOT}main.ts`, "serve"];
const perfOk = await new Deno.Command("perf", { args: ["--version"], stdout: "null" }).output()
  .then((o) => o.success, () => false);
if (!perfOk) {
  console.error("cpu_profile: `perf` not found (Debian: apt-get install -y linux-perf)");
  process.exit(2);
}

const BROKERS = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
const quiet = createLogger({ write: () => {}, isTerminal: () => false }, { level: "quiet" });
const kafka = createKafka({ brokers: BROKERS.split(","), log: quiet, retries: 8 });
const topic = `bench-envelope-${count}-p1`;
await prefill(kafka, topic, { partitions: 1, count, make: typicalMix() });

const port = await freePort();
const group = `bench-cpu-profile-${Date.now()}`;
const child = new Deno.Command(command[0], {
  args: command.slice(1),
  env: {
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: group,
    METRICS_PORT: String(port),
    LOG_LEVEL: "warn",
    BUN_JSC_useJITDump: "1",
  },
  stdin: "null",
  stdout: "null",
  stderr: "inherit",
}).spawn();
const data = join(tmpdir(), `cpu-profile-${child.pid}.data`);
const perf = new Deno.Command("perf", {
  args: ["record", "-e", "cpu-clock", "-F", String(frequency), "-p", String(child.pid), "-o", data],
  stdout: "null",
  stderr: "null",
}).spawn();

const started = performance.now();
let seen = 0;
while (seen < count) {
  await delay(500);
  seen = await received(port) ?? seen;
  if (performance.now() - started > 600_000) {
    console.error(`cpu_profile: ${seen} of ${count} records after 10 minutes; giving up`);
    break;
  }
}
const cpuSeconds = processCpuSeconds(child.pid);
const threadNames = threadsOf(child.pid);
perf.kill("SIGINT");
await perf.status;
child.kill("SIGTERM");
await child.status;
await deleteGroup();

const mapPath = join(tmpdir(), `perf-${child.pid}.map`);
const symbols = writePerfMap(child.pid, mapPath);
const script = await new Deno.Command("perf", {
  args: ["script", "-i", data, "-F", "tid,ip,sym,dso"],
  stdout: "piped",
  stderr: "null",
}).output();
rmSync(data, { force: true });
rmSync(mapPath, { force: true });

const byCategory = new Map<string, number>();
const byFunction = new Map<string, number>();
let samples = 0;
for (const line of new TextDecoder().decode(script.stdout).split("\n")) {
  if (line.trim() === "") continue;
  samples++;
  const tid = Number(line.trim().split(/\s+/)[0]);
  const thread = tid === child.pid ? "main" : threadNames.get(tid) ?? "other";
  const { category, name } = classify(line);
  const key = `${thread}\t${category}`;
  byCategory.set(key, (byCategory.get(key) ?? 0) + 1);
  if (name) byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
}

const microsPerRecord = (n: number) => (n / samples) * cpuSeconds / count * 1e6;
console.log(
  `${count.toLocaleString("en")} records, ${cpuSeconds.toFixed(2)} CPU-s (whole process, /proc), ` +
    `${samples} samples at ${frequency} Hz, ${symbols} JIT symbols\n`,
);
console.log("| thread | where | share | CPU-µs per record |\n|---|---|--:|--:|");
for (const [key, n] of [...byCategory].sort((a, b) => b[1] - a[1])) {
  const [thread, category] = key.split("\t");
  console.log(
    `| ${thread} | ${category} | ${(100 * n / samples).toFixed(1)}% | ${
      microsPerRecord(n).toFixed(2)
    } |`,
  );
}
console.log(`\n| function | share | CPU-µs per record |\n|---|--:|--:|`);
for (const [name, n] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(
    `| \`${name}\` | ${(100 * n / samples).toFixed(1)}% | ${microsPerRecord(n).toFixed(2)} |`,
  );
}
process.exit(0);

// ---- helpers -----------------------------------------------------------------------------

/** Thread id → name (JIT workers, GC helpers...), read while the process runs. */
function threadsOf(pid: number): Map<number, string> {
  const names = new Map<number, string>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    names.set(Number(tid), readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim());
  }
  return names;
}

/** One `perf script` line (tid ip sym (dso)) → where the sample was, and a name for JS/WASM. */
function classify(line: string): { category: string; name?: string } {
  // Outside JavaScript the symbol is named too ("kernel: _copy_to_iter"); a stripped runtime's
  // own code has none and shows as one "native: [unknown]" row.
  const symbol = () => line.trim().split(/\s+/).slice(2).join(" ").replace(/\s*\(.*\)$/, "");
  if (line.includes("[kernel.kallsyms]")) {
    return { category: "kernel", name: `kernel: ${symbol()}` };
  }
  const jsc = line.match(/JSC-(\w+): (.*?)(?:#\w+)?(?: \(|$)/);
  if (jsc) {
    const [, tier, name] = jsc;
    if (tier.startsWith("Wasm")) return { category: "wasm", name: `wasm ${name.trim()}` };
    return { category: "js", name: name.trim() || `(${tier})` };
  }
  if (/libc[.-]/.test(line)) return { category: "libc", name: `libc: ${symbol()}` };
  return { category: "native", name: `native: ${symbol()}` };
}

/**
 * JavaScriptCore's JITDump for `pid` (written to the temp directory) → a perf map
 * ("start size name" per line), which `perf script` reads for that pid. Returns the count.
 */
function writePerfMap(pid: number, path: string): number {
  const lines: string[] = [];
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("jit-")) continue;
    const file = join(tmpdir(), name);
    const bytes = readFileSync(file);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Header: magic, version, header size, machine, pad, pid, timestamp, flags.
    if (bytes.length < 40 || view.getUint32(20, true) !== pid) continue;
    let pos = view.getUint32(8, true);
    while (pos + 16 <= bytes.length) {
      const id = view.getUint32(pos, true);
      const size = view.getUint32(pos + 4, true);
      if (size === 0) break;
      if (id === 0) { // JIT_CODE_LOAD: pid, tid, vma, code address, code size, index, name
        const address = view.getBigUint64(pos + 32, true);
        const codeSize = view.getBigUint64(pos + 40, true);
        const nameStart = pos + 56;
        const nameEnd = bytes.indexOf(0, nameStart);
        const symbol = new TextDecoder().decode(bytes.subarray(nameStart, nameEnd));
        lines.push(`${address.toString(16)} ${codeSize.toString(16)} ${symbol}`);
      }
      pos += size;
    }
    rmSync(file, { force: true });
  }
  writeFileSync(path, lines.join("\n") + "\n");
  return lines.length;
}

function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function received(metricsPort: number): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const match = text.match(/^dashstream_exporter_messages_received_total (\d+)/m);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function deleteGroup(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([group]).catch(() => {});
  await admin.disconnect();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port"))
      );
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
