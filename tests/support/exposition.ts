/**
 * The one exposition helper for tests: reads rendered text with `check`'s parser (the product
 * parser, src/check/parse.ts) into `series -> value` for exact assertions, e.g.
 * `samples.get('dashstream_queries_by_model_total{model="gpt-4o"}')`. Series keys are the name
 * and the labels sorted by name, values escaped as in the text format (see {@link seriesKey}).
 * The format is OpenMetrics when a line is `# EOF`, else text. A syntax error or a repeated
 * series throws, naming the line, so malformed output fails the test.
 * @module
 */
import assert from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { sizeDelimitedPeek } from "@bufbuild/protobuf/wire";
import {
  type MetricFamily,
  MetricFamilySchema,
  MetricType,
} from "../../src/gen/io/prometheus/client/metrics_pb.ts";
import { sniffFormat } from "../../src/check/content_type.ts";
import { labelKey } from "../../src/check/exposition.ts";
import { parseExposition } from "../../src/check/parse.ts";
import { render, type RenderOptions, type RenderSource } from "../../src/exposition/mod.ts";

/** What {@link readExposition} returns. */
export interface ReadExposition {
  /** Sample value per series key, see {@link seriesKey}. */
  samples: Map<string, number>;
  /** `# TYPE` per family name, for families that have one. */
  types: Map<string, string>;
  /** `# HELP` per family name (unescaped), for families that have one. */
  help: Map<string, string>;
  /** Whether the text ended with `# EOF` (OpenMetrics). */
  eof: boolean;
}

/**
 * The key of a series: `name` alone, or `name{a="x",b="y"}` with labels sorted by name and
 * values escaped as in the text format.
 */
export function seriesKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  return name + labelKey(Object.entries(labels).map(([label, value]) => ({ name: label, value })));
}

/** Parses an exposition; throws on a syntax error or a repeated series. */
export function readExposition(text: string): ReadExposition {
  const format = sniffFormat(text);
  const { exposition, findings } = parseExposition(text, { format });
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) {
    const lines = errors.map((f) => `line ${f.line}: ${f.message} (${f.rule})`);
    throw new Error(`the exposition is malformed:\n  ${lines.join("\n  ")}`);
  }
  const read: ReadExposition = {
    samples: new Map(),
    types: new Map(),
    help: new Map(),
    eof: format === "openmetrics",
  };
  for (const family of exposition.families) {
    if (family.typed) read.types.set(family.name, family.type);
    if (family.help !== undefined) read.help.set(family.name, family.help);
    for (const sample of family.samples) {
      const key = sample.name + labelKey(sample.labels);
      if (read.samples.has(key)) throw new Error(`line ${sample.line} repeats series ${key}`);
      read.samples.set(key, sample.value);
    }
  }
  return read;
}

/** The samples of an exposition, see {@link readExposition}. */
export function parseSamples(text: string): Map<string, number> {
  return readExposition(text).samples;
}

/** Returns the value of `series`, or throws naming the series and close matches. */
export function sample(samples: Map<string, number>, series: string): number {
  const value = samples.get(series);
  if (value === undefined) {
    const name = series.replace(/\{.*$/, "");
    const near = [...samples.keys()].filter((k) => k.startsWith(name)).slice(0, 20);
    throw new Error(`no sample ${series}; series of that name:\n  ${near.join("\n  ")}`);
  }
  return value;
}

/** Asserts each series of `expected` has exactly its value in `samples` (a table of expected values). */
export function assertSeries(
  samples: Map<string, number>,
  expected: Readonly<Record<string, number>>,
): void {
  for (const [series, value] of Object.entries(expected)) {
    assert.equal(samples.get(series), value, series);
  }
}

/** The series of `name` by their `partition` label, with their values. */
export function byPartition(samples: Map<string, number>, name: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const [key, value] of samples) {
    const match = key.match(new RegExp(`^${name}\\{(?:.*,)?partition="(\\d+)"`));
    if (match) out.set(Number(match[1]), value);
  }
  return out;
}

