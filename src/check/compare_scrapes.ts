/**
 * `--scrapes N`: what must hold between two scrapes of the same target. Counters, histogram
 * buckets and counts, and summary counts never go down, unless the process restarted, which a
 * changed `process_start_time_seconds` (or the exporter's own
 * `dashstream_exporter_process_start_time_seconds`) tells; a restart is reported as a notice and
 * its resets are not errors.
 *
 * @module
 */

import { type Exposition, type Family, labelKey, type Sample } from "./exposition.ts";
import type { Finding } from "./finding.ts";
import { formatValue } from "./numbers.ts";

/** Gauges that hold the target's start time. */
export const START_TIME_METRICS = [
  "process_start_time_seconds",
  "dashstream_exporter_process_start_time_seconds",
] as const;

/** The sample names of a family that may only grow. */
function monotonicNames(family: Family, exposition: Exposition): string[] {
  const om = exposition.format === "openmetrics";
  switch (family.type) {
    case "counter":
      return [om ? `${family.name}_total` : family.name];
    case "histogram":
      return [`${family.name}_bucket`, `${family.name}_count`];
    case "summary":
      return [`${family.name}_count`];
    default:
      return [];
  }
}

function monotonicSamples(exposition: Exposition): Map<string, [Sample, Family]> {
  const samples = new Map<string, [Sample, Family]>();
  for (const family of exposition.families) {
    const names = monotonicNames(family, exposition);
    for (const s of family.samples) {
      if (names.includes(s.name)) samples.set(s.name + labelKey(s.labels), [s, family]);
    }
  }
  return samples;
}

function startTime(exposition: Exposition, name: string): number | undefined {
  const family = exposition.families.find((f) => f.name === name);
  return family?.samples.find((s) => s.name === name)?.value;
}

/** Options for {@link compareScrapes}. */
export interface CompareOptions {
  /** 1-based number of the later scrape. */
  scrape: number;
}

/** Findings about `next` relative to `previous` (the scrape before it). */
export function compareScrapes(
  previous: Exposition,
  next: Exposition,
  options: CompareOptions,
): Finding[] {
  const { scrape } = options;
  const findings: Finding[] = [];
  for (const name of START_TIME_METRICS) {
    const before = startTime(previous, name);
    const after = startTime(next, name);
    if (before !== undefined && after !== undefined && before !== after) {
      findings.push({
        severity: "notice",
        rule: "target-restarted",
        message: `the target restarted between scrape ${scrape - 1} and ${scrape} (${name} ` +
          `${formatValue(before)} -> ${formatValue(after)}): counter resets are not errors`,
        metric: name,
        scrape,
      });
      return findings;
    }
  }
  const earlier = monotonicSamples(previous);
  const clock = START_TIME_METRICS.find((n) => startTime(next, n) !== undefined);
  for (const [key, [sample, family]] of monotonicSamples(next)) {
    const before = earlier.get(key)?.[0];
    if (before === undefined || !(sample.value < before.value)) continue;
    findings.push({
      severity: "error",
      rule: "counter-decreased",
      message: `${key} went down from ${before.rawValue} (scrape ${scrape - 1}) to ` +
        `${sample.rawValue}: it may only grow` +
        (clock
          ? ` (${clock} did not change, so this is not a restart)`
          : " (no process_start_time_seconds is exposed to tell a restart)"),
      metric: family.name,
      line: sample.line,
      scrape,
    });
  }
  return findings;
}
