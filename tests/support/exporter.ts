import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { parseSamples } from "./exposition.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** A `dashflow-exporter` child process started from source (or a binary). */
export interface ExporterProcess {
  child: ChildProcess;
  /** Base URL of its HTTP server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code once it exits. */
  exited: Promise<number | null>;
  /** GET /metrics and parse it. */
  scrape(): Promise<Map<string, number>>;
  /** Sends SIGTERM and waits for the exit; returns the code and how long it took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/** How to run the program under test: source on Deno by default, or a binary. */
export function programCommand(): string[] {
  const binary = process.env.DASHFLOW_EXPORTER_BIN;
  if (binary) return [binary];
  return [process.execPath, "run", "-A", `${ROOT}main.ts`];
}

/**
 * Starts `serve` on a free port with the given env and flags and waits until its
 * HTTP server answers. Always stop it (try/finally) so no process outlives a test.
 */
export async function startServe(
  env: Record<string, string>,
  args: string[] = [],
): Promise<ExporterProcess> {
  const [cmd, ...base] = programCommand();
  const child = spawn(cmd, [...base, "serve", "--port", "0", "--bind", "127.0.0.1", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: string) => {
      stderr += chunk;
      const match = /url=http:\/\/[^:]+:(\d+)\/metrics/.exec(stderr);
      if (match) {
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    };
    child.stderr!.on("data", onData);
    exited.then((code) =>
      reject(new Error(`exporter exited with ${code} before serving:\n${stderr}`))
    );
  });
  const exporter: ExporterProcess = {
    child,
    url,
    stderr: () => stderr,
    exited,
    async scrape() {
      const response = await fetch(`${url}/metrics`);
      if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
      return parseSamples(await response.text());
    },
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      const started = performance.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      return { code, ms: performance.now() - started };
    },
  };
  return exporter;
}
