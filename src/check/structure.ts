/**
 * Structure rules on parsed families: duplicate series, sample names that do not fit the
 * family's type, counters that go negative, histogram and summary anatomy (sorted `le`,
 * cumulative buckets, `+Inf` equal to `_count`, `_sum`/`_count` present), and the OpenMetrics
 * rules about `_total`, `_created`, `UNIT`, info and stateset values and contiguous series.
 *
 * @module
 */

import {
  type Exposition,
  type ExpositionFormat,
  type Family,
  labelKey,
  labelValue,
  ownsSample,
  type Sample,
  sampleSuffixes,
  seriesKey,
} from "./exposition.ts";
import { type AddFinding, collectFindings, type Finding } from "./finding.ts";
import { parseOpenMetricsValue, parseTextValue } from "./numbers.ts";
import type { RuleId } from "./rules.ts";

type Report = (rule: RuleId, message: string, line: number) => void;

/** Checks every family of `exposition`; returns the findings (errors). */
export function checkStructure(exposition: Exposition): Finding[] {
  return collectFindings((add) => checkStructureInto(exposition, add));
}

/** {@link checkStructure}, handing each finding to `add` as it is found. */
export function checkStructureInto(exposition: Exposition, add: AddFinding): void {
  for (const family of exposition.families) {
    const report: Report = (rule, message, line) =>
      add({ severity: "error", rule, message, metric: family.name, line });
    checkFamily(family, exposition.format, report);
  }
}

function checkFamily(family: Family, format: ExpositionFormat, report: Report): void {
  const om = format === "openmetrics";
  if (om) checkOpenMetricsMetadata(family, report);
  checkSampleNames(family, format, report);
  checkDuplicates(family, om, report);
  switch (family.type) {
    case "counter":
      checkCounter(family, om, report);
      break;
    case "histogram":
    case "gaugehistogram":
      if (!family.tainted) checkHistogram(family, format, report);
      break;
    case "summary":
      if (!family.tainted) checkSummary(family, format, report);
      break;
    case "info":
      for (const s of family.samples) {
        if (s.value !== 1) {
          report(
            "om-info-stateset",
            `info sample ${s.name} is ${s.rawValue}: info values are 1`,
            s.line,
          );
        }
      }
      break;
    case "stateset":
      for (const s of family.samples) {
        if (s.value !== 0 && s.value !== 1) {
          report("om-info-stateset", `stateset sample is ${s.rawValue}: states are 0 or 1`, s.line);
        }
        if (labelValue(s, family.name) === undefined) {
          report(
            "om-info-stateset",
            `stateset sample has no label ${family.name} naming its state`,
            s.line,
          );
        }
      }
      break;
  }
  if (om && !family.tainted) checkContiguousSeries(family, report);
  if (om) checkExemplars(family, report);
}

function checkExemplars(family: Family, report: Report): void {
  const allowed = family.type === "counter"
    ? `${family.name}_total`
    : family.type === "histogram" || family.type === "gaugehistogram"
    ? `${family.name}_bucket`
    : undefined;
  for (const s of family.samples) {
    if (s.exemplar === undefined || s.name === allowed) continue;
    report(
      "om-exemplar",
      `exemplar on ${s.name}: only counter _total and histogram _bucket samples carry exemplars`,
      s.line,
    );
  }
}

function checkOpenMetricsMetadata(family: Family, report: Report): void {
  if (family.type === "counter" && family.name.endsWith("_total") && family.typeLine) {
    const base = family.name.slice(0, -"_total".length);
    report(
      "om-total",
      `OpenMetrics counter family ${family.name} ends in _total: name the family ${base} ` +
        `(# TYPE ${base} counter) and its samples ${base}_total`,
      family.typeLine,
    );
  }
  if (family.unit && family.unitLine && !family.name.endsWith(`_${family.unit}`)) {
    report(
      "om-unit",
      `# UNIT ${family.unit}: the family name ${family.name} must end in _${family.unit}`,
      family.unitLine,
    );
  }
}

function checkSampleNames(family: Family, format: ExpositionFormat, report: Report): void {
  const reported = new Set<string>();
  for (const s of family.samples) {
    if (ownsSample(family, s.name, format) || reported.has(s.name)) continue;
    reported.add(s.name);
    if (format === "openmetrics" && family.type === "counter") {
      if (family.name.endsWith("_total")) continue; // reported once, on the TYPE line
      report(
        "om-total",
        `counter sample ${s.name}: OpenMetrics counter samples are named ${family.name}_total ` +
          `(or ${family.name}_created)`,
        s.line,
      );
      continue;
    }
    const names = sampleSuffixes(family.type, format).map((suffix) => family.name + suffix);
    report(
      "sample-name",
      `sample ${s.name} does not fit ${family.type} ${family.name}: expected ${names.join(", ")}`,
      s.line,
    );
  }
}

