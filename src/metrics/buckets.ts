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

// A plain decimal number as Rust's f64 parser reads it, minus inf/nan (rejected anyway) and
// unlike JS Number(), no hex, binary or empty-string-is-zero.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function describe(raw: string): string {
  return JSON.stringify(raw);
}

/**
 * Parse a comma-separated list of histogram bounds, e.g. `"10,50,100"`.
 *
 * `undefined` (variable not set) gives a copy of `defaults` silently. An empty value, an
 * element that is not a finite decimal number, or bounds that are not strictly increasing give
 * a copy of `defaults` and one call to `options.warn` naming the variable, the bad value, the
 * default used and how to fix it. Whitespace around elements is allowed.
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
        `increasing finite numbers, e.g. ${describe(defaults.join(","))}, or unset it.`,
    );
    return [...defaults];
  };
  if (raw.trim() === "") return reject("it is empty");
  const parts = raw.split(",");
  const bounds: number[] = [];
  for (const part of parts) {
    const text = part.trim();
    if (!DECIMAL.test(text)) return reject(`${describe(text)} is not a number`);
    const value = Number(text);
    if (!Number.isFinite(value)) return reject(`${describe(text)} is not finite`);
    const previous = bounds[bounds.length - 1];
    if (previous !== undefined && !(value > previous)) {
      return reject(`${value} does not increase on ${previous}`);
    }
    bounds.push(value);
  }
  return bounds;
}

/**
 * Parse the session idle timeout in whole seconds (a positive integer). `undefined` gives the
 * default silently; anything else that is not a positive integer gives the default and a warning.
 */
export function parseSessionTimeoutSecs(
  raw: string | undefined,
  options: ParseBucketsOptions,
): number {
  if (raw === undefined) return DEFAULT_SESSION_TIMEOUT_SECS;
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(value) && value > 0) return value;
  options.warn?.(
    `${options.name}=${describe(raw)} is not a valid timeout (expected a positive whole number ` +
      `of seconds); using the default ${DEFAULT_SESSION_TIMEOUT_SECS}. Set it to e.g. "300", ` +
      `or unset it.`,
  );
  return DEFAULT_SESSION_TIMEOUT_SECS;
}

/**
 * Read all bucket overrides (`PROMETHEUS_*_BUCKETS*`) and `PROMETHEUS_SESSION_TIMEOUT_SECS` from
 * `env`. Bad values fall back to their defaults, one warning each.
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
