/**
 * Durations on the command line: `500ms`, `10s`, `2m`, `1m30s`, or a bare number of seconds.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Parses a duration into milliseconds; throws {@link UsageError} naming `source`. */
export function parseDuration(raw: string, options: { source: string }): number {
  const text = raw.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const match = PART.exec(text);
    if (match === null) {
      throw new UsageError(
        `Invalid ${options.source} '${raw}': expected a duration such as 500ms, 10s, 2m or 1m30s`,
      );
    }
    total += Number(match[1]) * UNIT_MS[match[2]];
    pos = PART.lastIndex;
  }
  if (text === "") {
    throw new UsageError(`Invalid ${options.source} '${raw}': expected a duration such as 10s`);
  }
  return total;
}

/** Formats milliseconds for messages: `250 ms`, `1.5 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
