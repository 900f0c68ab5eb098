/**
 * OpenMetrics 1.0 text encoding of a registry {@link Snapshot} (see prom_registry.ts).
 *
 * Why not prom-client's own: with an OpenMetrics registry, prom-client 15 strips `_total` from
 * every counter's `name` in place while rendering, so the same metric objects could no longer
 * render the 0.0.4 text format (and two interleaved renders would race). Encoding from the JSON
 * snapshot leaves the metrics untouched, so one registry serves both formats.
 *
 * @module
 */

import { type Pace, pacedJoin } from "./pacer.ts";
import type { Snapshot, SnapshotValue } from "./snapshot.ts";
import { escapeLabelText } from "./text_format.ts";

/** OpenMetrics content type served for this encoding. */
export const OPENMETRICS_CONTENT_TYPE =
  "application/openmetrics-text; version=1.0.0; charset=utf-8";

/** Format a sample value as OpenMetrics wants it (`NaN`, `+Inf`, `-Inf`, else decimal). */
export function formatOpenMetricsNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return `${value}`;
}

// OpenMetrics' canonical form for bounds: Go's %g with ".0" added to integral values.
function formatBound(le: string | number): string {
  if (typeof le !== "number") return le;
  if (Number.isInteger(le) && Math.abs(le) < 1e21) return `${le}.0`;
  return formatOpenMetricsNumber(le);
}

function formatLabels(labels: SnapshotValue["labels"]): string {
  let out = "";
  let le: string | undefined;
  for (const name in labels) {
    const value = labels[name];
    if (name === "le") {
      le = formatBound(value);
      continue;
    }
    out += `${out === "" ? "" : ","}${name}="${escapeLabelText(String(value))}"`;
  }
  // `le` last reads better and matches most exposers.
  if (le !== undefined) out += `${out === "" ? "" : ","}le="${escapeLabelText(le)}"`;
  return out === "" ? "" : `{${out}}`;
}

function* openMetricsLines(families: Snapshot): Generator<string> {
  for (const family of families) {
    const isCounter = family.type === "counter";
    const name = isCounter ? family.name.replace(/_total$/, "") : family.name;
    yield `# HELP ${name} ${escapeLabelText(family.help)}`;
    yield `# TYPE ${name} ${family.type}`;
    const isHistogram = family.type === "histogram";
    // Labels of a histogram series whose _sum was left out, so its _count goes too.
    let droppedSumLabels: string | undefined;
    for (const sample of family.values) {
      const sampleName = isCounter ? `${name}_total` : sample.metricName ?? family.name;
      const labels = formatLabels(sample.labels);
      if (isHistogram && sampleName === `${name}_sum` && !(sample.value >= 0)) {
        droppedSumLabels = labels;
        continue;
      }
      if (isHistogram && sampleName === `${name}_count` && labels === droppedSumLabels) continue;
      yield `${sampleName}${labels} ${formatOpenMetricsNumber(sample.value)}`;
    }
  }
  yield "# EOF";
}

/**
 * Encode a snapshot as OpenMetrics 1.0 text, ending with `# EOF`. Counter families are named
 * without `_total` and their samples with it. A histogram series whose `_sum` is negative or NaN
 * (possible only with such observations, e.g. a negative quality score) is written without
 * `_sum` and `_count`: OpenMetrics requires sums to be counter-like and `_count` to appear if and
 * only if `_sum` does; the count stays readable from the `+Inf` bucket.
 */
export function encodeOpenMetrics(families: Snapshot): string {
  return [...openMetricsLines(families)].join("\n") + "\n";
}

/** {@link encodeOpenMetrics}, calling `pace` per line so a large exposition yields between slices. */
export async function encodeOpenMetricsPaced(
  families: Snapshot,
  pace: Pace,
): Promise<string> {
  return (await pacedJoin(openMetricsLines(families), pace)) + "\n";
}
