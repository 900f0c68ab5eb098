import type { Command } from "@commander-js/extra-typings";
import type { CommandContext } from "./context.ts";

/** What a mode's CLI definition needs from the program that hosts it. */
export interface CliHost {
  /** Builds the command context for a `--log-level` value (undefined: RUST_LOG, else info; throws UsageError if bad). */
  context(logLevel: string | undefined): CommandContext;
  /** Records the mode's exit code. */
  setExitCode(code: number): void;
  /**
   * Creates the mode's command, already part of the program; the mode adds its
   * options and action to it. (Handing the finished command back instead would
   * make the type checker compare its inferred option types with commander's
   * generic ones, which takes minutes for a mode with many options.)
   */
  command(name: string): Command;
}

/** A mode: defines its command line (`src/<mode>/command.ts`) in the program hosting it. */
export type Mode = (host: CliHost) => void;
