/**
 * Helpers for the `replay` tests: run the CLI (source on Deno, or
 * DASHFLOW_EXPORTER_BIN) on fixture files and compare expositions.
 * @module
 */
import { runProgram, startProgram, text } from "./spawn.ts";
import { ROOT } from "./paths.ts";

/** tests/fixtures/replay/ */
export const FIXTURES = `${ROOT}tests/fixtures/replay/`;
/** tests/golden/replay/ */
export const GOLDEN = `${ROOT}tests/golden/replay/`;

/** What a finished CLI run left. */
export interface RunResult {
  code: number | null;
  stdout: Uint8Array;
  stderr: string;
}

/** Runs `dashflow-exporter replay ...args` to completion, feeding `stdin` if given. */
export async function runReplay(
  args: string[],
  options: { stdin?: Uint8Array; env?: Record<string, string> } = {},
): Promise<RunResult> {
  // An empty stdin rather than /dev/null when none is given, as before.
  const result = await runProgram(["replay", ...args], {
    env: options.env,
    stdin: options.stdin ?? new Uint8Array(0),
  });
  return {
    code: result.signal === null ? result.code : null,
    stdout: result.stdout,
    stderr: text(result.stderr),
  };
}

export { text } from "./spawn.ts";

/**
 * The exposition with `dashflow_build_info`'s labels masked: they carry the
 * version and the runtime ("deno 2.9.6", "bun 1.4.5"), the only bytes of a
 * replay's output that legitimately differ between builds and runtimes.
 */
export function maskBuildInfo(exposition: string): string {
  return exposition.replace(/^dashflow_build_info\{.*\} 1$/m, "dashflow_build_info{...} 1");
}

/** A running `replay --serve`. */
export interface ReplayServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Sends `signal` (once it is still running). */
  kill(signal?: Deno.Signal): void;
  /** Its exit code once it exits. */
  exited: Promise<number>;
}

/**
 * Starts `replay ...args --serve --port 0 --bind 127.0.0.1` and resolves once
 * it logs its URL. Always kill it (try/finally).
 */
export async function startReplayServe(args: string[]): Promise<ReplayServer> {
  const child = startProgram(
    ["replay", ...args, "--serve", "--port", "0", "--bind", "127.0.0.1"],
    { stdout: "null" },
  );
  const match = await child.stderrMatch(
    /url=http:\/\/[^:]+:(\d+)\/metrics/,
    "replay --serve exited",
  );
  return {
    url: `http://127.0.0.1:${match[1]}`,
    stderr: child.stderr,
    kill: child.kill,
    exited: child.status.then((status) => status.code),
  };
}
