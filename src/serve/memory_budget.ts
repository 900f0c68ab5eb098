/**
 * How much memory `serve` may use: `--max-memory`, else `DASHFLOW_EXPORTER_MAX_MEMORY`, else
 * the memory limit of the cgroup the process runs in (Kubernetes `limits.memory`, systemd
 * `MemoryMax=`, `docker run -m`), v1 or v2. `serve` sizes its Kafka fetches and collects
 * garbage early to stay within it (docs/benchmarks.md, "serve inside a resource envelope").
 * @module
 */
import { UsageError } from "../errors.ts";
import { pick, type Source } from "../config/parse.ts";
import { SETTINGS } from "../config/settings.ts";
import { parseByteSize } from "../config/byte_size.ts";

const KIB = 1024;
const MIB = 1024 * KIB;

/** The memory budget and what follows from it. */
export interface MemoryBudget {
  /** Bytes the whole process may use. */
  bytes: number;
  /** Where it came from, for the start-up log: the flag, the env var, or "cgroup". */
  source: Source;
}

/** Kafka fetch sizes for a budget (kafkajs consumer options). */
export interface FetchSizing {
  maxBytes: number;
  maxBytesPerPartition: number;
}

/** kafkajs' own defaults, used when there is no budget. */
export const DEFAULT_FETCH_SIZING: FetchSizing = { maxBytes: 10 * MIB, maxBytesPerPartition: MIB };

/** The smallest budget accepted: below it the runtime alone would not fit. */
export const MIN_MEMORY_BUDGET = 64 * MIB;

/**
 * Fetch sizes within a budget: one fetch response at most 1/64 of it (4 MiB at 256 MiB,
 * 1.5 MiB at 96 MiB), all of it for one partition if need be. A fetch response is held
 * while its records are applied, and read off the socket into a second copy, so its size
 * bounds what a batch adds to memory; and fewer, larger fetches cost less CPU per record
 * than kafkajs' 1 MiB per partition (each fetch has a fixed cost: its buffers, a commit, a
 * heartbeat; measured in docs/benchmarks.md).
 */
export function fetchSizing(budget: MemoryBudget | undefined): FetchSizing {
  if (budget === undefined) return DEFAULT_FETCH_SIZING;
  const maxBytes = Math.min(
    DEFAULT_FETCH_SIZING.maxBytes,
    Math.max(MIB, Math.floor(budget.bytes / 64)),
  );
  return { maxBytes, maxBytesPerPartition: Math.min(4 * MIB, maxBytes) };
}

/**
 * Parses a size as Kubernetes and systemd write it: bytes, or a number with a unit,
 * `Ki`/`Mi`/`Gi` (powers of 1024) or `K`/`M`/`G`/`KB`/`MB`/`GB` (powers of 1000).
 */
export function parseMemorySize(raw: string, options: { source: string }): number {
  const bytes = parseByteSize(raw, options);
  if (bytes < MIN_MEMORY_BUDGET) {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': at least 64Mi is needed (the runtime alone uses ` +
        "about 50 MiB); raise it",
    );
  }
  return bytes;
}

/** Reads a text file, or undefined when it does not exist or cannot be read. */
export type ReadText = (path: string) => string | undefined;

/**
 * The memory limit of the cgroup this process runs in, in bytes, or undefined when there
 * is none (or no cgroup filesystem). The tightest limit on the path from the process's
 * group up to its mount's root counts, as the kernel enforces it. v1 reads
 * `memory.limit_in_bytes`, v2 `memory.max`.
 */
export function cgroupMemoryLimit(read: ReadText): number | undefined {
  const membership = read("/proc/self/cgroup");
  const mounts = read("/proc/self/mountinfo");
  if (membership === undefined || mounts === undefined) return undefined;
  let best: number | undefined;
  for (const line of membership.split("\n")) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    const v2 = controllers === "";
    if (!v2 && !controllers.split(",").includes("memory")) continue;
    const mount = cgroupMount(mounts, v2);
    if (mount === undefined) continue;
    const file = v2 ? "memory.max" : "memory.limit_in_bytes";
    // The group's path relative to the mount's root (inside a cgroup namespace both are "/").
    let relative = path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
    for (;;) {
      const limit = parseLimit(read(`${mount.point}/${relative}/${file}`.replace(/\/+/g, "/")));
      if (limit !== undefined && (best === undefined || limit < best)) best = limit;
      if (relative === "" || relative === "/") break;
      relative = relative.slice(0, Math.max(0, relative.lastIndexOf("/")));
    }
  }
  return best;
}

function cgroupMount(mountinfo: string, v2: boolean): { root: string; point: string } | undefined {
  for (const line of mountinfo.split("\n")) {
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    const [left, right] = line.split(" - ");
    if (right === undefined) continue;
    const [fstype, , superOptions = ""] = right.split(" ");
    const fields = left.split(" ");
    if (v2 ? fstype !== "cgroup2" : fstype !== "cgroup") continue;
    if (!v2 && !superOptions.split(",").includes("memory")) continue;
    return { root: unescapeMount(fields[3]), point: unescapeMount(fields[4]) };
  }
  return undefined;
}

// mountinfo escapes space, tab, newline and backslash as octal.
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
}

// "max" (v2) and the page-rounded 2^63 of v1 mean no limit.
function parseLimit(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (value === undefined || value === "" || value === "max") return undefined;
  const bytes = Number(value);
  return Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60 ? bytes : undefined;
}

/**
 * The process's anonymous resident memory (heap, stacks, buffers: what the cgroup charges it
 * for and cannot reclaim without swap), from `/proc/self/status` `RssAnon`; undefined where
 * there is no such file. The resident set also counts pages of the executable, which a
 * compiled binary has many of and which the kernel can drop and re-read.
 */
export function anonymousResidentBytes(read: ReadText): number | undefined {
  const kib = /^RssAnon:\s+(\d+) kB/m.exec(read("/proc/self/status") ?? "")?.[1];
  return kib === undefined ? undefined : Number(kib) * KIB;
}

/**
 * The budget: `--max-memory`, else `DASHFLOW_EXPORTER_MAX_MEMORY`, else the cgroup's limit,
 * else none (kafkajs' fetch defaults, no early collection). `off` in either setting turns
 * the cgroup's limit off too.
 */
export function resolveMemoryBudget(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  options: { detect: () => number | undefined },
): MemoryBudget | undefined {
  const setting = pick(SETTINGS.maxMemory, { flags: { maxMemory: flag }, env });
  if (setting !== undefined) {
    if (setting.raw.trim().toLowerCase() === "off") return undefined;
    return { bytes: parseMemorySize(setting.raw, setting), source: setting.source };
  }
  const detected = options.detect();
  return detected === undefined ? undefined : { bytes: detected, source: "cgroup" };
}
