import { type KafkaFlags, resolveKafkaConfig } from "../config/kafka_config.ts";
import { resolveMaxPayloadBytes } from "../config/max_payload.ts";
import {
  type MetricsListen,
  type MetricsListenFlags,
  resolveMetricsListen,
} from "../config/metrics_listen.ts";
import { type NativeHistogramFlags, resolveNativeHistograms } from "../config/native_histograms.ts";
import { parseChoice, parsePositiveInt, pick } from "../config/parse.ts";
import { SETTINGS } from "../config/settings.ts";
import type { NativeHistogramSettings } from "../metrics/native_buckets.ts";
import { resolveTopic } from "../config/topic.ts";
import type { KafkaConfig } from "../kafka/settings.ts";
import { DEFAULT_MAX_REQUESTS } from "../http/request_guard.ts";
import { DEFAULT_MAX_CONNECTIONS } from "../http/listen.ts";

/** `serve` flags as parsed from the command line (all optional strings). */
export interface ServeFlags extends KafkaFlags, MetricsListenFlags, NativeHistogramFlags {
  topic?: string;
  group?: string;
  autoOffsetReset?: string;
  maxPayloadBytes?: string;
  lagInterval?: string;
  /** `--web.config.file`: TLS and basic auth for the HTTP server. */
  webConfigFile?: string;
  /** `--max-memory`: the memory budget (else DASHFLOW_EXPORTER_MAX_MEMORY, else the cgroup's). */
  maxMemory?: string;
  /** `--web.max-requests`: HTTP requests handled at once (else METRICS_MAX_REQUESTS). */
  webMaxRequests?: string;
  /** `--web.max-connections`: open HTTP connections per listener (else METRICS_MAX_CONNECTIONS). */
  webMaxConnections?: string;
}

/** Validated `serve` configuration. */
export interface ServeConfig extends MetricsListen {
  kafka: KafkaConfig;
  topic: string;
  groupId: string;
  autoOffsetReset: "earliest" | "latest";
  maxPayloadBytes: number;
  lagIntervalMs: number;
  /** Native buckets beside the classic ones (docs/semantics.md, "Rule: native histogram buckets"). */
  nativeHistograms: NativeHistogramSettings;
  /** Web config file (exporter-toolkit format), loaded by `loadWebConfig`. */
  webConfigFile?: { path: string; source: string };
  /** HTTP requests handled at once, probes excepted; 0: no limit. */
  maxRequests: number;
  /** Open HTTP connections per listener; 0: no limit. */
  maxConnections: number;
}

/** Defaults of the original exporter; changing one breaks drop-in compatibility. */
export const SERVE_DEFAULTS = {
  groupId: "prometheus-exporter",
  autoOffsetReset: "earliest",
  lagIntervalSecs: "10",
} as const;

/**
 * Resolves `serve` settings from flags, then the original's env vars, then its
 * defaults, validating each so a bad value fails at start with a clear message.
 */
export function resolveServeConfig(
  flags: ServeFlags,
  env: Record<string, string | undefined>,
): ServeConfig {
  const topic = resolveTopic(flags, env);
  const from = { flags, env };
  const groupId = pick(SETTINGS.group, from)?.raw.trim() || SERVE_DEFAULTS.groupId;
  const reset = pick(SETTINGS.autoOffsetReset, from);
  const lag = pick(SETTINGS.lagInterval, from);
  const webConfig = pick(SETTINGS.webConfigFile, from);
  const maxRequests = pick(SETTINGS.webMaxRequests, from);
  const maxConnections = pick(SETTINGS.webMaxConnections, from);
  const config: ServeConfig = {
    kafka: resolveKafkaConfig(flags, env),
    topic,
    groupId,
    autoOffsetReset: parseChoice(reset?.raw ?? SERVE_DEFAULTS.autoOffsetReset, [
      "earliest",
      "latest",
    ], { source: reset?.source ?? SETTINGS.autoOffsetReset.env }),
    ...resolveMetricsListen(flags, env),
    maxPayloadBytes: resolveMaxPayloadBytes(flags, env),
    nativeHistograms: resolveNativeHistograms(flags, env),
    lagIntervalMs: 1000 * parsePositiveInt(lag?.raw ?? SERVE_DEFAULTS.lagIntervalSecs, {
      source: lag?.source ?? SETTINGS.lagInterval.env,
      example: "10",
    }),
    // 0 turns a limit off, as with node_exporter's --web.max-requests.
    maxRequests: limitOrOff(maxRequests, DEFAULT_MAX_REQUESTS),
    maxConnections: limitOrOff(maxConnections, DEFAULT_MAX_CONNECTIONS),
  };
  if (webConfig) config.webConfigFile = { path: webConfig.raw.trim(), source: webConfig.source };
  return config;
}

/** A limit setting: unset gives `fallback`, `0` turns the limit off, else a positive integer. */
function limitOrOff(picked: ReturnType<typeof pick>, fallback: number): number {
  if (picked === undefined) return fallback;
  if (picked.raw.trim() === "0") return 0;
  return parsePositiveInt(picked.raw, { source: picked.source, example: String(fallback) });
}
