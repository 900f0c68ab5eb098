/**
 * dashflow-exporter: the entry point. Lists the modes, and is the only place
 * that exits (with the code src/exit_codes.ts decides).
 * @module
 */
import { checkCommand } from "./src/check/command.ts";
import { runCli } from "./src/cli/program.ts";
import { errorMessage, RunError, StdoutClosedError, UsageError } from "./src/errors.ts";
import { EXIT_CODES, exitCodeOf } from "./src/exit_codes.ts";
import { createLogger } from "./src/log.ts";
import { replayCommand } from "./src/replay/command.ts";
import { loadRuntime } from "./src/runtime/mod.ts";
import { serveCommand } from "./src/serve/command.ts";
import { tailCommand } from "./src/tail/command.ts";

const runtime = await loadRuntime();
const controller = new AbortController();
let signals = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  runtime.onSignal(signal, () => {
    // A second signal means "now": skip the graceful path.
    if (++signals > 1) runtime.exit(EXIT_CODES.interrupted);
    controller.abort();
  });
}

const env = runtime.env();
let code: number;
try {
  code = await runCli(runtime.args(), {
    modes: [serveCommand, tailCommand, replayCommand, checkCommand],
    context: (level) => ({
      runtime,
      env,
      stdout: runtime.stdout,
      stderr: runtime.stderr,
      clock: Date.now,
      signal: controller.signal,
      log: createLogger(runtime.stderr, { level }),
    }),
  });
} catch (error) {
  if (error instanceof StdoutClosedError) {
    // `... | head`: the reader has what it wanted; nothing to say.
  } else if (error instanceof UsageError || error instanceof RunError) {
    runtime.stderr.write(`dashflow-exporter: ${error.message}\n`);
  } else {
    runtime.stderr.write(`dashflow-exporter: unexpected error: ${errorMessage(error)}\n`);
    if (env.DASHFLOW_DEBUG) runtime.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  }
  code = exitCodeOf(error);
}
runtime.exit(code);
