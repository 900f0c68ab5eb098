/**
 * `serve`'s per-partition gauges (docs/semantics.md, "Rule: partition metrics"): which
 * partitions this member holds, their lag and their last committed offset, one series per
 * `{topic, partition}`. Every value is read from the member's state when a scrape collects
 * it, so a revoked partition's series are gone from the next scrape on, whatever the lag
 * check's period.
 *
 * @module
 */

import { Gauge, type Registry } from "prom-client";
import { type MetricSpec, PARTITION_METRICS } from "./catalog.ts";

/** What the gauges read: the member's assignment and commits (a `GroupConsumer`). */
export interface PartitionSource {
  /** Partitions of the topic assigned to this member now. */
  readonly assignedPartitions: readonly number[];
  /** Last committed offset (next record to read) per assigned partition that committed one. */
  committedOffsets(): ReadonlyMap<number, bigint>;
}

/** Options for {@linkcode PartitionMetrics}. */
export interface PartitionMetricsOptions {
  /** The topic label. */
  topic: string;
  /** The member whose partitions are exposed. */
  source: PartitionSource;
}

/**
 * Registers the per-partition gauges into `registry` and fills them from the member at
 * each scrape. Lags come from the periodic lag check ({@linkcode setLags}); a lag is shown
 * only for a partition still assigned, so an answer that raced a revoke shows nothing.
 */
export class PartitionMetrics {
  #lags = new Map<number, number>();

  /** Registers the three gauges. */
  constructor(registry: Registry, options: PartitionMetricsOptions) {
    const { topic, source } = options;
    const gauge = (spec: MetricSpec, value: (partition: number) => number | undefined) => {
      new Gauge({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames,
        registers: [registry],
        collect(this: Gauge) {
          this.reset();
          for (const partition of source.assignedPartitions) {
            const v = value(partition);
            if (v !== undefined) this.set({ topic, partition: String(partition) }, v);
          }
        },
      });
    };
    gauge(PARTITION_METRICS.partitionAssigned, () => 1);
    gauge(PARTITION_METRICS.partitionLag, (p) => this.#lags.get(p));
    gauge(PARTITION_METRICS.partitionCommittedOffset, (p) => {
      const offset = source.committedOffsets().get(p);
      return offset === undefined ? undefined : Number(offset);
    });
  }

  /** The lag of `partition` at the latest lag check, or undefined before one measured it. */
  lagOf(partition: number): number | undefined {
    return this.#lags.get(partition);
  }

  /**
   * Keeps the lags of the latest lag check as given: they come from
   * `GroupConsumer.lagByPartition`, the one place that turns a negative lag into 0.
   */
  setLags(lags: readonly { partition: number; lag: number }[]): void {
    this.#lags = new Map(lags.map(({ partition, lag }) => [partition, lag]));
  }
}
