/**
 * The one snapshot type: what a registry holds at the moment of a scrape, as both encoders
 * (text_format.ts, openmetrics.ts) read it. prom_registry.ts reads it out of prom-client; the
 * fast metrics of src/metrics produce the same shape from their `get()`.
 *
 * @module
 */

import type { NativeBucketRun, NativeSnapshot } from "../metrics/native_buckets.ts";

export type { NativeBucketRun, NativeSnapshot };

/** One sample of a family. */
export interface SnapshotValue {
  /** Sample value. */
  value: number;
  /** Every label of the sample; histogram bounds arrive as a number (or `"+Inf"`) in `le`. */
  labels: Readonly<Record<string, string | number>>;
  /** Sample name when it differs from the family name (`_bucket`, `_sum`, `_count`). */
  metricName?: string;
}

/** One metric family. */
export interface SnapshotFamily {
  /** Metric name as registered (counters end in `_total`). */
  name: string;
  /** HELP text. */
  help: string;
  /** prom-client type: counter, gauge, histogram, summary. */
  type: string;
  /** Samples, in exposition order. */
  values: readonly SnapshotValue[];
  /**
   * Histograms with native buckets: one entry per series, in the order of the series' samples.
   * Only the protobuf encoder reads it (the text formats have no native buckets).
   */
  native?: readonly NativeSnapshot[];
}

/** A whole registry: its families in registration order, which is the exposition order. */
export type Snapshot = readonly SnapshotFamily[];
