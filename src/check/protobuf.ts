/**
 * Reading the delimited protobuf exposition (`application/vnd.google.protobuf;
 * proto=io.prometheus.client.MetricFamily; encoding=delimited`): each `MetricFamily` is decoded
 * with protobuf-es, its native histograms are checked (docs/exposition_protobuf.md, "What check
 * verifies"), and its classic parts are written as the text format, which the text rules then
 * check like any text exposition. Findings of this file name the family and, as `line`, the
 * 1-based number of the `MetricFamily` message.
 *
 * @module
 */

import { fromBinary } from "@bufbuild/protobuf";
import { sizeDelimitedPeek } from "@bufbuild/protobuf/wire";
import {
  type BucketSpan,
  type Histogram,
  type Metric,
  type MetricFamily,
  MetricFamilySchema,
  MetricType,
} from "../gen/io/prometheus/client/metrics_pb.ts";
import { formatOpenMetricsNumber } from "../exposition/openmetrics.ts";
import { escapeLabelText } from "../exposition/text_format.ts";
import type { Finding } from "./finding.ts";

/** What {@link readProtobufExposition} gives. */
export interface ReadProtobuf {
  /** The classic parts as the text format 0.0.4. */
  text: string;
  /** Decode and native histogram findings. */
  findings: Finding[];
  /** The decoded families. */
  families: MetricFamily[];
}

// Reads a varint at `at`; undefined when it runs past the end or past 5 bytes.
function varint(bytes: Uint8Array, at: number): { value: number; end: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5 && at + i < bytes.length; i++) {
    const b = bytes[at + i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return { value, end: at + i + 1 };
  }
  return undefined;
}

/**
 * True when `body` starts like delimited `MetricFamily` messages: a varint length that fits the
 * body, then the tag of field 1 (`name`, 0x0A). No text exposition starts so (its first line
 * would be one character long).
 */
export function looksLikeProtobuf(body: Uint8Array): boolean {
  const length = varint(body, 0);
  return length !== undefined && length.value > 0 && length.end + length.value <= body.length &&
    body[length.end] === 0x0a;
}

const TYPE_NAMES: Record<MetricType, string> = {
  [MetricType.COUNTER]: "counter",
  [MetricType.GAUGE]: "gauge",
  [MetricType.SUMMARY]: "summary",
  [MetricType.UNTYPED]: "untyped",
  [MetricType.HISTOGRAM]: "histogram",
  [MetricType.GAUGE_HISTOGRAM]: "histogram",
};

