/**
 * Number syntax of the two exposition formats. The text format takes what Prometheus' Go
 * parser takes (decimal floats, `Inf`/`Infinity`/`NaN` in any case); OpenMetrics 1.0 is
 * stricter (infinities need a sign). Hex floats and `_` digit separators are rejected by both,
 * as `promtool check metrics` does.
 *
 * @module
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TEXT_SPECIAL = /^(?:[+-]?inf(?:inity)?|nan)$/i;
const OM_SPECIAL = /^(?:[+-]inf(?:inity)?|nan)$/i;

function special(token: string): number {
  const lower = token.toLowerCase();
  if (lower === "nan") return NaN;
  return lower.startsWith("-") ? -Infinity : Infinity;
}

/** A text-format (0.0.4) sample value, or `undefined` if `token` is not one. */
export function parseTextValue(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  if (TEXT_SPECIAL.test(token)) return special(token);
  return undefined;
}

/** An OpenMetrics 1.0 number, or `undefined` if `token` is not one. */
export function parseOpenMetricsValue(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  if (OM_SPECIAL.test(token)) return special(token);
  return undefined;
}

/** A text-format timestamp: an integer of milliseconds. */
export function parseTextTimestamp(token: string): number | undefined {
  return /^[+-]?\d+$/.test(token) ? Number(token) : undefined;
}

/** An OpenMetrics timestamp: a finite decimal number of seconds. */
export function parseOpenMetricsTimestamp(token: string): number | undefined {
  return DECIMAL.test(token) ? Number(token) : undefined;
}

/** Formats a number as the exposition formats write it (`+Inf`, `-Inf`, `NaN`, else decimal). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
