import { Command, CommanderError } from "@commander-js/extra-typings";
import { BUILD_INFO } from "../build_info.ts";
import { UsageError } from "../errors.ts";
import { EXIT_CODES } from "../exit_codes.ts";
import { type LogLevel, parseLogLevel } from "../log.ts";
import { suggestFlag } from "./flag_suggestion.ts";
import { parseRustLog } from "./rust_log.ts";
import type { CommandContext } from "./context.ts";
import type { CliHost, Mode } from "./host.ts";

/** The text `--version` prints. */
export function versionText(runtime: { name: string; version: string }): string {
  return `dashflow-exporter ${BUILD_INFO.version} (commit ${BUILD_INFO.commit}, ` +
    `built ${BUILD_INFO.buildDate}, ${runtime.name} ${runtime.version})`;
}

// The modes are listed once, by commander, under "Modes:" (each mode's own description).
const ROOT_HELP = `
Run 'dashflow-exporter <mode> --help' for a mode's flags, environment variables and examples.
Exit codes: ${EXIT_CODES.ok} success, ${EXIT_CODES.failure} failure, ${EXIT_CODES.usage} usage error \
(check: ${EXIT_CODES.lintFindings} valid with lint findings).
`;

/** Modes still to come: they answer with a usage error naming their issue. */
const PLANNED: [string, number][] = [];

/** Options for {@linkcode runCli}. */
export interface RunCliOptions {
  /**
   * The modes, in `--help` order, each defined in its folder (`src/<mode>/command.ts`);
   * `main.ts` lists them, so this shared program imports no mode.
   */
  modes: readonly Mode[];
  /** Builds the command context once the log level is known. */
  context: (logLevel: LogLevel | "quiet") => CommandContext;
}

/**
 * Parses `args` and runs the chosen mode. Returns its exit code; throws
 * {@linkcode UsageError} for bad usage and other typed errors for failures.
 */
export async function runCli(args: string[], options: RunCliOptions): Promise<number> {
  const base = options.context("info");
  let exitCode: number = EXIT_CODES.ok;
  const output = {
    writeOut: (text: string) => base.stdout.write(text),
    writeErr: (text: string) => base.stderr.write(text),
    // main.ts prints errors, once, in its own format.
    outputError: () => {},
  };
  const program = new Command("dashflow-exporter")
    .usage("<mode> [options]")
    .description("DashFlow quality events from Kafka to Prometheus, in one binary.")
    .version(versionText(base.runtime), "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show help")
    .addHelpText("after", ROOT_HELP)
    .showSuggestionAfterError()
    .configureOutput(output)
    .commandsGroup("Modes:")
    // Only the modes: `help <mode>` still works, without a line of its own.
    .configureHelp({ visibleCommands: (command) => [...command.commands] })
    .exitOverride();
  const modes = new Map<string, Command>();

  const host: CliHost = {
    context(rawLevel) {
      if (rawLevel === undefined) return options.context(levelFromEnv(base.env));
      const level = parseLogLevel(rawLevel);
      if (level === undefined) {
        throw new UsageError(
          `Invalid --log-level '${rawLevel}': expected debug, info, warn, error or quiet`,
        );
      }
      return options.context(level);
    },
    setExitCode: (code) => exitCode = code,
    command(name) {
      const command = new Command(name).configureOutput(output).exitOverride((error) => {
        throw new ModeError(name, error);
      });
      program.addCommand(command);
      modes.set(name, command);
      return command;
    },
  };
  for (const mode of options.modes) mode(host);
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
      return EXIT_CODES.usage;
    }
    await program.parseAsync(args, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end parsing with commander's exit code 0.
      if (error.exitCode === 0) return EXIT_CODES.ok;
      throw usageError(error, { mode: error instanceof ModeError ? error.mode : undefined, modes });
    }
    throw error;
  }
}

/** A commander error inside a mode, with the mode's name (commander's does not carry it). */
class ModeError extends CommanderError {
  constructor(readonly mode: string, error: CommanderError) {
    super(error.exitCode, error.code, error.message);
  }
}

/** Long flags of a command, as typed (`--web.config.file`). */
function longFlags(command: Command): string[] {
  return command.options.flatMap((o) => o.long ? [o.long] : []);
}

/**
 * The one usage error for a commander error: its message, the nearest flag for an unknown one
 * (see {@linkcode suggestFlag}; commander's own guess is kept when we have none), and the help
 * that lists the mode's flags.
 */
function usageError(
  error: CommanderError,
  context: { mode: string | undefined; modes: ReadonlyMap<string, Command> },
): UsageError {
  const { mode, modes } = context;
  let message = error.message.replace(/^error: /, "");
  const unknown = /^unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const own = mode === undefined ? undefined : modes.get(mode);
    const others = Object.fromEntries(
      [...modes].filter(([name]) => name !== mode).map(([name, c]) => [name, longFlags(c)]),
    );
    const hint = suggestFlag(unknown, { known: own ? longFlags(own) : [], modes: others });
    if (hint) message = `${message.split("\n")[0]}\n(${hint})`;
  }
  const help = mode === undefined ? "dashflow-exporter --help" : `dashflow-exporter ${mode} --help`;
  return new UsageError(`${message}\n(run '${help}' for usage)`);
}

/**
 * The log level without `--log-level`: the original's `RUST_LOG` when set (see
 * {@linkcode parseRustLog}), else info. One that does not parse is a usage error; the original
 * silently used info.
 */
function levelFromEnv(env: Record<string, string | undefined>): LogLevel | "quiet" {
  const raw = env.RUST_LOG;
  if (raw === undefined || raw.trim() === "") return "info";
  const level = parseRustLog(raw);
  if (level === undefined) {
    throw new UsageError(
      `Invalid RUST_LOG '${raw}': expected a level (error, warn, info, debug, trace, off) or ` +
        `directives such as info,prometheus_exporter=debug; or pass --log-level`,
    );
  }
  return level;
}
