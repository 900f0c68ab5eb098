import { parseBindAddress, parsePort, pick } from "./parse.ts";

/** Where /metrics listens by default, as in the original exporter. */
export const METRICS_LISTEN_DEFAULTS = { port: "9190", bind: "0.0.0.0" } as const;

/** Validated address of the /metrics server. */
export interface MetricsListen {
  bind: string;
  /** 0: any free port. */
  port: number;
}

/**
 * Resolves where /metrics listens (`serve`, `replay --serve`): `--port` and `--bind`, else
 * `METRICS_PORT` and `METRICS_BIND_IP`, else the defaults. The port is checked first.
 */
export function resolveMetricsListen(
  flags: { port?: string; bind?: string },
  env: Record<string, string | undefined>,
): MetricsListen {
  const port = pick(flags.port, "--port", env, "METRICS_PORT");
  const bind = pick(flags.bind, "--bind", env, "METRICS_BIND_IP");
  return {
    port: parsePort(port?.raw ?? METRICS_LISTEN_DEFAULTS.port, {
      source: port?.source ?? "METRICS_PORT",
      allowZero: true,
    }),
    bind: parseBindAddress(bind?.raw ?? METRICS_LISTEN_DEFAULTS.bind, {
      source: bind?.source ?? "METRICS_BIND_IP",
    }),
  };
}
