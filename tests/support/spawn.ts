/**
 * Child processes for tests: the program under test ({@link programCommand}: the source on Deno,
 * or the binary named by DASHFLOW_EXPORTER_BIN) and the other tools tests call (openssl,
 * promtool, prometheus, script; {@link commandWorks} says whether one is there). {@link run}
 * waits for the exit and captures the output; {@link start} leaves it running and collects the
 * output as it comes.
 *
 * @module
 */
import process from "node:process";
import { ROOT } from "./paths.ts";

/**
 * How to run the program under test: the source on Deno by default, or the
 * compiled binary named by DASHFLOW_EXPORTER_BIN (the binary suite sets it).
 */
export function programCommand(): string[] {
  const binary = process.env.DASHFLOW_EXPORTER_BIN;
  if (binary) return [binary];
  return [Deno.execPath(), "run", "-A", `${ROOT}main.ts`];
}

/** Options of {@link run} and {@link start}. */
export interface SpawnOptions {
  /** Variables added to this process's environment (the whole environment with `clearEnv`). */
  env?: Record<string, string>;
  /** Start from an empty environment instead of this process's. */
  clearEnv?: boolean;
  /** Working directory (default: this process's). */
  cwd?: string;
}

/** Options of {@link run}. */
export interface RunOptions extends SpawnOptions {
  /** Bytes or text written to stdin, then closed (default: stdin is /dev/null). */
  stdin?: string | Uint8Array;
}

/** What a finished process left. */
export interface Finished {
  /** Exit code (killed by a signal: 128 + the signal number). */
  code: number;
  /** The signal that killed it, or null. */
  signal: Deno.Signal | null;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

function spawn(
  command: string[],
  options: SpawnOptions,
  stdio: { stdin: "null" | "piped"; stdout: "null" | "piped" },
): Deno.ChildProcess {
  const [cmd, ...args] = command;
  return new Deno.Command(cmd, {
    args,
    env: options.env,
    clearEnv: options.clearEnv,
    cwd: options.cwd,
    ...stdio,
    stderr: "piped",
  }).spawn();
}

/** UTF-8 text of bytes. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Runs `command` (`[executable, ...args]`) to completion, capturing stdout and stderr. */
export async function run(command: string[], options: RunOptions = {}): Promise<Finished> {
  const child = spawn(command, options, {
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
  });
  if (options.stdin !== undefined) {
    const bytes = typeof options.stdin === "string"
      ? new TextEncoder().encode(options.stdin)
      : options.stdin;
    const writer = child.stdin.getWriter();
    // The program may exit before reading all of stdin.
    await writer.write(bytes).then(() => writer.close()).catch(() => {});
  }
  const output = await child.output();
  return {
    code: output.code,
    signal: output.signal,
    stdout: output.stdout,
    stderr: output.stderr,
  };
}

/** Runs the program under test with `args` to completion (see {@link run}). */
export function runProgram(args: string[], options: RunOptions = {}): Promise<Finished> {
  return run([...programCommand(), ...args], options);
}

/**
 * Runs the program under test with `args` while nobody reads its stdout: the read end of the
 * pipe is closed at once, so its first write to stdout fails with a broken pipe (what
 * `dashflow-exporter ... | head -1` does, minus the race). Returns the exit code and stderr.
 */
export async function runProgramStdoutClosed(
  args: string[],
  options: SpawnOptions = {},
): Promise<{ code: number; signal: Deno.Signal | null; stderr: string }> {
  const child = spawn([...programCommand(), ...args], options, { stdin: "null", stdout: "piped" });
  await child.stdout.cancel();
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  return { code: status.code, signal: status.signal, stderr };
}

/** Options of {@link start}. */
export interface StartOptions extends SpawnOptions {
  /** "null" discards stdout (default "piped": collected). */
  stdout?: "piped" | "null";
}

/** A process started by {@link start}. Always stop it (try/finally). */
export interface Started {
  child: Deno.ChildProcess;
  /** Its stdout so far. */
  stdout(): string;
  /** Its stderr so far. */
  stderr(): string;
  /** Its stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** Resolves with its status once it exits and its output is read. */
  status: Promise<Deno.CommandStatus>;
  /** Whether it still runs. */
  running(): boolean;
  /** Sends `signal` (default SIGTERM) if it still runs. */
  kill(signal?: Deno.Signal): void;
  /** SIGTERM (SIGKILL after 5 s) if it still runs, then waits for the exit. */
  stop(): Promise<Deno.CommandStatus>;
  /**
   * Resolves with the first match of `pattern` in its stderr (checked as output comes);
   * rejects with `message` and the stderr when it exits first.
   */
  stderrMatch(pattern: RegExp, message: string): Promise<RegExpExecArray>;
}

/** Starts `command` (`[executable, ...args]`) in the background with stdin on /dev/null. */
export function start(command: string[], options: StartOptions = {}): Started {
  const child = spawn(command, options, { stdin: "null", stdout: options.stdout ?? "piped" });
  let stdout = "";
  let stderr = "";
  let output = "";
  const listeners = new Set<() => void>();
  const pump = (stream: ReadableStream<Uint8Array>, add: (chunk: string) => void) =>
    stream.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({
        write(chunk) {
          add(chunk);
          output += chunk;
          for (const listener of listeners) listener();
        },
      }),
    ).catch(() => {});
  const pumped = Promise.all([
    options.stdout === "null" ? undefined : pump(child.stdout, (chunk) => (stdout += chunk)),
    pump(child.stderr, (chunk) => (stderr += chunk)),
  ]);
  let exited = false;
  const status = child.status.then(async (s) => {
    exited = true;
    await pumped;
    return s;
  });
  const kill = (signal: Deno.Signal = "SIGTERM") => {
    try {
      if (!exited) child.kill(signal);
    } catch {
      // Already exited.
    }
  };
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    status,
    running: () => !exited,
    kill,
    async stop() {
      if (!exited) {
        kill("SIGTERM");
        const timer = setTimeout(() => kill("SIGKILL"), 5000);
        await status;
        clearTimeout(timer);
      }
      return await status;
    },
    stderrMatch(pattern, message) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stderr);
          if (match) {
            listeners.delete(check);
            resolve(match);
          }
        };
        listeners.add(check);
        check();
        status.then((s) => reject(new Error(`${message} (exit ${s.code}):\n${stderr}`)));
      });
    },
  };
}

/** Starts the program under test with `args` in the background (see {@link start}). */
export function startProgram(args: string[], options: StartOptions = {}): Started {
  return start([...programCommand(), ...args], options);
}

/** A free loopback TCP port (bound and released: good enough for a test's own daemon). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Whether `command` (e.g. `["bun", "--version"]`) runs and exits 0: for tests that need a tool
 * this machine may lack, so they are ignored rather than failed without it.
 */
export function commandWorks(command: string[]): boolean {
  try {
    return new Deno.Command(command[0], { args: command.slice(1), stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
