/**
 * `--expect FILE`: expectations written by hand, in YAML or JSON (chosen by the extension;
 * YAML for anything but `.json`). Either a list of metrics or `{ metrics: [...] }`:
 *
 * ```yaml
 * metrics:
 *   - name: http_requests_total      # text-format name; counters end in _total
 *     type: counter                  # optional
 *     labels: [method, code]         # optional: exact label names
 *   - name: request_duration_seconds
 *     type: histogram
 *     buckets: [0.1, 0.5, 1]         # optional: bounds without +Inf
 *     min: 0                         # optional: value range (histograms: observations)
 *     series: [{ route: "/" }]       # optional: series that must exist
 *     labelValues: { route: ["/", "/api"] }   # optional: allowed label values
 * ```
 *
 * Mistakes (an unknown key, a wrong type) are usage errors naming the file and the entry.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { Expectations, MetricExpectation } from "./expect.ts";
import { FORMAT_TYPES } from "./exposition.ts";
import type { FamilyType } from "./exposition.ts";

const KEYS = ["name", "type", "labels", "buckets", "min", "max", "series", "labelValues"];
const TYPES: readonly string[] = [...new Set([...FORMAT_TYPES.text, ...FORMAT_TYPES.openmetrics])];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parses an expectations file's text; `path` names it in errors and picks the syntax. */
export async function parseExpectationsFile(text: string, path: string): Promise<Expectations> {
  let data: unknown;
  const fail = (what: string): never => {
    throw new UsageError(`Invalid --expect file '${path}': ${what}`);
  };
  try {
    if (/\.json$/i.test(path)) {
      data = JSON.parse(text);
    } else {
      // Loaded only here, so check stays quick to start without a YAML file.
      const { parse } = await import("yaml");
      data = parse(text);
    }
  } catch (error) {
    fail(`cannot parse it: ${(error as Error).message.split("\n")[0]}`);
  }
  const list = Array.isArray(data)
    ? data
    : isRecord(data) && Array.isArray(data.metrics)
    ? data.metrics
    : fail("expected a list of metrics, or a map with a 'metrics' list");
  if (isRecord(data) && !Array.isArray(data)) {
    const extra = Object.keys(data).filter((k) => k !== "metrics");
    if (extra.length > 0) fail(`unknown top-level key '${extra[0]}' (expected 'metrics')`);
  }
  const metrics = (list as unknown[]).map((entry, index) =>
    toExpectation(entry, `metrics[${index}]`, fail)
  );
  if (metrics.length === 0) fail("it lists no metrics");
  return { source: path, metrics };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toExpectation(
  entry: unknown,
  where: string,
  fail: (what: string) => never,
): MetricExpectation {
  if (!isRecord(entry)) fail(`${where}: expected a map with at least 'name'`);
  const e = entry as Record<string, unknown>;
  const unknown = Object.keys(e).find((k) => !KEYS.includes(k));
  if (unknown !== undefined) {
    fail(`${where}: unknown key '${unknown}' (expected ${KEYS.join(", ")})`);
  }
  if (typeof e.name !== "string" || !METRIC_NAME.test(e.name)) {
    fail(`${where}.name: expected a metric name, got ${JSON.stringify(e.name)}`);
  }
  const result: MetricExpectation = { name: e.name as string };
  const at = `${where} (${e.name})`;
  if (e.type !== undefined) {
    if (typeof e.type !== "string" || !TYPES.includes(e.type)) {
      fail(`${at}.type: ${JSON.stringify(e.type)} is not one of ${TYPES.join(", ")}`);
    }
    result.type = e.type as FamilyType;
  }
  if (e.labels !== undefined) {
    if (
      !Array.isArray(e.labels) ||
      !e.labels.every((l) => typeof l === "string" && LABEL_NAME.test(l))
    ) {
      fail(`${at}.labels: expected a list of label names`);
    }
    result.labels = e.labels as string[];
  }
  if (e.buckets !== undefined) {
    if (
      !Array.isArray(e.buckets) ||
      !e.buckets.every((b) => typeof b === "number" && Number.isFinite(b))
    ) {
      fail(`${at}.buckets: expected a list of finite numbers (without +Inf)`);
    }
    if (result.type !== undefined && result.type !== "histogram") {
      fail(`${at}.buckets: only a histogram has buckets`);
    }
    result.buckets = e.buckets as number[];
  }
  for (const key of ["min", "max"] as const) {
    if (e[key] === undefined) continue;
    if (typeof e[key] !== "number") fail(`${at}.${key}: expected a number`);
    result[key] = e[key] as number;
  }
  if (e.series !== undefined) {
    if (!Array.isArray(e.series) || !e.series.every(isLabelMap)) {
      fail(`${at}.series: expected a list of {label: value} maps`);
    }
    result.series = e.series as Record<string, string>[];
  }
  if (e.labelValues !== undefined) {
    const values = e.labelValues;
    if (
      !isRecord(values) ||
      !Object.values(values).every((v) => Array.isArray(v) && v.every((x) => typeof x === "string"))
    ) {
      fail(`${at}.labelValues: expected a map of label name to a list of values`);
    }
    result.labelValues = values as Record<string, string[]>;
  }
  return result;
}

function isLabelMap(value: unknown): boolean {
  return isRecord(value) &&
    Object.entries(value).every(([k, v]) => LABEL_NAME.test(k) && typeof v === "string");
}
