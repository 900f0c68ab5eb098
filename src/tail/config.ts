/**
 * `tail` flags → validated settings. Bad values fail at start with a usage
 * error naming the flag, the value and what is expected.
 * @module
 */

import { type KafkaFlags, resolveKafkaConfig } from "../config/kafka_config.ts";
import { parseChoice, parsePositiveInt } from "../config/parse.ts";
import { UsageError } from "../errors.ts";
import { parseByteSize } from "../config/byte_size.ts";
import { resolveMaxPayloadBytes } from "../config/max_payload.ts";
import { resolveTopic } from "../config/topic.ts";
import { COLOR_MODES, type ColorMode } from "./colors.ts";
import { parsePatterns, parseTypeFilter, type TailFilters } from "./filters.ts";
import { parseStartPosition, type StartPosition } from "./position.ts";
import type { KafkaConfig } from "../kafka/settings.ts";

/** `tail` flags as parsed from the command line. */
export interface TailFlags extends KafkaFlags {
  topic?: string;
  from?: string;
  partition?: string;
  limit?: string;
  exitAtEnd?: boolean;
  format?: string;
  color?: string;
  output?: string;
  quiet?: boolean;
  type?: string;
  scope?: string;
  thread?: string;
  session?: string;
  model?: string;
  group?: string;
  maxPayloadBytes?: string;
  maxLineBytes?: string;
}

/** `--format` values; `auto` is pretty on a terminal, json otherwise. */
export const FORMATS = ["auto", "pretty", "json"] as const;

/** An output format. */
export type TailFormat = (typeof FORMATS)[number];

/** Validated `tail` settings. */
export interface TailConfig {
  kafka: KafkaConfig;
  topic: string;
  from: StartPosition;
  /** Partitions to read; all when undefined. */
  partitions?: number[];
  limit?: number;
  exitAtEnd: boolean;
  format: TailFormat;
  color: ColorMode;
  /** `--output FILE`: raw record values, size-delimited. */
  output?: string;
  /** No record lines on stdout. */
  quiet: boolean;
  filters: TailFilters;
  /** Opt-in consumer group; undefined means a private group that never commits. */
  groupId?: string;
  maxPayloadBytes: number;
  /** `--max-line-bytes`: a record whose line would be longer is shown by its header only. */
  maxLineBytes: number;
}

/**
 * Default `--max-line-bytes`: 16 MiB, room for the JSON of any record of the default 10 MiB
 * payload limit that is mostly data, while one of millions of empty messages (a 600 MB line)
 * is shown truncated instead of held in memory.
 */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Resolves `tail` settings. Note what is NOT read: `KAFKA_GROUP_ID`. That is
 * the exporter's group, and tailing must never join it or move its offsets;
 * only an explicit `--group` opts in to a group.
 */
export function resolveTailConfig(
  flags: TailFlags,
  env: Record<string, string | undefined>,
): TailConfig {
  const from = flags.from === undefined
    ? { kind: "end" as const }
    : parseStartPosition(flags.from, { source: "--from" });
  const groupId = flags.group?.trim();
  if (groupId !== undefined) {
    if (groupId === "") {
      throw new UsageError(`Invalid --group '${flags.group}': expected a consumer group id`);
    }
    if (from.kind !== "beginning" && from.kind !== "end") {
      throw new UsageError(
        `Invalid --from '${flags.from}' with --group: a group resumes from its committed ` +
          "offsets, so only beginning or end (for partitions without one) apply; drop --group " +
          "to start anywhere",
      );
    }
    if (flags.partition !== undefined) {
      throw new UsageError(
        `Invalid --partition '${flags.partition}' with --group: the group assigns partitions; ` +
          "drop one of them",
      );
    }
  }
  const threads = [flags.thread, flags.session].filter((v) => v !== undefined).join(",");
  const filters: TailFilters = {};
  if (flags.type !== undefined) filters.types = parseTypeFilter(flags.type, { source: "--type" });
  if (flags.scope !== undefined) {
    filters.scopes = parsePatterns(flags.scope, { source: "--scope" });
  }
  if (flags.thread !== undefined || flags.session !== undefined) {
    filters.threads = parsePatterns(threads, {
      source: flags.thread !== undefined ? "--thread" : "--session",
    });
  }
  if (flags.model !== undefined) {
    filters.models = parsePatterns(flags.model, { source: "--model", ignoreCase: true });
  }
  if (flags.output !== undefined && flags.output.trim() === "") {
    throw new UsageError(`Invalid --output '${flags.output}': expected a file path`);
  }
  return {
    kafka: resolveKafkaConfig(flags, env),
    topic: resolveTopic(flags, env),
    from,
    partitions: flags.partition === undefined ? undefined : parsePartitions(flags.partition),
    limit: flags.limit === undefined
      ? undefined
      : parsePositiveInt(flags.limit, { source: "--limit", example: "100" }),
    exitAtEnd: flags.exitAtEnd ?? false,
    format: parseChoice(flags.format ?? "auto", FORMATS, { source: "--format" }),
    color: parseChoice(flags.color ?? "auto", COLOR_MODES, { source: "--color" }),
    output: flags.output,
    quiet: flags.quiet ?? false,
    filters,
    groupId,
    maxPayloadBytes: resolveMaxPayloadBytes(flags, env),
    maxLineBytes: flags.maxLineBytes === undefined
      ? DEFAULT_MAX_LINE_BYTES
      : parseMaxLineBytes(flags.maxLineBytes),
  };
}

function parseMaxLineBytes(raw: string): number {
  const bytes = parseByteSize(raw, { source: "--max-line-bytes" });
  if (bytes < 1024) {
    throw new UsageError(
      `Invalid --max-line-bytes '${raw}': at least 1Ki is needed for a record's coordinates`,
    );
  }
  return bytes;
}

/** Parses `--partition`: `0`, `0,2` or ranges such as `0-3,7`; sorted, without duplicates. */
export function parsePartitions(raw: string): number[] {
  const out = new Set<number>();
  const bad = () =>
    new UsageError(
      `Invalid --partition '${raw}': expected partition numbers, comma-separated, ranges allowed ` +
        "(e.g. 0 or 0,2 or 0-3)",
    );
  const items = raw.split(",").map((item) => item.trim());
  if (items.every((item) => item === "")) throw bad();
  for (const item of items) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (match === null) throw bad();
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first || last > 1_000_000) throw bad();
    for (let p = first; p <= last; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}
