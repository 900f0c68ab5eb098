/**
 * dashflow-exporter: the entry point. The only place that maps errors to exit
 * codes and exits.
 * @module
 */
import { runCli } from "./src/cli/program.ts";
import { createLogger } from "./src/log.ts";
import { errorMessage, RunError, UsageError } from "./src/errors.ts";
import { loadRuntime } from "./src/runtime/mod.ts";

const runtime = await loadRuntime();
const controller = new AbortController();
let signals = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  runtime.onSignal(signal, () => {
    // A second signal means "now": skip the graceful path.
    if (++signals > 1) runtime.exit(130);
    controller.abort();
  });
}

const env = runtime.env();
let code: number;
try {
  code = await runCli(runtime.args(), {
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
  if (error instanceof UsageError || error instanceof RunError) {
    runtime.stderr.write(`dashflow-exporter: ${error.message}\n`);
    code = error.exitCode;
  } else {
    runtime.stderr.write(`dashflow-exporter: unexpected error: ${errorMessage(error)}\n`);
    if (env.DASHFLOW_DEBUG) runtime.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    code = 1;
  }
}
runtime.exit(code);
