/**
 * Expectations about an exposition (`--expect`): which metrics must be there, with which type,
 * label names, bucket bounds, value ranges, series and label values. The dashflow catalog and
 * user files both become a list of {@link MetricExpectation}.
 *
 * @module
 */

import {
  type Exposition,
  type Family,
  type FamilyType,
  labelKey,
  labelValue,
  type Sample,
  textName,
} from "./exposition.ts";
import type { Finding } from "./finding.ts";
import { formatValue, parseTextValue } from "./numbers.ts";
import type { RuleId } from "./rules.ts";

/** What one metric must look like. Names are text-format names (counters end in `_total`). */
export interface MetricExpectation {
  name: string;
  type?: FamilyType;
  /** Label names (histogram `le` and summary `quantile` left out), in any order. */
  labels?: readonly string[];
  /** Histogram upper bounds without `+Inf`. */
  buckets?: readonly number[];
  /** Appended to a bucket mismatch, e.g. how to relax the check. */
  bucketsHint?: string;
  /** Inclusive range of values (histograms: of observations, as far as sum and buckets tell). */
  min?: number;
  max?: number;
  /** Series that must exist, by (some of) their labels. */
  series?: readonly Readonly<Record<string, string>>[];
  /** Appended to a missing-series message, e.g. why it should exist. */
  seriesHint?: string;
  /** Allowed values per label name. */
  labelValues?: Readonly<Record<string, readonly string[]>>;
}

/** A named set of expectations. */
export interface Expectations {
  /** Where they come from, e.g. `dashflow` or a file path. */
  source: string;
  metrics: readonly MetricExpectation[];
  /**
   * The names are a contract that cannot change (the dashflow catalog): lint findings on these
   * families are downgraded to notices.
   */
  namesFixed?: boolean;
}

/** The family `name` (a text-format name) refers to, in either format. */
export function findFamily(exposition: Exposition, name: string): Family | undefined {
  return exposition.families.find((f) => textName(f, exposition.format) === name);
}

function sameType(actual: FamilyType, expected: FamilyType): boolean {
  const norm = (t: FamilyType) => (t === "unknown" ? "untyped" : t);
  return norm(actual) === norm(expected);
}

function article(word: string): string {
  return `${/^[aeiou]/.test(word) ? "an" : "a"} ${word}`;
}

function setText(names: Iterable<string>): string {
  return `{${[...names].sort().join(", ")}}`;
}

/** The samples that carry a family's value (not its buckets, sums, counts or `_created`). */
function valueSamples(family: Family, exposition: Exposition): Sample[] {
  const name = textName(family, exposition.format);
  return family.samples.filter((s) => s.name === name);
}

/** Checks `exposition` against every expectation of `expectations`. */
export function checkExpectations(
  exposition: Exposition,
  expectations: Expectations,
): Finding[] {
  const findings: Finding[] = [];
  for (const expected of expectations.metrics) {
    const add = (rule: RuleId, message: string, line?: number) => {
      const finding: Finding = { severity: "error", rule, message, metric: expected.name };
      if (line !== undefined) finding.line = line;
      findings.push(finding);
    };
    const family = findFamily(exposition, expected.name);
    if (family === undefined) {
      // Samples without a # TYPE line (x_bucket, x_sum...) that look like the missing family's;
      // a typed family such as x_sum_total is a metric of its own.
      const stray = exposition.families
        .filter((f) => !f.typed && f.name.startsWith(`${expected.name}_`))
        .map((f) => f.name);
      add(
        "expect-missing",
        `${expected.name}${expected.type ? ` (${expected.type})` : ""} is not exposed` +
          (stray.length > 0 && !stray.every((n) => n.endsWith("_created"))
            ? ` (found ${stray.slice(0, 3).join(", ")}: a missing # TYPE line?)`
            : "") +
          ` [expected by ${expectations.source}]`,
      );
      continue;
    }
    checkOne(family, expected, exposition, add);
  }
  return findings;
}