/** One histogram series read from samples: its count, sum and buckets by `le`. */
export interface HistogramView {
  count: number;
  sum: number;
  buckets: Record<string, number>;
}

/** The series of histogram `name` with exactly `labels` (besides `le`); asserts it exists. */
export function histogram(
  samples: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
): HistogramView {
  const buckets: Record<string, number> = {};
  const prefix = `${name}_bucket{`;
  for (const [key, value] of samples) {
    if (!key.startsWith(prefix)) continue;
    const inner = key.slice(prefix.length, -1);
    const le = /(?:^|,)le="([^"]*)"/.exec(inner)![1];
    const rest = inner.replace(/(?:^|,)le="[^"]*"/, "").replace(/^,/, "");
    const wanted = seriesKey("x", labels).slice(2, -1);
    if (rest === (Object.keys(labels).length === 0 ? "" : wanted)) buckets[le] = value;
  }
  const count = samples.get(seriesKey(`${name}_count`, labels));
  const sum = samples.get(seriesKey(`${name}_sum`, labels));
  assert.ok(
    count !== undefined && sum !== undefined,
    `histogram ${name} ${JSON.stringify(labels)}`,
  );
  return { count, sum, buckets };
}

/** Renders `source` (e.g. a `MetricsCore`) and returns the exposition text. */
export async function scrapeText(
  source: RenderSource,
  options: RenderOptions = {},
): Promise<string> {
  const { body } = await render(source, options);
  if (typeof body !== "string") throw new TypeError("scrapeText() renders the text formats only");
  return body;
}

/** Renders `source` (e.g. a `MetricsCore`) and parses it into `series -> value`. */
export async function scrape(
  source: RenderSource,
  options: RenderOptions = {},
): Promise<Map<string, number>> {
  return parseSamples(await scrapeText(source, options));
}

/** Decodes a delimited protobuf exposition with protobuf-es alone (not `check`'s reader). */
export function decodeMetricFamilies(bytes: Uint8Array): MetricFamily[] {
  const families: MetricFamily[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const peek = sizeDelimitedPeek(rest);
    if (peek.eof) throw new Error(`a MetricFamily is cut short (${rest.length} bytes left)`);
    families.push(
      fromBinary(MetricFamilySchema, rest.subarray(peek.offset, peek.offset + peek.size)),
    );
    rest = rest.subarray(peek.offset + peek.size);
  }
  return families;
}

/**
 * The classic samples of decoded families, keyed as {@link seriesKey} (histogram buckets with
 * `le` as the text format writes it, the +Inf bucket from the sample count).
 */
export function protobufSamples(families: readonly MetricFamily[]): Map<string, number> {
  const samples = new Map<string, number>();
  const put = (name: string, labels: Record<string, string>, value: number) =>
    samples.set(seriesKey(name, labels), value);
  for (const family of families) {
    for (const metric of family.metric) {
      const labels = Object.fromEntries(metric.label.map((l) => [l.name, l.value]));
      const h = metric.histogram;
      if (h !== undefined && family.type === MetricType.HISTOGRAM) {
        for (const b of h.bucket) {
          put(
            `${family.name}_bucket`,
            { ...labels, le: `${b.upperBound}` },
            Number(b.cumulativeCount),
          );
        }
        put(`${family.name}_bucket`, { ...labels, le: "+Inf" }, Number(h.sampleCount));
        put(`${family.name}_sum`, labels, h.sampleSum);
        put(`${family.name}_count`, labels, Number(h.sampleCount));
      } else {
        const value = metric.counter?.value ?? metric.gauge?.value ?? metric.untyped?.value;
        if (value === undefined) throw new Error(`${family.name}: no value in ${family.type}`);
        put(family.name, labels, value);
      }
    }
  }
  return samples;
}
