/**
 * Peak memory of a child process: its `VmHWM` (the resident set's high-water mark, in
 * /proc/<pid>/status) polled until it exits. Linux only.
 * @module
 */
import { programCommand, start, type StartOptions } from "./spawn.ts";

/** What {@link runMeasured} returns: the exit, the output, and the peak resident set. */
export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  /** The highest VmHWM read, in bytes (the last read is at most `intervalMs` before the exit). */
  peakRssBytes: number;
}

function highWaterMark(pid: number): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined; // exited between two reads
  }
}

/**
 * Runs the program under test (the source, or DASHFLOW_EXPORTER_BIN) with `args` to completion,
 * reading its VmHWM every `intervalMs` (default 10). VmHWM only grows, so a read close to the
 * exit holds the peak of the whole run.
 */
export async function runMeasured(
  args: string[],
  options: StartOptions & { intervalMs?: number } = {},
): Promise<Measured> {
  const child = start([...programCommand(), ...args], options);
  const pid = child.child.pid;
  let peak = 0;
  const timer = setInterval(() => {
    const hwm = highWaterMark(pid);
    if (hwm !== undefined && hwm > peak) peak = hwm;
  }, options.intervalMs ?? 10);
  try {
    const status = await child.status;
    return {
      code: status.code,
      stdout: child.stdout(),
      stderr: child.stderr(),
      peakRssBytes: peak,
    };
  } finally {
    clearInterval(timer);
  }
}
