/**
 * The exit codes of every mode, by outcome: the one place that decides them.
 * Modes return an outcome's code, `main.ts` maps thrown errors with
 * {@linkcode exitCodeOf}, and help texts print this table's numbers.
 * @module
 */
import { StdoutClosedError, UsageError } from "./errors.ts";

/** Outcome → exit code. */
export const EXIT_CODES = {
  /** The mode did what it was asked; `check`: valid, no findings (notices do not count). */
  ok: 0,
  /**
   * A failure at run time (unreachable broker, bad input, unexpected error); `check`: invalid
   * exposition, failed expectation, counter decrease or unreachable target.
   */
  failure: 1,
  /** A bad flag, env var, argument or settings file, or no mode given. */
  usage: 2,
  /** `check`: a valid exposition with lint findings (as `promtool check metrics`). */
  lintFindings: 3,
  /** Stopped by SIGINT/SIGTERM before the end (`replay`), or a second signal. */
  interrupted: 130,
} as const;

/** An outcome a mode can end with. */
export type Outcome = keyof typeof EXIT_CODES;

/** An exit code of {@linkcode EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[Outcome];

/**
 * The exit code of a thrown error: usage errors exit 2, a closed stdout (`| head`) 0,
 * everything else 1.
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof StdoutClosedError) return EXIT_CODES.ok;
  return error instanceof UsageError ? EXIT_CODES.usage : EXIT_CODES.failure;
}
