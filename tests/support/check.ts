/**
 * Helpers for the `check` tests: run the program (source or DASHFLOW_EXPORTER_BIN), serve
 * canned expositions over HTTP, run promtool.
 *
 * @module
 */
import { waitFor } from "./kafka.ts";
import { run, runProgram, start, text } from "./spawn.ts";
import { BIN, ROOT } from "./paths.ts";

/** Where the `check` fixtures live. */
export const FIXTURES = `${ROOT}tests/fixtures/check/`;

/** What a run printed and returned. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link runCheck}. */
export interface RunOptions {
  /** Bytes or text for stdin (default: none). */
  stdin?: string | Uint8Array;
  env?: Record<string, string>;
  /** Working directory (default: the repository root, so fixture paths are relative). */
  cwd?: string;
}

/** Runs `dashflow-exporter check ARGS...` to completion. */
export async function runCheck(args: string[], options: RunOptions = {}): Promise<Run> {
  const result = await runProgram(["check", ...args], {
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    stdin: options.stdin,
  });
  return { code: result.code, stdout: text(result.stdout), stderr: text(result.stderr) };
}

/** A finding as `--format json` prints it. */
export interface JsonFinding {
  severity: string;
  rule: string;
  message: string;
  metric?: string;
  line?: number;
  column?: number;
  scrape?: number;
}

/** Parses `--format json` output. */
export function jsonFindings(run: Run): JsonFinding[] {
  try {
    return JSON.parse(run.stdout).findings;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** A local HTTP server for a test; stop it with `close()`. */
export interface TestServer {
  /** `http(s)://127.0.0.1:PORT` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `handler` on a free loopback port (HTTPS with `tls`). */
export function serveHttp(
  handler: (request: Request) => Response | Promise<Response>,
  options: { tls?: { cert: string; key: string }; port?: number } = {},
): TestServer {
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    onListen() {},
    ...options.tls,
  }, handler);
  const port = server.addr.port;
  return {
    origin: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    close: () => server.shutdown(),
  };
}

/** Runs `fn` with `server` and closes the server afterwards, even when `fn` throws. */
export async function withServer<T>(
  server: TestServer,
  fn: (server: TestServer) => Promise<T>,
): Promise<T> {
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Runs `promtool check metrics` on `body`: exit code and output. */
export async function promtoolCheck(body: string | Uint8Array): Promise<Run> {
  const result = await run([`${BIN}promtool`, "check", "metrics"], { stdin: body });
  return { code: result.code, stdout: text(result.stdout), stderr: text(result.stderr) };
}

/** Maps over `items` with at most `options.limit` (default 4) calls in flight, keeping the order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  fn: (item: T) => Promise<R>,
  options: { limit?: number } = {},
): Promise<R[]> {
  const limit = options.limit ?? 4;
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A daemon a test started: its URL, its output so far, and a stop that waits for the exit. */
export interface Daemon {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `cmd` with `options.args` and waits until `options.url` answers 200. Stop it in a
 * finally: the process is killed with SIGTERM (SIGKILL after 5 s) and awaited.
 */
export async function startDaemon(
  cmd: string,
  options: { args: string[]; url: string },
): Promise<Daemon> {
  const { args, url } = options;
  const child = start([cmd, ...args]);
  const stop = async () => {
    await child.stop();
  };
  try {
    await waitFor(async () => {
      if (!child.running()) throw new Error("exited");
      const response = await fetch(url);
      await response.body?.cancel();
      return response.ok;
    }, { timeoutMs: 20_000, message: () => `${cmd} did not serve ${url}:\n${child.output()}` });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: child.output, stop };
}
