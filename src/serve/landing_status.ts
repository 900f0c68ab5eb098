/**
 * `serve`'s landing-page status: build, Kafka settings, readiness and why, the assigned
 * partitions with the lag of the last lag check, and the last minute's record and failure
 * counts from a {@linkcode RollingWindow} over the metrics core's counters.
 *
 * @module
 */
import type { LandingStatus } from "../http/landing_page.ts";
import type { MetricsCore } from "../metrics/mod.ts";
import type { PartitionMetrics } from "../metrics/partition_metrics.ts";
import { RollingWindow } from "../metrics/rolling_window.ts";

/** How often the counters are sampled for the one-minute window. */
export const ACTIVITY_SAMPLE_MS = 5_000;
/** How often the page reloads itself (a meta refresh: no script). */
const REFRESH_SECS = 10;

/** What {@linkcode ServeLanding} reads. */
export interface ServeLandingSources {
  core: Pick<MetricsCore, "activity">;
  consumer: { readonly ready: boolean; readonly assignedPartitions: readonly number[] };
  /** The latest lag check, per partition (the per-partition metrics keep it). */
  lags: Pick<PartitionMetrics, "lagOf">;
  build: { version: string; commit: string; buildDate: string; runtime: string };
  brokers: string;
  topic: string;
  group: string;
  /** Where the metrics are served (default `/metrics`). */
  telemetryPath?: string;
  /** Epoch ms. */
  now: () => number;
}

/**
 * Holds what the page needs beyond the sources: the counter samples. The owner calls
 * {@linkcode sample} every {@linkcode ACTIVITY_SAMPLE_MS}; lags are read from the
 * per-partition metrics, which keep the last lag check.
 */
export class ServeLanding {
  readonly #sources: ServeLandingSources;
  readonly #window: RollingWindow;

  constructor(sources: ServeLandingSources) {
    this.#sources = sources;
    this.#window = new RollingWindow(sources.now, sources.core.activity, {
      intervalMs: ACTIVITY_SAMPLE_MS,
    });
  }

  /** Samples the counters into the one-minute window. */
  sample(): void {
    this.#window.sample(this.#sources.core.activity);
  }

  /** The status now. */
  status(): LandingStatus {
    const { core, consumer, build, brokers, topic, group, telemetryPath, now } = this.#sources;
    const activity = core.activity;
    const { ratePerSecond, failures } = this.#window.over(activity);
    const ready = consumer.ready;
    return {
      mode: "serve",
      ...build,
      ready,
      ...(!ready && { notReadyReason: notReadyReason(this.#sources) }),
      brokers,
      topic,
      group,
      partitions: consumer.assignedPartitions.map((partition) => ({
        partition,
        lag: this.#sources.lags.lagOf(partition),
      })),
      ratePerSecond,
      failuresLastMinute: failures,
      ...(activity.lastEventSecs > 0 && { lastEventTimeMs: activity.lastEventSecs * 1000 }),
      telemetryPath: telemetryPath ?? "/metrics",
      nowMs: now(),
      refreshSecs: REFRESH_SECS,
    };
  }
}

// Not ready means not a member of the group (yet, or again after a crash): a member holds its
// partitions only while it is one, so there is no partition to show then.
function notReadyReason({ group, topic, brokers }: ServeLandingSources): string {
  return `waiting to join group '${group}' and receive its share of topic '${topic}' ` +
    `(brokers ${brokers}; connection failures count in ` +
    `dashstream_exporter_kafka_consumer_errors_total and the log says why)`;
}
