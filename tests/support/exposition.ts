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
  return (await render(source, options)).body;
}

/** Renders `source` (e.g. a `MetricsCore`) and parses it into `series -> value`. */
export async function scrape(
  source: RenderSource,
  options: RenderOptions = {},
): Promise<Map<string, number>> {
  return parseSamples(await scrapeText(source, options));
}
