import { UsageError } from "../errors.ts";
import {
  DEFAULT_NATIVE_HISTOGRAMS,
  type NativeHistogramSettings,
  schemaForFactor,
} from "../metrics/native_buckets.ts";
import { parseChoice, parsePositiveInt, pick } from "./parse.ts";
import { NATIVE_HISTOGRAM_SETTINGS, type SettingFlags, SETTINGS } from "./settings.ts";

/**
 * The native histogram flags, as parsed from the command line (`serve`, `replay`); a type alias,
 * so commander's option values (an index signature) take it.
 */
export type NativeHistogramFlags = SettingFlags<typeof NATIVE_HISTOGRAM_SETTINGS>;

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
  const enabled = pick(SETTINGS.nativeHistograms, { flags, env });
  const factor = pick(SETTINGS.nativeHistogramBucketFactor, { flags, env });
  const max = pick(SETTINGS.nativeHistogramMaxBuckets, { flags, env });
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
