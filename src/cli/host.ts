import { Option } from "commander";
import type { CommandContext } from "../commands/context.ts";

/** What a mode's CLI definition needs from the program that hosts it. */
export interface CliHost {
  /** Builds the command context for a `--log-level` value (throws UsageError if bad). */
  context(logLevel: string): CommandContext;
  /** Records the mode's exit code. */
  setExitCode(code: number): void;
}

/** The `--log-level` option every long-running mode takes. */
export function logLevelOption(): Option {
  return new Option("--log-level <level>", "debug | info | warn | error | quiet").default("info");
}
