import { Command, CommanderError } from "commander";
import { BUILD_INFO } from "../build_info.ts";
import type { CommandContext } from "../commands/context.ts";
import { UsageError } from "../errors.ts";
import { type LogLevel, parseLogLevel } from "../log.ts";
import type { CliHost } from "./host.ts";
import { replayCommand } from "./replay_command.ts";
import { checkCommand } from "./check_command.ts";
import { serveCommand } from "./serve_command.ts";
import { tailCommand } from "./tail_command.ts";

/** The text `--version` prints. */
export function versionText(runtime: { name: string; version: string }): string {
  return `dashflow-exporter ${BUILD_INFO.version} (commit ${BUILD_INFO.commit}, ` +
    `built ${BUILD_INFO.buildDate}, ${runtime.name} ${runtime.version})`;
}

const ROOT_HELP = `
Modes:
  serve    consume the topic and expose Prometheus metrics on /metrics
  tail     decode and print the live DashStream topic
  replay   feed recorded events into the metrics core or Kafka
  check    scrape an endpoint or read a file and validate the exposition

Run 'dashflow-exporter <mode> --help' for a mode's flags and environment variables.
Exit codes: 0 success, 1 failure, 2 usage error (check: 3 valid with lint findings).
`;

/** The modes, each defined in its own file beside this one. */
const MODES: ((host: CliHost) => Command)[] = [
  serveCommand,
  tailCommand,
  replayCommand,
  checkCommand,
];

/** Modes still to come: they answer with a usage error naming their issue. */
const PLANNED: [string, number][] = [];

/** Options for {@linkcode runCli}. */
export interface RunCliOptions {
  /** Builds the command context once the log level is known. */
  context: (logLevel: LogLevel | "quiet") => CommandContext;
}

/**
 * Parses `args` and runs the chosen mode. Returns its exit code; throws
 * {@linkcode UsageError} for bad usage and other typed errors for failures.
 */
export async function runCli(args: string[], options: RunCliOptions): Promise<number> {
  const base = options.context("info");
  let exitCode = 0;
  const host: CliHost = {
    context(rawLevel) {
      const level = parseLogLevel(rawLevel);
      if (level === undefined) {
        throw new UsageError(
          `Invalid --log-level '${rawLevel}': expected debug, info, warn, error or quiet`,
        );
      }
      return options.context(level);
    },
    setExitCode: (code) => exitCode = code,
  };
  const output = {
    writeOut: (text: string) => base.stdout.write(text),
    writeErr: (text: string) => base.stderr.write(text),
    // main.ts prints errors, once, in its own format.
    outputError: () => {},
  };
  const program = new Command("dashflow-exporter")
    .description("DashFlow quality events from Kafka to Prometheus, in one binary.")
    .version(versionText(base.runtime), "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show help")
    .addHelpText("after", ROOT_HELP)
    .showSuggestionAfterError()
    .configureOutput(output)
    .exitOverride();

  for (const mode of MODES) {
    program.addCommand(mode(host).configureOutput(output).exitOverride());
  }
  for (const [name, issue] of PLANNED) {
    program.command(name)
      .description(`(not yet available: planned in issue #${issue})`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new UsageError(
          `'${name}' is not available in this version yet (planned, issue #${issue}); ` +
            `run 'dashflow-exporter --help' for the modes that are`,
        );
      });
  }

  try {
    if (args.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(args, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      throw new UsageError(
        error.message.replace(/^error: /, "") + "\n(run 'dashflow-exporter --help' for usage)",
      );
    }
    throw error;
  }
}