function checkDuplicates(family: Family, om: boolean, report: Report): void {
  const seen = new Map<string, Sample>();
  for (const s of family.samples) {
    const key = seriesKey(s);
    const first = seen.get(key);
    seen.set(key, s);
    if (first === undefined) continue;
    // OpenMetrics lets a series carry several points, in increasing timestamp order.
    if (
      om && first.timestamp !== undefined && s.timestamp !== undefined &&
      s.timestamp > first.timestamp
    ) continue;
    report(
      "duplicate-series",
      `series ${key} appears again (first on line ${first.line})`,
      s.line,
    );
  }
}

function negativeOrNaN(value: number): boolean {
  return Number.isNaN(value) || value < 0;
}

function checkCounter(family: Family, om: boolean, report: Report): void {
  const valueName = om ? `${family.name}_total` : family.name;
  const totals = new Set<string>();
  for (const s of family.samples) {
    if (s.name === valueName) {
      totals.add(labelKey(s.labels));
      if (negativeOrNaN(s.value)) {
        report(
          "counter-negative",
          `counter ${seriesKey(s)} is ${s.rawValue}: counters are never negative or NaN`,
          s.line,
        );
      }
    }
  }
  if (!om) return;
  for (const s of family.samples) {
    if (s.name !== `${family.name}_created`) continue;
    if (!totals.has(labelKey(s.labels))) {
      report(
        "om-created",
        `${seriesKey(s)} has no ${family.name}_total series with the same labels`,
        s.line,
      );
    }
    if (negativeOrNaN(s.value) || !Number.isFinite(s.value)) {
      report(
        "om-created",
        `${seriesKey(s)} is ${s.rawValue}: _created is a Unix timestamp in seconds`,
        s.line,
      );
    }
  }
}

/** Samples grouped by series (labels without `omit`), in order of first appearance. */
function groupSeries(samples: readonly Sample[], omit: string): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = labelKey(s.labels, omit);
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

function parseBound(raw: string, format: ExpositionFormat): number | undefined {
  const value = format === "text" ? parseTextValue(raw) : parseOpenMetricsValue(raw);
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

interface Bucket {
  sample: Sample;
  le: number;
  raw: string;
}

function checkHistogram(family: Family, format: ExpositionFormat, report: Report): void {
  const om = format === "openmetrics";
  const gauge = family.type === "gaugehistogram";
  const name = family.name;
  const countName = name + (gauge ? "_gcount" : "_count");
  const sumName = name + (gauge ? "_gsum" : "_sum");
  for (const [key, group] of groupSeries(family.samples, "le")) {
    const series = name + key;
    const buckets: Bucket[] = [];
    for (const s of group) {
      if (s.name !== `${name}_bucket`) continue;
      const raw = labelValue(s, "le");
      if (raw === undefined) {
        report("histogram-le", `bucket of ${series} has no le label`, s.line);
        continue;
      }
      const le = parseBound(raw, format);
      if (le === undefined) {
        report("histogram-le", `bucket of ${series} has le="${raw}", not a number`, s.line);
        continue;
      }
      buckets.push({ sample: s, le, raw });
      if (negativeOrNaN(s.value)) {
        report("negative-count", `bucket le="${raw}" of ${series} is ${s.rawValue}`, s.line);
      }
    }
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i].le <= buckets[i - 1].le) {
        report(
          "histogram-le-order",
          `bucket le="${buckets[i].raw}" of ${series} comes after le="${buckets[i - 1].raw}" ` +
            `(line ${buckets[i - 1].sample.line}): buckets must be in increasing order of le`,
          buckets[i].sample.line,
        );
        break;
      }
    }
    const sorted = [...buckets].sort((a, b) => a.le - b.le);
    for (let i = 1; i < sorted.length; i++) {
      const [lower, upper] = [sorted[i - 1], sorted[i]];
      if (upper.sample.value < lower.sample.value) {
        report(
          "histogram-not-cumulative",
          `bucket le="${upper.raw}" of ${series} counts ${upper.sample.rawValue}, fewer than ` +
            `le="${lower.raw}" (${lower.sample.rawValue}, line ${lower.sample.line}): ` +
            `bucket counts are cumulative`,
          upper.sample.line,
        );
        break;
      }
    }
    const last = group[group.length - 1].line;
    const inf = buckets.find((b) => b.le === Infinity);
    if (inf === undefined) {
      report(
        "histogram-inf-missing",
        buckets.length === 0
          ? `${series} has no buckets: a histogram series needs at least le="+Inf"`
          : `${series} has no le="+Inf" bucket: every histogram series needs one, equal to ` +
            `${countName}`,
        buckets.length === 0 ? group[0].line : buckets[buckets.length - 1].sample.line,
      );
    }
    const count = group.find((s) => s.name === countName);
    const sum = group.find((s) => s.name === sumName);
    if (!om) {
      if (count === undefined) {
        report("histogram-sum-count", `${series} has no ${countName} sample`, last);
      }
      if (sum === undefined) {
        report("histogram-sum-count", `${series} has no ${sumName} sample`, last);
      }
    } else if ((count === undefined) !== (sum === undefined)) {
      const [present, missing] = count === undefined ? [sumName, countName] : [countName, sumName];
      report(
        "histogram-sum-count",
        `${series} has ${present} but no ${missing}: OpenMetrics wants both or neither`,
        (count ?? sum)!.line,
      );
    }
    if (count !== undefined) {
      if (negativeOrNaN(count.value)) {
        report("negative-count", `${seriesKey(count)} is ${count.rawValue}`, count.line);
      } else if (inf !== undefined && count.value !== inf.sample.value) {
        report(
          "histogram-count-mismatch",
          `${seriesKey(count)} is ${count.rawValue} but its le="+Inf" bucket is ` +
            `${inf.sample.rawValue} (line ${inf.sample.line}): they must be equal`,
          count.line,
        );
      }
    }
    if (om && !gauge && sum !== undefined) {
      if (negativeOrNaN(sum.value)) {
        report(
          "histogram-sum-count",
          `${
            seriesKey(sum)
          } is ${sum.rawValue}: an OpenMetrics histogram sum is a counter, never ` +
            `negative or NaN (leave _sum and _count out when observations can be negative)`,
          sum.line,
        );
      } else if (buckets.some((b) => b.le < 0)) {
        report(
          "histogram-sum-count",
          `${series} has negative bucket bounds and a ${sumName}: OpenMetrics forbids the sum then`,
          sum.line,
        );
      }
    }
  }
}

