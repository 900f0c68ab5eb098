/**
 * Helpers for the `tail` integration tests: run the CLI (the source on Deno, or
 * DASHFLOW_EXPORTER_BIN) against the test broker, to completion or in the
 * background, and read what it printed.
 * @module
 */
import type { DashStreamMessage } from "../../src/gen/dashstream_pb.ts";
import { encodeRecord } from "../../src/wire/mod.ts";
import { startProgram } from "./spawn.ts";
import { kafkaBrokers, produce, waitFor } from "./kafka.ts";

/** What a finished `tail` run left. */
export interface TailResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout split into lines (no trailing empty line). */
  lines: string[];
  /** How long the run took, ms. */
  ms: number;
}

/** Options for {@linkcode runTail} and {@linkcode startTail}. */
export interface TailRunOptions {
  /** Extra env vars; KAFKA_BROKERS is the test broker unless given. */
  env?: Record<string, string>;
  /** Env vars to remove from the inherited environment. */
  unsetEnv?: string[];
  /** Kill the run and fail after this long (default 30000 ms). */
  timeoutMs?: number;
}

/** A `tail` running in the background. */
export interface TailChild {
  stdout(): string;
  stderr(): string;
  /** Complete stdout lines so far. */
  lines(): string[];
  /** Sends a signal (if it still runs). */
  kill(signal?: Deno.Signal): void;
  /** Exit code once it exits (killed by a signal: 128 + the signal number). */
  exited: Promise<number>;
}

/**
 * The `tail` arguments that read `topic` from `from` (default: the beginning) and exit at its
 * end, the start of most test runs: `[...topicToEnd(topic), "--format", "json"]`.
 */
export function topicToEnd(topic: string, from = "beginning"): string[] {
  return ["--topic", topic, "--from", from, "--exit-at-end"];
}

/** Starts `dashflow-exporter tail ...args` in the background. Always kill it (try/finally). */
export function startTail(args: string[], options: TailRunOptions = {}): TailChild {
  const inherited = Deno.env.toObject();
  for (const name of options.unsetEnv ?? []) delete inherited[name];
  const child = startProgram(["tail", ...args], {
    env: { ...inherited, KAFKA_BROKERS: kafkaBrokers().join(","), ...options.env },
    clearEnv: true,
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  const exited = child.status.then((status) => {
    clearTimeout(timer);
    return status.code;
  });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    lines: () => {
      const all = child.stdout().split("\n");
      return all.slice(0, -1);
    },
    kill: child.kill,
    exited,
  };
}

/**
 * Starts `tail ...args` in the background, runs `fn` with it and returns what `fn` returns; the
 * child is always killed (SIGKILL, if it still runs) and reaped afterwards.
 */
export async function withTail<T>(
  args: string[],
  fn: (child: TailChild) => Promise<T>,
  options: TailRunOptions = {},
): Promise<T> {
  const child = startTail(args, options);
  try {
    return await fn(child);
  } finally {
    child.kill("SIGKILL");
    await child.exited;
  }
}

/**
 * Runs `dashflow-exporter tail ...args` to completion. Fails (after killing it)
 * when it does not exit within `timeoutMs`.
 */
export async function runTail(args: string[], options: TailRunOptions = {}): Promise<TailResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = startTail(args, { ...options, timeoutMs });
  const code = await child.exited;
  const ms = performance.now() - started;
  if (ms >= timeoutMs) {
    throw new Error(
      `tail ${args.join(" ")} did not exit within ${timeoutMs} ms\n` +
        `stdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`,
    );
  }
  return { code, stdout: child.stdout(), stderr: child.stderr(), lines: child.lines(), ms };
}

/**
 * Waits until a background tail logged its start line ("Tailing ...": start
 * offsets are fixed from then on) and returns the consumer group it uses.
 */
export async function tailReady(child: TailChild): Promise<string> {
  const line = await waitFor(
    () => child.stderr().split("\n").find((l) => l.includes(" INFO  Tailing ")),
    {
      timeoutMs: 20_000,
      message: () => `tail's "Tailing" line; stderr so far:\n${child.stderr()}`,
    },
  );
  return /group=(\S+)/.exec(line)?.[1] ?? "";
}

/** The stderr line with the summary, e.g. `tail: 3 records: ...`. */
export function summaryLine(stderr: string): string | undefined {
  return stderr.split("\n").find((line) => line.startsWith("tail: "));
}

/** Parses JSON lines. */
// deno-lint-ignore no-explicit-any
export function parseLines(lines: string[]): any[] {
  return lines.map((line, i) => {
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1} is not JSON: ${line}`);
    }
  });
}

/** One record to produce with {@linkcode produceRecords}. */
export interface TailTestRecord {
  /** A message (framed like producers do), raw value bytes, or null for a tombstone. */
  value: DashStreamMessage | Uint8Array | null;
  key?: string | null;
  partition?: number;
  /** Kafka timestamp, ms since epoch. */
  timestamp?: number;
}

/** Produces `records` in order with acks=all, keeping partitions and timestamps given. */
export async function produceRecords(topic: string, records: TailTestRecord[]): Promise<void> {
  await produce(
    topic,
    records.map((r) => ({
      key: r.key ?? null,
      value: r.value === null || r.value instanceof Uint8Array ? r.value : encodeRecord(r.value),
      partition: r.partition ?? 0,
      timestamp: r.timestamp,
    })),
  );
}
