/**
 * Helpers for the `replay` tests: run the CLI (source on Deno, or
 * DASHFLOW_EXPORTER_BIN) on fixture files and compare expositions.
 * @module
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import process from "node:process";
import { programCommand } from "./exporter.ts";
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
export function runReplay(
  args: string[],
  options: { stdin?: Uint8Array; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const [cmd, ...base] = programCommand();
  const child = spawn(cmd, [...base, "replay", ...args], {
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out: Uint8Array[] = [];
  let stderr = "";
  child.stdout!.on("data", (chunk: Uint8Array) => out.push(chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin!.on("error", () => {}); // the program may exit before reading all of stdin
  child.stdin!.end(options.stdin);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout: new Uint8Array(Buffer.concat(out)), stderr });
    });
  });
}

/** UTF-8 text of bytes. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

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
 * it logs its URL. Always kill it (try/finally). Uses Deno.Command: Deno's
 * node:child_process reports a child that handled SIGTERM and exited 0 as
 * killed by the signal, and this test is about that exit code.
 */
export async function startReplayServe(args: string[]): Promise<ReplayServer> {
  const [cmd, ...base] = programCommand();
  const child = new Deno.Command(cmd, {
    args: [...base, "replay", ...args, "--serve", "--port", "0", "--bind", "127.0.0.1"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  let done = false;
  const exited = child.status.then((status) => {
    done = true;
    return status.code;
  });
  const url = new Promise<string>((resolve, reject) => {
    (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        stderr += chunk;
        const match = /url=http:\/\/[^:]+:(\d+)\/metrics/.exec(stderr);
        if (match) resolve(`http://127.0.0.1:${match[1]}`);
      }
    })().catch(reject);
    exited.then((code) => reject(new Error(`replay --serve exited with ${code}:\n${stderr}`)));
  });
  return {
    url: await url,
    stderr: () => stderr,
    kill: (signal = "SIGTERM") => {
      if (!done) child.kill(signal);
    },
    exited,
  };
}