function checkOne(
  family: Family,
  expected: MetricExpectation,
  exposition: Exposition,
  add: (rule: RuleId, message: string, line?: number) => void,
): void {
  const name = expected.name;
  if (expected.type !== undefined && !sameType(family.type, expected.type)) {
    add(
      "expect-type",
      family.typed
        ? `${name} is ${article(family.type)}, expected ${article(expected.type)}`
        : `${name} has no # TYPE line, expected ${article(expected.type)}`,
      family.typeLine ?? family.line,
    );
    return;
  }
  const omit = family.type === "histogram" ? "le" : family.type === "summary" ? "quantile" : "";
  if (expected.labels !== undefined) {
    const want = setText(expected.labels);
    for (const s of family.samples) {
      const have = setText(s.labels.map((l) => l.name).filter((n) => n !== omit));
      if (have !== want) {
        add("expect-labels", `${name} has labels ${have}, expected ${want}`, s.line);
        break;
      }
    }
  }
  if (expected.labelValues !== undefined) {
    const reported = new Set<string>();
    for (const s of family.samples) {
      for (const [label, allowed] of Object.entries(expected.labelValues)) {
        const value = labelValue(s, label);
        if (value === undefined || allowed.includes(value)) continue;
        const key = `${label}=${value}`;
        if (reported.has(key)) continue;
        reported.add(key);
        add(
          "expect-label-value",
          `${name} has ${label}="${value}", expected one of ${allowed.join(", ")}`,
          s.line,
        );
      }
    }
  }
  if (family.type === "histogram") checkHistogram(family, expected, add);
  else checkValues(valueSamples(family, exposition), expected, add);
  for (const wanted of expected.series ?? []) {
    const found = family.samples.some((s) =>
      Object.entries(wanted).every(([label, value]) => labelValue(s, label) === value)
    );
    if (!found) {
      const labels = Object.entries(wanted).map(([l, v]) => ({ name: l, value: v }));
      add(
        "expect-series",
        `series ${name}${labelKey(labels)} is not exposed` +
          (expected.seriesHint ? ` (${expected.seriesHint})` : ""),
        family.line,
      );
    }
  }
}

function outside(value: number, expected: MetricExpectation): boolean {
  return Number.isNaN(value) || (expected.min !== undefined && value < expected.min) ||
    (expected.max !== undefined && value > expected.max);
}

function rangeText(expected: MetricExpectation): string {
  return `[${expected.min ?? "-Inf"}, ${expected.max ?? "+Inf"}]`;
}

function checkValues(
  samples: readonly Sample[],
  expected: MetricExpectation,
  add: (rule: RuleId, message: string, line?: number) => void,
): void {
  if (expected.min === undefined && expected.max === undefined) return;
  for (const s of samples) {
    if (outside(s.value, expected)) {
      add(
        "expect-value",
        `${s.name}${labelKey(s.labels)} is ${formatValue(s.value)}, expected a value in ` +
          rangeText(expected),
        s.line,
      );
    }
  }
}

function sameBounds(actual: readonly number[], expected: readonly number[]): boolean {
  if (actual.length !== expected.length) return false;
  return actual.every((v, i) => Math.abs(v - expected[i]) <= 1e-9 * Math.max(1, Math.abs(v)));
}

function checkHistogram(
  family: Family,
  expected: MetricExpectation,
  add: (rule: RuleId, message: string, line?: number) => void,
): void {
  const series = new Map<string, Sample[]>();
  for (const s of family.samples) {
    const key = labelKey(s.labels, "le");
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  let bucketsReported = false;
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`)
      .map((s) => ({ sample: s, le: parseTextValue(labelValue(s, "le") ?? "") ?? NaN }))
      .filter((b) => !Number.isNaN(b.le));
    if (expected.buckets !== undefined && !bucketsReported && buckets.length > 0) {
      const bounds = buckets.map((b) => b.le).filter(Number.isFinite).sort((a, b) => a - b);
      const want = [...expected.buckets].sort((a, b) => a - b);
      if (!sameBounds(bounds, want)) {
        bucketsReported = true;
        add(
          "expect-buckets",
          `${family.name}${key} has bucket bounds ${bounds.join(",") || "(none)"}, expected ` +
            `${want.join(",")}` + (expected.bucketsHint ? ` (${expected.bucketsHint})` : ""),
          buckets[0].sample.line,
        );
      }
    }
    if (expected.min === undefined && expected.max === undefined) continue;
    const count = samples.find((s) => s.name === `${family.name}_count`);
    const sum = samples.find((s) => s.name === `${family.name}_sum`);
    const inf = buckets.find((b) => b.le === Infinity);
    if (expected.max !== undefined && inf !== undefined) {
      const atMax = buckets.find((b) => b.le === expected.max);
      if (atMax !== undefined && inf.sample.value > atMax.sample.value) {
        add(
          "expect-value",
          `${inf.sample.value - atMax.sample.value} observation(s) of ${family.name}${key} are ` +
            `above ${expected.max}, expected values in ${rangeText(expected)}`,
          inf.sample.line,
        );
        continue;
      }
    }
    if (count === undefined || sum === undefined || !(count.value > 0)) continue;
    const slack = 1e-9 * Math.max(1, Math.abs(sum.value));
    const low = expected.min !== undefined && sum.value < expected.min * count.value - slack;
    const high = expected.max !== undefined && sum.value > expected.max * count.value + slack;
    if (low || high || Number.isNaN(sum.value)) {
      add(
        "expect-value",
        `observations of ${family.name}${key} average ${formatValue(sum.value / count.value)}, ` +
          `expected values in ${rangeText(expected)}`,
        sum.line,
      );
    }
  }
}
