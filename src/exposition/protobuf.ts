/**
 * The protobuf exposition: length-delimited `io.prometheus.client.MetricFamily` messages, the one
 * format that carries native histograms (docs/exposition_protobuf.md). Encoded from the same
 * {@link Snapshot} as the text formats: counters, gauges and every histogram's classic buckets,
 * `_sum` and `_count` are the text format's samples; a histogram family's `native` entries (see
 * src/metrics/fast_metrics.ts) add the native buckets to the same series.
 *
 * @module
 */

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { sizeDelimitedEncode } from "@bufbuild/protobuf/wire";
import {
  type Bucket,
  BucketSchema,
  type BucketSpan,
  BucketSpanSchema,
  type HistogramSchema,
  type LabelPair,
  LabelPairSchema,
  type Metric,
  type MetricFamily,
  MetricFamilySchema,
  MetricSchema,
  MetricType,
} from "../gen/io/prometheus/client/metrics_pb.ts";
import type { NativeBucketRun, Snapshot, SnapshotFamily, SnapshotValue } from "./snapshot.ts";
import type { Pace } from "./pacer.ts";
import { concatBytes } from "../util/concat_bytes.ts";

/** Content type of the delimited protobuf exposition, as Prometheus asks for it. */
export const PROTOBUF_CONTENT_TYPE =
  "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

// Runs of zero buckets up to this long are written as buckets, longer ones start a new span:
// two zero deltas cost less than a span (client_golang does the same).
const MAX_ZERO_GAP = 2;

/** Spans and deltas of one sign's native buckets, as the protobuf schema writes them. */
export interface SpansAndDeltas {
  /** Runs of consecutive buckets; the first offset is the first index, later ones the gap. */
  spans: { offset: number; length: number }[];
  /** Each bucket's count minus the previous bucket's (the first: minus 0). */
  deltas: number[];
}

/** Encodes a run of native bucket counts as spans and deltas, leaving out long zero gaps. */
export function toSpansAndDeltas(run: NativeBucketRun): SpansAndDeltas {
  const spans: SpansAndDeltas["spans"] = [];
  const deltas: number[] = [];
  let previous = 0;
  let lastIndex: number | undefined; // index of the last bucket written
  const { counts, offset } = run;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const index = offset + i;
    const gap = lastIndex === undefined ? Infinity : index - lastIndex - 1;
    if (gap > MAX_ZERO_GAP) {
      spans.push({ offset: lastIndex === undefined ? index : gap, length: 0 });
    } else {
      for (let z = 0; z < gap; z++) {
        deltas.push(0 - previous + 0); // + 0: no -0
        previous = 0;
      }
    }
    spans[spans.length - 1].length += gap > MAX_ZERO_GAP ? 1 : gap + 1;
    deltas.push(counts[i] - previous);
    previous = counts[i];
    lastIndex = index;
  }
  return { spans, deltas };
}

function labelPairs(labels: SnapshotValue["labels"], skip?: string): LabelPair[] {
  const pairs: LabelPair[] = [];
  for (const name in labels) {
    if (name !== skip) pairs.push(create(LabelPairSchema, { name, value: String(labels[name]) }));
  }
  return pairs;
}

function spanMessages(spans: SpansAndDeltas["spans"]): BucketSpan[] {
  return spans.map((span) => create(BucketSpanSchema, span));
}

// Counts are whole numbers (one per observation); the schema's integer fields take bigints.
function whole(count: number): bigint {
  return BigInt(Math.round(count));
}

type HistogramInit = MessageInitShape<typeof HistogramSchema>;

// The series of a histogram family: each ends at its `_count` sample.
function histogramMetrics(family: SnapshotFamily): Metric[] {
  const metrics: Metric[] = [];
  const countName = `${family.name}_count`;
  const sumName = `${family.name}_sum`;
  let bucket: Bucket[] = [];
  let sum = 0;
  for (const sample of family.values) {
    const name = sample.metricName ?? family.name;
    if (name === sumName) sum = sample.value;
    else if (name === countName) {
      const histogram: HistogramInit = {
        sampleCount: whole(sample.value),
        sampleSum: sum,
        bucket,
      };
      const native = family.native?.[metrics.length];
      if (native !== undefined) {
        const positive = toSpansAndDeltas(native.positive);
        const negative = toSpansAndDeltas(native.negative);
        // A histogram with no native bucket yet still says it is native: one no-op span.
        if (positive.spans.length === 0 && negative.spans.length === 0) {
          positive.spans.push({ offset: 0, length: 0 });
        }
        Object.assign(histogram, {
          schema: native.schema,
          zeroThreshold: native.zeroThreshold,
          zeroCount: whole(native.zeroCount),
          positiveSpan: spanMessages(positive.spans),
          positiveDelta: positive.deltas.map(whole),
          negativeSpan: spanMessages(negative.spans),
          negativeDelta: negative.deltas.map(whole),
        });
      }
      metrics.push(create(MetricSchema, { label: labelPairs(sample.labels), histogram }));
      bucket = [];
      sum = 0;
    } else if (sample.labels.le !== "+Inf") {
      // The +Inf bucket is implied by sample_count (as client_golang leaves it out).
      bucket.push(create(BucketSchema, {
        cumulativeCount: whole(sample.value),
        upperBound: Number(sample.labels.le),
      }));
    }
  }
  return metrics;
}

// Summaries: quantile samples, then `_sum` and `_count`, per series.
function summaryMetrics(family: SnapshotFamily): Metric[] {
  const metrics: Metric[] = [];
  let quantile: { quantile: number; value: number }[] = [];
  let sum = 0;
  for (const sample of family.values) {
    const name = sample.metricName ?? family.name;
    if (name === `${family.name}_sum`) sum = sample.value;
    else if (name === `${family.name}_count`) {
      metrics.push(create(MetricSchema, {
        label: labelPairs(sample.labels),
        summary: { sampleCount: whole(sample.value), sampleSum: sum, quantile },
      }));
      quantile = [];
      sum = 0;
    } else quantile.push({ quantile: Number(sample.labels.quantile), value: sample.value });
  }
  return metrics;
}

/** The `MetricFamily` message of one snapshot family. */
export function toMetricFamily(family: SnapshotFamily): MetricFamily {
  const simple = (field: "counter" | "gauge" | "untyped") =>
    family.values.map((sample) =>
      create(MetricSchema, {
        label: labelPairs(sample.labels),
        [field]: { value: sample.value },
      })
    );
  const [type, metric] = family.type === "counter"
    ? [MetricType.COUNTER, simple("counter")]
    : family.type === "gauge"
    ? [MetricType.GAUGE, simple("gauge")]
    : family.type === "histogram"
    ? [MetricType.HISTOGRAM, histogramMetrics(family)]
    : family.type === "summary"
    ? [MetricType.SUMMARY, summaryMetrics(family)]
    : [MetricType.UNTYPED, simple("untyped")];
  return create(MetricFamilySchema, { name: family.name, help: family.help, type, metric });
}

/**
 * Encodes a snapshot as length-delimited `MetricFamily` messages (families without samples are
 * left out, as client_golang does), calling `pace` per family.
 */
export async function encodeProtobuf(snapshot: Snapshot, pace?: Pace): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const family of snapshot) {
    if (family.values.length === 0) continue;
    parts.push(sizeDelimitedEncode(MetricFamilySchema, toMetricFamily(family)));
    const wait = pace?.();
    if (wait) await wait;
  }
  return concatBytes(parts);
}
