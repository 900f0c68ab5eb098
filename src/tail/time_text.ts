/**
 * Timestamps and durations as `tail` prints them.
 * @module
 */

/** RFC 3339 UTC with millisecond precision, e.g. `2026-01-01T00:00:00.000Z`. */
export function isoFromMs(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

/**
 * RFC 3339 UTC with microsecond precision, e.g. `2026-01-01T00:00:00.000123Z`,
 * or "" for 0 (not set) and for values outside the representable range.
 */
export function isoFromMicros(us: bigint): string {
  if (us === 0n) return "";
  const ms = us / 1000n;
  const micros = ((us % 1000n) + 1000n) % 1000n;
  const floorMs = us < 0n && micros !== 0n ? ms - 1n : ms;
  const date = new Date(Number(floorMs));
  if (Number.isNaN(date.getTime())) return "";
  return date.toISOString().replace("Z", `${micros.toString().padStart(3, "0")}Z`);
}

/** A duration in µs, short: `850µs`, `184.25ms`, `1.83s`. */
export function durationText(us: bigint): string {
  const n = Number(us);
  if (Math.abs(n) < 1000) return `${n}µs`;
  if (Math.abs(n) < 10_000_000) return `${round(n / 1000, 2)}ms`;
  return `${round(n / 1_000_000, 2)}s`;
}

/** A duration in ms, short: `850ms`, `2.06s`. */
export function millisText(ms: number | bigint): string {
  const n = Number(ms);
  return Math.abs(n) < 10_000 ? `${n}ms` : `${round(n / 1000, 2)}s`;
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