function checkSummary(family: Family, format: ExpositionFormat, report: Report): void {
  const om = format === "openmetrics";
  const name = family.name;
  for (const [key, group] of groupSeries(family.samples, "quantile")) {
    const series = name + key;
    for (const s of group) {
      if (s.name !== name) continue;
      const raw = labelValue(s, "quantile");
      if (raw === undefined) {
        report("summary-quantile", `summary sample ${series} has no quantile label`, s.line);
        continue;
      }
      const q = parseBound(raw, format);
      if (q === undefined || q < 0 || q > 1) {
        report(
          "summary-quantile",
          `quantile="${raw}" of ${series} is not a number in [0,1]`,
          s.line,
        );
      }
    }
    const count = group.find((s) => s.name === `${name}_count`);
    const sum = group.find((s) => s.name === `${name}_sum`);
    const last = group[group.length - 1].line;
    if (!om) {
      if (count === undefined) {
        report("summary-sum-count", `${series} has no ${name}_count sample`, last);
      }
      if (sum === undefined) {
        report("summary-sum-count", `${series} has no ${name}_sum sample`, last);
      }
    } else if ((count === undefined) !== (sum === undefined)) {
      const [present, missing] = count === undefined
        ? [`${name}_sum`, `${name}_count`]
        : [`${name}_count`, `${name}_sum`];
      report(
        "summary-sum-count",
        `${series} has ${present} but no ${missing}: OpenMetrics wants both or neither`,
        (count ?? sum)!.line,
      );
    }
    if (count !== undefined && negativeOrNaN(count.value)) {
      report("negative-count", `${seriesKey(count)} is ${count.rawValue}`, count.line);
    }
    if (om && sum !== undefined && negativeOrNaN(sum.value)) {
      report(
        "negative-count",
        `${seriesKey(sum)} is ${sum.rawValue}: an OpenMetrics summary sum is a counter`,
        sum.line,
      );
    }
  }
}

function checkContiguousSeries(family: Family, report: Report): void {
  const omit = family.type === "histogram" || family.type === "gaugehistogram"
    ? "le"
    : family.type === "summary"
    ? "quantile"
    : family.type === "stateset"
    ? family.name
    : undefined;
  const done = new Set<string>();
  let current: string | undefined;
  for (const s of family.samples) {
    const key = labelKey(s.labels, omit);
    if (key === current) continue;
    if (current !== undefined) done.add(current);
    if (done.has(key)) {
      report(
        "om-interleaved-series",
        `samples of ${family.name}${key} resume after another series: OpenMetrics wants each ` +
          `series' samples together`,
        s.line,
      );
      return;
    }
    current = key;
  }
}
