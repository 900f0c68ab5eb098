import { parseSamples } from "./exposition.ts";
import { type TopicOptions, waitFor, withTopic } from "./kafka.ts";
import { programCommand, start } from "./spawn.ts";
import { withTempDir } from "./temp_dir.ts";

/** A `dashflow-exporter serve` child process started from source (or a binary). */
export interface ExporterProcess {
  child: Deno.ChildProcess;
  /** Base URL of its HTTP server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code once it exits (null when killed by a signal). */
  exited: Promise<number | null>;
  /** GET /metrics and parse it. */
  scrape(): Promise<Map<string, number>>;
  /**
   * Scrapes until the sample `name` equals `value` and returns that scrape; fails after
   * `timeoutMs` (default 30 s) with the stderr.
   */
  scrapeUntil(
    name: string,
    value: number,
    options?: { timeoutMs?: number },
  ): Promise<Map<string, number>>;
  /** Sends SIGTERM (or `signal`) and waits for the exit; returns the code and how long it took. */
  stop(signal?: Deno.Signal): Promise<{ code: number | null; ms: number }>;
}

/** Options of {@link startServe}. */
export interface StartServeOptions {
  /** The program to run instead of {@link programCommand}, e.g. `["bun", "main.ts"]`. */
  command?: string[];
}

/**
 * Starts `serve` on a free port with the given env and flags and waits until its
 * HTTP server listens. Always stop it (try/finally) so no process outlives a test.
 * `url` is https:// when it serves TLS (`--web.config.file`).
 */
export async function startServe(
  env: Record<string, string>,
  args: string[] = [],
  options: StartServeOptions = {},
): Promise<ExporterProcess> {
  const child = start(
    [
      ...options.command ?? programCommand(),
      ...["serve", "--port", "0", "--bind", "127.0.0.1", ...args],
    ],
    { env, stdout: "null" },
  );
  const exited = child.status.then((status) => status.signal === null ? status.code : null);
  const match = await child.stderrMatch(
    /url=(https?):\/\/[^:]+:(\d+)\/metrics/,
    "exporter exited before serving",
  );
  const url = `${match[1]}://127.0.0.1:${match[2]}`;
  const scrape = async () => {
    const response = await fetch(`${url}/metrics`);
    if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
    return parseSamples(await response.text());
  };
  return {
    child: child.child,
    url,
    stderr: child.stderr,
    exited,
    scrape,
    scrapeUntil(name, value, options = {}) {
      return waitFor(async () => {
        const samples = await scrape();
        return samples.get(name) === value ? samples : undefined;
      }, {
        timeoutMs: options.timeoutMs ?? 30_000,
        message: () => `serve's ${name} at ${value}; stderr:\n${child.stderr()}`,
      });
    },
    async stop(signal: Deno.Signal = "SIGTERM") {
      const started = performance.now();
      child.kill(signal);
      const code = await exited;
      return { code, ms: performance.now() - started };
    },
  };
}

/**
 * The env of a `serve` that consumes `topic` (a fresh one, from {@linkcode withTopic}) in a
 * consumer group of its own, named as the topic, with `env` besides.
 */
export function serveEnv(
  topic: string,
  env: Record<string, string> = {},
): Record<string, string> & { KAFKA_GROUP_ID: string } {
  return { KAFKA_TOPIC: topic, KAFKA_GROUP_ID: topic, ...env };
}

/** What {@linkcode withTopicServe} hands its function. */
export interface TopicServe {
  /** A fresh topic, which `serve` consumes (its name is the group id too). */
  topic: string;
  /** A temporary directory, removed afterwards. */
  dir: string;
  exporter: ExporterProcess;
}

/** Options of {@linkcode withTopicServe}. */
export interface TopicServeOptions {
  /** Env vars for `serve` besides KAFKA_TOPIC and KAFKA_GROUP_ID. */
  env?: Record<string, string>;
  /** How the topic is created. */
  topic?: TopicOptions;
}

/**
 * Runs `fn` with a fresh topic (`prefix-...`), a temporary directory and `serve` consuming the
 * topic; afterwards stops `serve` and removes the directory and the topic, even when `fn` throws.
 */
export async function withTopicServe(
  prefix: string,
  fn: (setup: TopicServe) => Promise<void>,
  options: TopicServeOptions = {},
): Promise<void> {
  await withTopic(prefix, (topic) =>
    withTempDir(prefix, async (dir) => {
      const exporter = await startServe(serveEnv(topic, options.env));
      try {
        await fn({ topic, dir, exporter });
      } finally {
        await exporter.stop();
      }
    }), options.topic);
}
