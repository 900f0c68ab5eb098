import process from "node:process";
import { parseSamples } from "./exposition.ts";
import { ROOT } from "./paths.ts";

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
  /** Sends SIGTERM (or `signal`) and waits for the exit; returns the code and how long it took. */
  stop(signal?: Deno.Signal): Promise<{ code: number | null; ms: number }>;
}

/**
 * How to run the program under test: the source on Deno by default, or the
 * compiled binary named by DASHFLOW_EXPORTER_BIN (the binary suite sets it).
 */
export function programCommand(): string[] {
  const binary = process.env.DASHFLOW_EXPORTER_BIN;
  if (binary) return [binary];
  return [Deno.execPath(), "run", "-A", `${ROOT}main.ts`];
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
  const [cmd, ...base] = options.command ?? programCommand();
  const child = new Deno.Command(cmd, {
    args: [...base, "serve", "--port", "0", "--bind", "127.0.0.1", ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  let onOutput = () => {};
  const pumped = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        stderr += chunk;
        onOutput();
      },
    }),
  ).catch(() => {});
  const exited = child.status.then(async (status) => {
    await pumped;
    return status.signal === null ? status.code : null;
  });
  const url = await new Promise<string>((resolve, reject) => {
    onOutput = () => {
      const match = /url=(https?):\/\/[^:]+:(\d+)\/metrics/.exec(stderr);
      if (match) resolve(`${match[1]}://127.0.0.1:${match[2]}`);
    };
    exited.then((code) =>
      reject(new Error(`exporter exited with ${code} before serving:\n${stderr}`))
    );
  });
  return {
    child,
    url,
    stderr: () => stderr,
    exited,
    async scrape() {
      const response = await fetch(`${url}/metrics`);
      if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
      return parseSamples(await response.text());
    },
    async stop(signal: Deno.Signal = "SIGTERM") {
      const started = performance.now();
      try {
        child.kill(signal);
      } catch {
        // Already exited.
      }
      const code = await exited;
      return { code, ms: performance.now() - started };
    },
  };
}
