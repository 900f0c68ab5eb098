/**
 * `replay` flags and env vars, validated into one configuration.
 * @module
 */

import { type KafkaFlags, resolveKafkaConfig } from "../config/kafka_config.ts";
import { type NativeHistogramFlags, resolveNativeHistograms } from "../config/native_histograms.ts";
import type { NativeHistogramSettings } from "../metrics/native_buckets.ts";
import type { KafkaSecurityFlags } from "../config/kafka_security.ts";
import { parseByteSize } from "../config/byte_size.ts";
import { resolveMaxPayloadBytes } from "../config/max_payload.ts";
import {
  type MetricsListen,
  type MetricsListenFlags,
  resolveMetricsListen,
} from "../config/metrics_listen.ts";
import { parseChoice, parsePositiveInt, parseTopic } from "../config/parse.ts";
import { UsageError } from "../errors.ts";
import { FORMAT_CHOICES, type InputFormat } from "./format.ts";
import type { KafkaConfig } from "../kafka/settings.ts";

/** `replay` flags as parsed from the command line. */
export interface ReplayFlags extends KafkaFlags, MetricsListenFlags, NativeHistogramFlags {
  format?: string;
  serve?: boolean;
  toKafka?: boolean;
  topic?: string;
  rate?: string;
  skipBad?: boolean;
  maxPayloadBytes?: string;
  maxInputBytes?: string;
  createTopic?: boolean;
  partitions?: string;
}

/** Where the records go: printed exposition, served exposition, or a Kafka topic. */
export type ReplayMode = "print" | "serve" | "kafka";

/** Validated `replay` configuration. */
export interface ReplayConfig {
  mode: ReplayMode;
  /** `auto` detects the format from the content. */
  format: InputFormat | "auto";
  skipBad: boolean;
  /** `--rate`, records per second; undefined: as fast as possible. */
  ratePerSecond: number | undefined;
  maxPayloadBytes: number;
  /** Native buckets beside the classic ones (docs/semantics.md, "Rule: native histogram buckets"). */
  nativeHistograms: NativeHistogramSettings;
  /** `--max-input-bytes`: the most read from stdin or a gzip file; undefined: the default. */
  maxInputBytes?: number;
  /** For `--serve`. */
  http?: MetricsListen;
  /**
   * For `--to-kafka`. `createTopic` (`--create-topic`): create the topic when missing, with
   * `partitions` (`--partitions`) or the broker's default.
   */
  kafka?: { connection: KafkaConfig; topic: string; createTopic: boolean; partitions?: number };
}

/**
 * Resolves `replay` settings. Flags that belong to another mode are usage
 * errors rather than silently ignored; env vars of a mode not chosen are
 * not read (so KAFKA_SECURITY_PROTOCOL and the like only with --to-kafka). `--to-kafka` needs an explicit `--topic`: `KAFKA_TOPIC` (usually
 * the live topic) is deliberately not a fallback.
 */
export function resolveReplayConfig(
  flags: ReplayFlags,
  env: Record<string, string | undefined>,
): ReplayConfig {
  if (flags.serve && flags.toKafka) {
    throw new UsageError(
      "--serve and --to-kafka cannot be combined: replay into the metrics core (printed, or " +
        "served with --serve) or into Kafka (--to-kafka --topic T)",
    );
  }
  const mode: ReplayMode = flags.serve ? "serve" : flags.toKafka ? "kafka" : "print";
  requireMode(flags.port, "--port", mode, "serve");
  requireMode(flags.bind, "--bind", mode, "serve");
  requireMode(flags.webListenAddress, "--web.listen-address", mode, "serve");
  requireMode(flags.webTelemetryPath, "--web.telemetry-path", mode, "serve");
  requireMode(flags.topic, "--topic", mode, "kafka");
  requireMode(flags.brokers, "--brokers", mode, "kafka");
  requireMode(flags.addressFamily, "--address-family", mode, "kafka");
  requireMode(flags.createTopic ? "yes" : undefined, "--create-topic", mode, "kafka");
  if (flags.partitions !== undefined && !flags.createTopic) {
    throw new UsageError(
      "--partitions applies to --create-topic only; add --create-topic or drop --partitions",
    );
  }
  for (const [key, flag] of SECURITY_FLAGS) requireMode(flags[key], flag, mode, "kafka");

  const config: ReplayConfig = {
    mode,
    format: parseChoice(flags.format ?? "auto", FORMAT_CHOICES, { source: "--format" }),
    skipBad: flags.skipBad === true,
    ratePerSecond: flags.rate === undefined ? undefined : parseRate(flags.rate),
    maxPayloadBytes: resolveMaxPayloadBytes(flags, env),
    nativeHistograms: resolveNativeHistograms(flags, env),
  };
  if (flags.maxInputBytes !== undefined) {
    config.maxInputBytes = parseByteSize(flags.maxInputBytes, { source: "--max-input-bytes" });
  }
  if (mode === "serve") config.http = resolveMetricsListen(flags, env);
  if (mode === "kafka") {
    if (flags.topic === undefined) {
      throw new UsageError(
        "--to-kafka needs --topic T, the topic to produce to (KAFKA_TOPIC is not used, so a " +
          "replay never lands in the live topic by accident)",
      );
    }
    config.kafka = {
      connection: resolveKafkaConfig(flags, env),
      topic: parseTopic(flags.topic, { source: "--topic" }),
      createTopic: flags.createTopic === true,
    };
    if (flags.partitions !== undefined) {
      config.kafka.partitions = parsePositiveInt(flags.partitions, {
        source: "--partitions",
        example: "3",
      });
    }
  }
  return config;
}

// The TLS/SASL flags (src/cli/shared_options.ts), which only --to-kafka uses.
const SECURITY_FLAGS: [keyof KafkaSecurityFlags, string][] = [
  ["securityProtocol", "--security-protocol"],
  ["saslMechanism", "--sasl-mechanism"],
  ["saslUsername", "--sasl-username"],
  ["saslPasswordFile", "--sasl-password-file"],
  ["saslOauthbearerTokenFile", "--sasl-oauthbearer-token-file"],
  ["sslCa", "--ssl-ca"],
  ["sslCert", "--ssl-cert"],
  ["sslKey", "--ssl-key"],
  ["sslKeyPasswordFile", "--ssl-key-password-file"],
  ["sslEndpointAlgorithm", "--ssl-endpoint-algorithm"],
];

function requireMode(
  value: string | string[] | undefined,
  flag: string,
  mode: ReplayMode,
  needed: ReplayMode,
): void {
  if (value === undefined || mode === needed) return;
  const companion = needed === "serve" ? "--serve" : "--to-kafka";
  throw new UsageError(`${flag} applies to ${companion} only; add ${companion} or drop ${flag}`);
}

function parseRate(raw: string): number {
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0) || !Number.isFinite(value)) {
    throw new UsageError(
      `Invalid --rate '${raw}': expected records per second, a positive number (e.g. 500)`,
    );
  }
  return value;
}
