/**
 * `--from`: where `tail` starts reading each partition, and how that position
 * turns into an offset once the partition's watermarks are known.
 * @module
 */

import { UsageError } from "../errors.ts";

/** A parsed `--from` value. */
export type StartPosition =
  | { kind: "beginning" }
  | { kind: "end" }
  /** The same offset in every partition. */
  | { kind: "offset"; offset: bigint }
  /** The last `count` records of every partition. */
  | { kind: "last"; count: bigint }
  /** The first record at or after `ms` (ms since epoch) in every partition. */
  | { kind: "timestamp"; ms: number };

/** The offsets a partition holds: `low` is the first, `high` the next to be written. */
export interface PartitionRange {
  partition: number;
  low: bigint;
  high: bigint;
}

const BEGINNING = ["beginning", "start", "earliest", "oldest"];
const END = ["end", "latest", "newest"];

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** What `--from` accepts, for error messages and help. */
export const FROM_EXPECTED = "expected beginning, end, an offset (e.g. 42), -N for the last N " +
  "records of each partition, or a timestamp: RFC 3339 (e.g. 2026-01-01T00:00:00Z) or " +
  "@<epoch ms> (e.g. @1767225600000)";

/**
 * Parses a `--from` value: `beginning` (or start, earliest, oldest), `end` (or
 * latest, newest), an offset `N`, `-N` (the last N records of each partition),
 * an RFC 3339 timestamp, or `@<epoch ms>` / `@<RFC 3339>`. A bare number is
 * always an offset: epoch milliseconds need the `@`, as in rpk.
 */
export function parseStartPosition(raw: string, options: { source: string }): StartPosition {
  const value = raw.trim();
  const bad = () => new UsageError(`Invalid ${options.source} '${raw}': ${FROM_EXPECTED}`);
  const lower = value.toLowerCase();
  if (BEGINNING.includes(lower)) return { kind: "beginning" };
  if (END.includes(lower)) return { kind: "end" };
  if (/^\d+$/.test(value)) return { kind: "offset", offset: BigInt(value) };
  if (/^-\d+$/.test(value)) {
    const count = BigInt(value.slice(1));
    if (count === 0n) throw bad();
    return { kind: "last", count };
  }
  const stamp = value.startsWith("@") ? value.slice(1) : value;
  if (value.startsWith("@") && /^\d+$/.test(stamp)) {
    const ms = Number(stamp);
    if (!Number.isSafeInteger(ms) || Number.isNaN(new Date(ms).getTime())) throw bad();
    return { kind: "timestamp", ms };
  }
  const ms = parseRfc3339(stamp);
  if (ms === undefined) throw bad();
  return { kind: "timestamp", ms };
}

/** Parses an RFC 3339 date-time to ms since epoch, or undefined if it is not one. */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.parse(text.replace(" ", "T").toUpperCase());
  return Number.isNaN(ms) ? undefined : ms;
}

/** The position in words, for the start-up log line. */
export function describeStartPosition(position: StartPosition): string {
  switch (position.kind) {
    case "beginning":
    case "end":
      return position.kind;
    case "offset":
      return `offset ${position.offset}`;
    case "last":
      return `last ${position.count}`;
    case "timestamp":
      return new Date(position.ms).toISOString();
  }
}

/** Start offsets per partition, and the partitions whose asked-for offset was out of range. */
export interface StartOffsets {
  offsets: Map<number, bigint>;
  /** Partitions where an explicit offset fell outside [low, high] and was clamped. */
  clamped: PartitionRange[];
}

/**
 * The offset to start each partition at, always within [low, high]. A
 * timestamp needs `timestampOffsets`: per partition, the first offset at or
 * after it (what the broker's ListOffsets answers; the end when none is).
 */
export function startOffsets(
  position: StartPosition,
  ranges: readonly PartitionRange[],
  options: { timestampOffsets?: ReadonlyMap<number, bigint> } = {},
): StartOffsets {
  const offsets = new Map<number, bigint>();
  const clamped: PartitionRange[] = [];
  for (const range of ranges) {
    const { partition, low, high } = range;
    let offset: bigint;
    switch (position.kind) {
      case "beginning":
        offset = low;
        break;
      case "end":
        offset = high;
        break;
      case "offset":
        offset = position.offset;
        if (offset < low || offset > high) clamped.push(range);
        break;
      case "last":
        offset = high - position.count;
        break;
      case "timestamp": {
        const found = options.timestampOffsets?.get(partition);
        if (found === undefined) {
          throw new Error(`startOffsets(): no timestamp offset for partition ${partition}`);
        }
        offset = found < 0n ? high : found;
        break;
      }
    }
    offsets.set(partition, offset < low ? low : offset > high ? high : offset);
  }
  return { offsets, clamped };
}
