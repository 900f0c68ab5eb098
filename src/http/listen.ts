import { errorMessage, RunError } from "../errors.ts";
import type { Handler, HttpServer, Runtime, ServeOptions } from "../runtime/mod.ts";

/** Options for {@linkcode listenMetrics}. */
export interface ListenOptions {
  bind: string;
  port: number;
  handler: Handler;
  tls?: ServeOptions["tls"];
}

/**
 * Binds the metrics HTTP server for `serve` and `replay --serve`. A bind failure
 * (port taken, bad address) becomes one clear {@linkcode RunError} naming the
 * address and the settings that change it.
 */
export async function listenMetrics(runtime: Runtime, options: ListenOptions): Promise<HttpServer> {
  const { bind, port, handler, tls } = options;
  try {
    return await runtime.serve({ hostname: bind, port, handler, ...(tls && { tls }) });
  } catch (error) {
    throw new RunError(
      `Cannot listen on ${bind}:${port}: ${errorMessage(error)} ` +
        `(set METRICS_PORT / --port or METRICS_BIND_IP / --bind)`,
    );
  }
}
