/**
 * The parsed form of one exposition: metric families in the order they appear, each with its
 * metadata and samples, every sample keeping its line number so later checks can point at it.
 * Also which sample names each family type owns, in each format.
 *
 * @module
 */

/** The two exposition formats `check` reads. */
export type ExpositionFormat = "text" | "openmetrics";

/** Metric types of both formats (`untyped` is the text format's, `unknown` OpenMetrics'). */
export type FamilyType =
  | "counter"
  | "gauge"
  | "histogram"
  | "summary"
  | "untyped"
  | "unknown"
  | "gaugehistogram"
  | "stateset"
  | "info";

/** `# TYPE` words each format accepts. */
export const FORMAT_TYPES: Readonly<Record<ExpositionFormat, readonly FamilyType[]>> = {
  text: ["counter", "gauge", "histogram", "summary", "untyped"],
  openmetrics: [
    "counter",
    "gauge",
    "histogram",
    "gaugehistogram",
    "stateset",
    "info",
    "summary",
    "unknown",
  ],
};

/** One `name="value"` pair of a sample, in the order written. */
export interface Label {
  name: string;
  value: string;
}

/** An OpenMetrics exemplar (`# {trace_id="..."} value [timestamp]`). */
export interface Exemplar {
  labels: Label[];
  value: number;
  timestamp?: number;
  /** 1-based column of the `#` that starts it. */
  column: number;
}

/** One sample line. */
export interface Sample {
  /** Sample name as written, e.g. `http_requests_total` or `latency_seconds_bucket`. */
  name: string;
  labels: Label[];
  value: number;
  /** The value as written, for messages (`1e3`, `+Inf`). */
  rawValue: string;
  /** Milliseconds (text) or seconds (OpenMetrics), as written. */
  timestamp?: number;
  exemplar?: Exemplar;
  /** 1-based line. */
  line: number;
  /** 1-based column of the value. */
  valueColumn: number;
}

/** One metric family: its metadata lines and its samples. */
export interface Family {
  /** Family name (OpenMetrics counters: without `_total`). */
  name: string;
  /** `# TYPE`, or `untyped`/`unknown` when there is none. */
  type: FamilyType;
  /** True when a `# TYPE` line declared the type. */
  typed: boolean;
  help?: string;
  unit?: string;
  /** Lines of the metadata, when present. */
  helpLine?: number;
  typeLine?: number;
  unitLine?: number;
  /** First line that mentions the family. */
  line: number;
  samples: Sample[];
  /**
   * True when a line of this family could not be parsed: its structure checks are skipped, as
   * a missing line would make them report consequences instead of the cause.
   */
  tainted: boolean;
}

/** A parsed exposition. */
export interface Exposition {
  format: ExpositionFormat;
  /** Families in order of first appearance. */
  families: Family[];
  /** Number of lines (a final `\n` does not start another). */
  lines: number;
}

/** Sample-name suffixes each type owns, per format (`""` is the family name itself). */
const SUFFIXES: Readonly<
  Record<ExpositionFormat, Readonly<Record<FamilyType, readonly string[]>>>
> = {
  text: {
    counter: [""],
    gauge: [""],
    untyped: [""],
    unknown: [""],
    histogram: ["_bucket", "_sum", "_count"],
    summary: ["", "_sum", "_count"],
    gaugehistogram: ["_bucket", "_gsum", "_gcount"],
    stateset: [""],
    info: [""],
  },
  openmetrics: {
    counter: ["_total", "_created"],
    gauge: [""],
    untyped: [""],
    unknown: [""],
    histogram: ["_bucket", "_sum", "_count", "_created"],
    summary: ["", "_sum", "_count", "_created"],
    gaugehistogram: ["_bucket", "_gsum", "_gcount"],
    stateset: [""],
    info: ["_info"],
  },
};

/** Every suffix any type owns, longest first, for finding a sample's family by its name. */
export const ALL_SUFFIXES: readonly string[] = [
  "_created",
  "_gcount",
  "_bucket",
  "_count",
  "_total",
  "_gsum",
  "_info",
  "_sum",
];

/** Suffixes (`""` for none) that samples of a `type` family may carry in `format`. */
export function sampleSuffixes(type: FamilyType, format: ExpositionFormat): readonly string[] {
  return SUFFIXES[format][type];
}

/** True when a sample named `sampleName` belongs to `family` by its type's naming rules. */
export function ownsSample(family: Family, sampleName: string, format: ExpositionFormat): boolean {
  if (!sampleName.startsWith(family.name)) return false;
  const suffix = sampleName.slice(family.name.length);
  return sampleSuffixes(family.type, format).includes(suffix);
}

/** The label called `name`, if the sample has it. */
export function labelValue(sample: Sample, name: string): string | undefined {
  return sample.labels.find((l) => l.name === name)?.value;
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabelValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/**
 * `{a="x",b="y"}` with labels sorted by name and `omit` left out; `""` when no label remains.
 * Two samples of one series give the same text whatever their label order.
 */
export function labelKey(labels: readonly Label[], omit?: string): string {
  // Hot path (every sample, several times): small arrays, so insertion sort and one string.
  const kept: Label[] = [];
  for (const label of labels) {
    if (label.name === omit) continue;
    let i = kept.length;
    while (i > 0 && kept[i - 1].name > label.name) i--;
    kept.splice(i, 0, label);
  }
  if (kept.length === 0) return "";
  let key = "{";
  for (let i = 0; i < kept.length; i++) {
    key += `${i === 0 ? "" : ","}${kept[i].name}="${escapeLabelValue(kept[i].value)}"`;
  }
  return key + "}";
}

/** The series key of a sample: its name and sorted labels, e.g. `x_total{a="1"}`. */
export function seriesKey(sample: Sample): string {
  return sample.name + labelKey(sample.labels);
}

/**
 * The name a family has in the text format: OpenMetrics counters gain `_total` there, so
 * expectations and lint rules written for text names apply to both formats.
 */
export function textName(family: Family, format: ExpositionFormat): string {
  return format === "openmetrics" && family.type === "counter"
    ? `${family.name}_total`
    : family.name;
}
