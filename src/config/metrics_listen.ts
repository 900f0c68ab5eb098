import { UsageError } from "../errors.ts";
import { parseBindAddress, parsePort, pick, type Source } from "./parse.ts";
import { SETTINGS } from "./settings.ts";

/** Where /metrics listens by default, as in the original exporter. */
export const METRICS_LISTEN_DEFAULTS = {
  port: "9190",
  bind: "0.0.0.0",
  telemetryPath: "/metrics",
} as const;

/** One address the metrics server listens on. */
export interface ListenAddress {
  bind: string;
  /** 0: any free port. */
  port: number;
}

/** Validated listeners and path of the metrics server. */
export interface MetricsListen {
  /** One listener each; never empty. */
  addresses: ListenAddress[];
  /** Where the exposition is served (`--web.telemetry-path`), `/metrics` by default. */
  telemetryPath: string;
}

/** The listening flags of `serve` and `replay --serve`. */
export interface MetricsListenFlags {
  port?: string;
  bind?: string;
  /** `--web.listen-address`, repeatable. */
  webListenAddress?: string[];
  /** `--web.telemetry-path`. */
  webTelemetryPath?: string;
}

/** Paths the handler serves itself; the exposition cannot take one of them. */
const RESERVED_PATHS = ["/", "/-/healthy", "/-/ready"];

/**
 * Resolves where /metrics listens (`serve`, `replay --serve`). `--web.listen-address`
 * (exporter-toolkit style, repeatable) replaces `--port`/`--bind` and the env vars
 * `METRICS_PORT`/`METRICS_BIND_IP` (flags win over env vars); giving it together with
 * `--port` or `--bind` is a usage error. Without it: `--port` and `--bind`, else
 * `METRICS_PORT` and `METRICS_BIND_IP`, else the defaults; the port is checked first.
 */
export function resolveMetricsListen(
  flags: MetricsListenFlags,
  env: Record<string, string | undefined>,
): MetricsListen {
  const telemetryPath = parseTelemetryPath(
    flags.webTelemetryPath ?? METRICS_LISTEN_DEFAULTS.telemetryPath,
    { source: SETTINGS.webTelemetryPath.flag },
  );
  const listenAddresses = flags.webListenAddress ?? [];
  if (listenAddresses.length > 0) {
    const { port, bind, webListenAddress: listen } = SETTINGS;
    const other = [port, bind].find((setting) => flags[setting.key] !== undefined)?.flag;
    if (other) {
      throw new UsageError(
        `${other} cannot be combined with ${listen.flag}: give host:port in ` +
          `${listen.flag} (e.g. ${listen.flag}=127.0.0.1:9190) or use ${port.flag}/${bind.flag}`,
      );
    }
    return {
      addresses: listenAddresses.map((raw) => parseListenAddress(raw, { source: listen.flag })),
      telemetryPath,
    };
  }
  const port = pick(SETTINGS.port, { flags, env });
  const bind = pick(SETTINGS.bind, { flags, env });
  return {
    addresses: [{
      port: parsePort(port?.raw ?? METRICS_LISTEN_DEFAULTS.port, {
        source: port?.source ?? SETTINGS.port.env,
        allowZero: true,
      }),
      bind: parseBindAddress(bind?.raw ?? METRICS_LISTEN_DEFAULTS.bind, {
        source: bind?.source ?? SETTINGS.bind.env,
      }),
    }],
    telemetryPath,
  };
}

/**
 * Parses an exporter-toolkit listen address: `:PORT` (every IPv4 interface, as the
 * default `METRICS_BIND_IP`), `HOST:PORT` (an IP address or localhost) or `[IPV6]:PORT`.
 */
export function parseListenAddress(raw: string, options: { source: Source }): ListenAddress {
  const value = raw.trim();
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s\[\]]*):(\d+)$/.exec(value);
  const fail = () =>
    new UsageError(
      `Invalid ${options.source} '${raw}': expected host:port (e.g. :9190, 127.0.0.1:9190 ` +
        `or [::1]:9190)`,
    );
  if (!match) throw fail();
  const host = match[1].startsWith("[") ? match[1].slice(1, -1) : match[1];
  if (match[1].startsWith("[") && !host.includes(":")) throw fail();
  try {
    return {
      bind: host === "" ? METRICS_LISTEN_DEFAULTS.bind : parseBindAddress(host, options),
      port: parsePort(match[2], { ...options, allowZero: true }),
    };
  } catch {
    throw fail();
  }
}

/** Parses `--web.telemetry-path`: an absolute URL path other than the handler's own. */
export function parseTelemetryPath(raw: string, options: { source: Source }): string {
  const value = raw.trim();
  if (!/^\/[^\s?#]*$/.test(value) || RESERVED_PATHS.includes(value)) {
    throw new UsageError(
      `Invalid ${options.source} '${raw}': expected a path starting with / other than ` +
        `${RESERVED_PATHS.join(", ")} (e.g. /metrics)`,
    );
  }
  return value;
}

/** `host:port` for messages and URLs, IPv6 hosts in brackets. */
export function formatListenAddress(address: ListenAddress, port = address.port): string {
  const host = address.bind.includes(":") ? `[${address.bind}]` : address.bind;
  return `${host}:${port}`;
}
