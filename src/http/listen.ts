import { errorMessage, RunError } from "../errors.ts";
import { formatListenAddress, type ListenAddress } from "../config/metrics_listen.ts";
import type { Handler, HttpServer, Runtime, ServeOptions } from "../runtime/mod.ts";
import { guardRequests } from "./request_guard.ts";

/** Options for {@linkcode listenMetrics}. */
export interface ListenOptions {
  /** One listener each (`--web.listen-address`, or `--port`/`--bind`). */
  addresses: ListenAddress[];
  handler: Handler;
  tls?: ServeOptions["tls"];
  /** Open connections per listener (`--web.max-connections`); absent or 0: no limit. */
  maxConnections?: number;
}

/** Default of `--web.max-connections`: far above any scraper fleet, far below a flood's. */
export const DEFAULT_MAX_CONNECTIONS = 512;

/** The listeners of the metrics server, stopped together. */
export interface MetricsServers {
  /** In the order of the addresses; `port` is the one actually bound. */
  servers: HttpServer[];
  shutdown(): Promise<void>;
}

/**
 * Binds the metrics HTTP server for `serve` and `replay --serve`, once per address. A bind
 * failure (port taken, bad address) closes the listeners already bound and becomes one clear
 * {@linkcode RunError} naming the address and the settings that change it. Every request passes
 * `guardRequests` first (method, sizes).
 */
export async function listenMetrics(
  runtime: Runtime,
  options: ListenOptions,
): Promise<MetricsServers> {
  const { tls } = options;
  const handler = guardRequests(options.handler);
  const servers: HttpServer[] = [];
  const shutdown = async () => {
    await Promise.all(servers.map((server) => server.shutdown()));
  };
  for (const address of options.addresses) {
    try {
      servers.push(
        await runtime.serve({
          hostname: address.bind,
          port: address.port,
          handler,
          ...(tls && { tls }),
          ...(options.maxConnections && { maxConnections: options.maxConnections }),
        }),
      );
    } catch (error) {
      await shutdown();
      throw new RunError(
        `Cannot listen on ${formatListenAddress(address)}: ${errorMessage(error)} ` +
          `(set METRICS_PORT / --port or METRICS_BIND_IP / --bind, or --web.listen-address)`,
      );
    }
  }
  return { servers, shutdown };
}
