/**
 * Typed failures. `exitCodeOf` (src/exit_codes.ts) maps them to exit codes:
 * usage errors exit 2, everything else exits 1. Messages say what failed, the
 * value, and the fix.
 * @module
 */

/** A bad flag, env var or argument. Exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure at run time (unreachable broker, unreadable file...). Exit code 1. */
export class RunError extends Error {
  override name = "RunError";
}

/**
 * Stdout's reader went away (`dashflow-exporter ... | head -1`). Not a failure: whoever read
 * the output has what it wanted, so `main.ts` ends quietly with exit code 0 (as `cat` and `kcat`
 * do under a shell that ignores SIGPIPE). Thrown by the runtime's stdout on every write once
 * the pipe is closed.
 */
export class StdoutClosedError extends Error {
  override name = "StdoutClosedError";
  constructor() {
    super("stdout was closed by its reader (broken pipe)");
  }
}

/** Returns the error's message, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