function labelText(metric: Metric, extra?: [string, string]): string {
  const pairs = metric.label.map((l) => `${l.name}="${escapeLabelText(l.value)}"`);
  if (extra) pairs.push(`${extra[0]}="${escapeLabelText(extra[1])}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

function countOf(whole: bigint, float: number): number {
  return float > 0 ? float : Number(whole);
}

function* familyLines(family: MetricFamily): Generator<string> {
  const { name } = family;
  const type = TYPE_NAMES[family.type] ?? "untyped";
  const escaped = family.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  yield `# HELP ${name} ${escaped}`;
  yield `# TYPE ${name} ${type}`;
  for (const metric of family.metric) {
    const ts = metric.timestampMs === 0n ? "" : ` ${metric.timestampMs}`;
    const line = (sample: string, value: number, extra?: [string, string]) =>
      `${sample}${labelText(metric, extra)} ${formatOpenMetricsNumber(value)}${ts}`;
    if (type === "histogram") {
      const h = metric.histogram;
      const count = h === undefined ? 0 : countOf(h.sampleCount, h.sampleCountFloat);
      let sawInf = false;
      for (const bucket of h?.bucket ?? []) {
        sawInf ||= bucket.upperBound === Infinity;
        const le = formatOpenMetricsNumber(bucket.upperBound);
        yield line(
          `${name}_bucket`,
          countOf(bucket.cumulativeCount, bucket.cumulativeCountFloat),
          ["le", le],
        );
      }
      // The +Inf bucket is optional in protobuf: it is the sample count.
      if (!sawInf) yield line(`${name}_bucket`, count, ["le", "+Inf"]);
      yield line(`${name}_sum`, h?.sampleSum ?? 0);
      yield line(`${name}_count`, count);
    } else if (type === "summary") {
      const s = metric.summary;
      for (const q of s?.quantile ?? []) {
        yield line(name, q.value, ["quantile", formatOpenMetricsNumber(q.quantile)]);
      }
      yield line(`${name}_sum`, s?.sampleSum ?? 0);
      yield line(`${name}_count`, Number(s?.sampleCount ?? 0n));
    } else {
      const value = metric.counter?.value ?? metric.gauge?.value ?? metric.untyped?.value ?? 0;
      yield line(name, value);
    }
  }
}

/** True when a histogram message carries native buckets (Prometheus' own test). */
export function isNativeHistogram(h: Histogram): boolean {
  return h.positiveSpan.length > 0 || h.negativeSpan.length > 0 || h.zeroThreshold > 0 ||
    h.zeroCount > 0n || h.zeroCountFloat > 0 || h.positiveDelta.length > 0 ||
    h.negativeDelta.length > 0;
}

type Report = (rule: Finding["rule"], message: string) => void;

// The absolute bucket counts of one sign, reporting spans and deltas that do not add up.
function bucketCounts(
  sign: "positive" | "negative",
  spans: readonly BucketSpan[],
  deltas: readonly bigint[],
  counts: readonly number[],
  report: Report,
): number[] {
  let buckets = 0;
  spans.forEach((span, i) => {
    if (i > 0 && span.offset < 0) {
      report(
        "native-spans",
        `${sign} span ${i + 1} has offset ${span.offset}; after the first span an offset is the ` +
          `gap to the previous span and must be 0 or more`,
      );
    }
    buckets += span.length;
  });
  if (deltas.length > 0 && counts.length > 0) {
    report("native-spans", `${sign} buckets given both as deltas and as counts; use one`);
    return [];
  }
  const given = deltas.length > 0 ? deltas.length : counts.length;
  if (given !== buckets) {
    report(
      "native-spans",
      `${sign} spans cover ${buckets} buckets but ${given} ${
        deltas.length > 0 ? "deltas" : "counts"
      } are given; the span lengths must add up to the number of buckets`,
    );
  }
  const absolute: number[] = [];
  if (deltas.length > 0) {
    let running = 0;
    for (const delta of deltas) {
      running += Number(delta);
      absolute.push(running);
    }
  } else absolute.push(...counts);
  const negative = absolute.findIndex((c) => !(c >= 0));
  if (negative >= 0) {
    report(
      "native-negative-count",
      `${sign} bucket ${negative + 1} counts ${absolute[negative]} (from the deltas); bucket ` +
        `counts must be 0 or more`,
    );
  }
  return absolute;
}

/** The native histogram rules for one histogram message. */
function checkNative(h: Histogram, report: Report): void {
  if (!Number.isInteger(h.schema) || h.schema < -4 || h.schema > 8) {
    report("native-schema", `schema ${h.schema} is outside -4..8`);
  }
  if (!(h.zeroThreshold >= 0) || !Number.isFinite(h.zeroThreshold)) {
    report("native-schema", `zero threshold ${h.zeroThreshold} is not a number of 0 or more`);
  }
  const positive = bucketCounts(
    "positive",
    h.positiveSpan,
    h.positiveDelta,
    h.positiveCount,
    report,
  );
  const negative = bucketCounts(
    "negative",
    h.negativeSpan,
    h.negativeDelta,
    h.negativeCount,
    report,
  );
  const zero = countOf(h.zeroCount, h.zeroCountFloat);
  const total = zero + positive.reduce((a, b) => a + b, 0) + negative.reduce((a, b) => a + b, 0);
  const count = countOf(h.sampleCount, h.sampleCountFloat);
  // NaN observations are in the count only, so with a NaN sum the buckets may hold fewer.
  if (total > count || (total < count && !Number.isNaN(h.sampleSum))) {
    report(
      "native-count-mismatch",
      `the native buckets hold ${total} observations (zero bucket ${zero}) but the sample ` +
        `count is ${count}; they must be equal`,
    );
  }
}

/**
 * Decodes a delimited protobuf exposition: decode errors and native histogram findings, and
 * the classic parts as text for the text rules.
 */
export function readProtobufExposition(body: Uint8Array): ReadProtobuf {
  const findings: Finding[] = [];
  const families: MetricFamily[] = [];
  const lines: string[] = [];
  let rest = body;
  for (let number = 1; rest.length > 0; number++) {
    const peek = sizeDelimitedPeek(rest);
    if (peek.eof || peek.offset + peek.size > rest.length) {
      findings.push({
        severity: "error",
        rule: "protobuf-syntax",
        line: number,
        message: `MetricFamily message ${number} is cut short: ${rest.length} bytes left, ` +
          `fewer than its length prefix announces`,
      });
      break;
    }
    let family: MetricFamily;
    try {
      family = fromBinary(MetricFamilySchema, rest.subarray(peek.offset, peek.offset + peek.size));
    } catch (error) {
      findings.push({
        severity: "error",
        rule: "protobuf-syntax",
        line: number,
        message: `MetricFamily message ${number} does not decode: ${(error as Error).message}`,
      });
      break;
    }
    rest = rest.subarray(peek.offset + peek.size);
    families.push(family);
    const report: Report = (rule, message) =>
      findings.push({ severity: "error", rule, line: number, metric: family.name, message });
    for (const metric of family.metric) {
      const h = metric.histogram;
      if (h !== undefined && isNativeHistogram(h)) {
        checkNative(
          h,
          (rule, message) => report(rule, `${family.name}${labelText(metric)}: ${message}`),
        );
      }
    }
    lines.push(...familyLines(family));
  }
  return { text: lines.length === 0 ? "" : `${lines.join("\n")}\n`, findings, families };
}
