import { UsageError } from "../errors.ts";
import {
  DEFAULT_NATIVE_HISTOGRAMS,
  type NativeHistogramSettings,
  schemaForFactor,
} from "../metrics/native_buckets.ts";
import { parseChoice, parsePositiveInt, pick } from "./parse.ts";

/**
 * The native histogram flags, as parsed from the command line (`serve`, `replay`); a type alias,
 * so commander's option values (an index signature) take it.
 */
export type NativeHistogramFlags = {
  /** `--native-histograms on|off`. */
  nativeHistograms?: string;
  /** `--native-histogram-bucket-factor <f>`. */
  nativeHistogramBucketFactor?: string;
  /** `--native-histogram-max-buckets <n>`. */
  nativeHistogramMaxBuckets?: string;
};

/** Env var turning native buckets on or off (`on` | `off`). */
export const NATIVE_HISTOGRAMS_ENV_VAR = "PROMETHEUS_NATIVE_HISTOGRAMS";
/** Env var of the native bucket growth factor. */
export const NATIVE_BUCKET_FACTOR_ENV_VAR = "PROMETHEUS_NATIVE_HISTOGRAM_BUCKET_FACTOR";
/** Env var of the native bucket limit per series. */
export const NATIVE_MAX_BUCKETS_ENV_VAR = "PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS";

function parseFactor(raw: string, source: string): number {
  const value = Number(raw.trim());
  const ok = /^\d+(\.\d+)?$/.test(raw.trim()) && value > 1 && Number.isFinite(value);
  if (!ok) {
    throw new UsageError(
      `Invalid ${source} '${raw}': expected a growth factor above 1 (e.g. 1.1, about 9 % wide ` +
        `buckets; 2 for one bucket per power of two)`,
    );
  }
  schemaForFactor(value); // the same bounds the metrics core applies
  return value;
}

/**
 * Resolves the native histogram settings (docs/semantics.md, "Rule: native histogram
 * buckets"): each flag, else its `PROMETHEUS_NATIVE_HISTOGRAM*` env var, else the default
 * (on, factor 1.1, 160 buckets).
 */
export function resolveNativeHistograms(
  flags: NativeHistogramFlags,
  env: Record<string, string | undefined>,
): NativeHistogramSettings {
  const enabled = pick(
    flags.nativeHistograms,
    "--native-histograms",
    env,
    NATIVE_HISTOGRAMS_ENV_VAR,
  );
  const factor = pick(
    flags.nativeHistogramBucketFactor,
    "--native-histogram-bucket-factor",
    env,
    NATIVE_BUCKET_FACTOR_ENV_VAR,
  );
  const max = pick(
    flags.nativeHistogramMaxBuckets,
    "--native-histogram-max-buckets",
    env,
    NATIVE_MAX_BUCKETS_ENV_VAR,
  );
  return {
    enabled: enabled === undefined ||
      parseChoice(enabled.raw, ["on", "off"], { source: enabled.source }) === "on",
    bucketFactor: factor === undefined
      ? DEFAULT_NATIVE_HISTOGRAMS.bucketFactor
      : parseFactor(factor.raw, factor.source),
    maxBuckets: max === undefined
      ? DEFAULT_NATIVE_HISTOGRAMS.maxBuckets
      : parsePositiveInt(max.raw, { source: max.source, example: "160" }),
  };
}
