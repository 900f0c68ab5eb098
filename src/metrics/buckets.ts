/**
 * Histogram bucket and session-timeout configuration read from an env record. Pure: the
 * caller passes the environment in and decides where warnings go (stderr in the exporter).
 *
 * @module
 */

import {
  BUCKET_ENV_VARS,
  type BucketKey,
  DEFAULT_BUCKETS,
  DEFAULT_SESSION_TIMEOUT_SECS,
  SESSION_TIMEOUT_ENV_VAR,
} from "./catalog.ts";
import { UsageError } from "../errors.ts";

/** Receives one human-readable warning about a bad configuration value. */
export type WarnFn = (message: string) => void;

/** Options for {@link parseBuckets}. */
export interface ParseBucketsOptions {
  /** Name of the env var the value came from, used in the warning. */
  name: string;
  /** Called once when the value is rejected; the defaults are used instead. */
  warn?: WarnFn;
}

/** Bounds for every histogram bucket set. */
export type BucketConfig = Record<BucketKey, number[]>;

/** Everything the metrics core reads from the environment. */
export interface MetricsConfig {
  /** Histogram bounds per bucket set. */
  buckets: BucketConfig;
  /** Idle time in seconds after which a session's max turn is observed. */
  sessionTimeoutSecs: number;
}

/** Options for {@link readMetricsConfig}. */
export interface ReadMetricsConfigOptions {
  /** Called once per rejected value. */
  warn?: WarnFn;
}

// A decimal number as Rust's f64 parser reads it: unlike JS Number(), no hex, binary or
// empty-string-is-zero. Its words for infinity and NaN are matched apart.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

function describe(raw: string): string {
  return JSON.stringify(raw);
}

/** One bound as the original reads it (`1e999` and `inf` are +Inf), or undefined. */
function parseBound(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const special = SPECIAL.exec(text);
  if (!special) return undefined;
  if (special[2].toLowerCase() === "nan") return NaN;
  return special[1] === "-" ? -Infinity : Infinity;
}

/**
 * Parse a comma-separated list of histogram bounds, e.g. `"10,50,100"`, as the original does.
 *
 * `undefined` (variable not set) gives a copy of `defaults` silently. An empty value or an
 * element that is not a number gives a copy of `defaults` and one call to `options.warn` naming
 * the variable, the bad value, the default used and how to fix it (the original warns and falls
 * back too). A last bound of `inf` (`+Inf`, any case, or a number too large for a double) is
 * dropped: every histogram has the +Inf bucket. Bounds that are not strictly increasing, NaN and
 * -Inf throw a {@linkcode UsageError} (the original exits on the first, with status 1).
 * Whitespace around elements is allowed.
 */
export function parseBuckets(
  raw: string | undefined,
  defaults: readonly number[],
  options: ParseBucketsOptions,
): number[] {
  if (raw === undefined) return [...defaults];
  const reject = (reason: string): number[] => {
    options.warn?.(
      `${options.name}=${describe(raw)} is not a valid bucket list (${reason}); ` +
        `using the default ${defaults.join(",")}. Set it to comma-separated, strictly ` +
        `increasing numbers, e.g. ${describe(defaults.join(","))}, or unset it.`,
    );
    return [...defaults];
  };
  const fatal = (reason: string) =>
    new UsageError(
      `Invalid ${options.name} ${describe(raw)}: ${reason}; expected comma-separated, strictly ` +
        `increasing numbers, optionally ending in inf (e.g. ${describe(defaults.join(","))})`,
    );
  if (raw.trim() === "") return reject("it is empty");
  const bounds: number[] = [];
  for (const part of raw.split(",")) {
    const text = part.trim();
    const value = parseBound(text);
    if (value === undefined) return reject(`${describe(text)} is not a number`);
    bounds.push(value);
  }
  for (let i = 1; i < bounds.length; i++) {
    if (!(bounds[i] > bounds[i - 1]) && !Number.isNaN(bounds[i]) && !Number.isNaN(bounds[i - 1])) {
      throw fatal(`${bounds[i]} does not increase on ${bounds[i - 1]}`);
    }
  }
  if (bounds.some(Number.isNaN)) throw fatal("NaN is no bucket bound");
  if (bounds[0] === -Infinity) throw fatal("-inf is no bucket bound");
  if (bounds[bounds.length - 1] === Infinity) bounds.pop();
  return bounds;
}

/**
 * Parse the session idle timeout in whole seconds, as the original reads it: a whole number,
 * `0` included (a session is observed at the first sweep after its last event), an optional
 * leading `+`. Unset or blank gives the default; anything else throws a {@linkcode UsageError}
 * (the original silently used 300).
 */
export function parseSessionTimeoutSecs(
  raw: string | undefined,
  options: ParseBucketsOptions,
): number {
  const text = raw?.trim() ?? "";
  if (text === "") return DEFAULT_SESSION_TIMEOUT_SECS;
  const value = /^\+?\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(value)) return value;
  throw new UsageError(
    `Invalid ${options.name} ${
      describe(raw ?? "")
    }: expected a whole number of seconds, 0 or more ` +
      `(e.g. 300), or unset it`,
  );
}

/**
 * Read all bucket overrides (`PROMETHEUS_*_BUCKETS*`) and `PROMETHEUS_SESSION_TIMEOUT_SECS` from
 * `env`. A bucket list that does not parse falls back to its default, one warning each; a bad
 * order or a bad timeout throws a {@linkcode UsageError} (see {@linkcode parseBuckets}).
 */
export function readMetricsConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: ReadMetricsConfigOptions = {},
): MetricsConfig {
  const buckets = {} as BucketConfig;
  for (const key of Object.keys(BUCKET_ENV_VARS) as BucketKey[]) {
    const name = BUCKET_ENV_VARS[key];
    buckets[key] = parseBuckets(env[name], DEFAULT_BUCKETS[key], { name, warn: options.warn });
  }
  const sessionTimeoutSecs = parseSessionTimeoutSecs(env[SESSION_TIMEOUT_ENV_VAR], {
    name: SESSION_TIMEOUT_ENV_VAR,
    warn: options.warn,
  });
  return { buckets, sessionTimeoutSecs };
}

/** A fresh copy of every default bucket set. */
export function defaultBuckets(): BucketConfig {
  const buckets = {} as BucketConfig;
  for (const key of Object.keys(DEFAULT_BUCKETS) as BucketKey[]) {
    buckets[key] = [...DEFAULT_BUCKETS[key]];
  }
  return buckets;
}
