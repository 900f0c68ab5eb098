/**
 * `replay` flags and env vars, validated into one configuration.
 * @module
 */

import { type KafkaFlags, resolveKafkaConfig } from "../config/kafka_config.ts";
import { type NativeHistogramFlags, resolveNativeHistograms } from "../config/native_histograms.ts";
import type { NativeHistogramSettings } from "../metrics/native_buckets.ts";
import { parseByteSize } from "../config/byte_size.ts";
import { resolveMaxPayloadBytes } from "../config/max_payload.ts";
import {
  type MetricsListen,
  type MetricsListenFlags,
  resolveMetricsListen,
} from "../config/metrics_listen.ts";
import { parseChoice, parsePositiveInt, parseTopic } from "../config/parse.ts";
import { KAFKA_SECURITY_SETTINGS, SETTINGS } from "../config/settings.ts";
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
  for (const setting of SERVE_ONLY) requireMode(flags[setting.key], setting.flag, mode, "serve");
  for (const setting of KAFKA_ONLY) requireMode(flags[setting.key], setting.flag, mode, "kafka");
  requireMode(flags.createTopic ? "yes" : undefined, "--create-topic", mode, "kafka");
  if (flags.partitions !== undefined && !flags.createTopic) {
    throw new UsageError(
      "--partitions applies to --create-topic only; add --create-topic or drop --partitions",
    );
  }
  for (const setting of KAFKA_SECURITY_SETTINGS) {
    requireMode(flags[setting.key], setting.flag, mode, "kafka");
  }

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
        `--to-kafka needs ${topic.flag} T, the topic to produce to (${topic.env} is not used, ` +
          `so a replay never lands in the live topic by accident)`,
      );
    }
    config.kafka = {
      connection: resolveKafkaConfig(flags, env),
      topic: parseTopic(flags.topic, { source: topic.flag }),
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

// The settings of one output only: naming one without choosing its output is a usage error.
const { port, bind, webListenAddress, webTelemetryPath, topic, brokers, addressFamily } = SETTINGS;
const SERVE_ONLY = [port, bind, webListenAddress, webTelemetryPath];
const KAFKA_ONLY = [topic, brokers, addressFamily];

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
