import type { Logger } from "../log.ts";
import type { Output, Runtime } from "../runtime/mod.ts";

/**
 * What a command may use of the outside world. Commands never reach for
 * globals: tests build a context with fake outputs, a fake clock and their own
 * abort signal.
 */
export interface CommandContext {
  runtime: Runtime;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Wall clock, ms since epoch. */
  clock: () => number;
  /** Aborted on SIGINT/SIGTERM: long-running commands shut down cleanly. */
  signal: AbortSignal;
  log: Logger;
}
