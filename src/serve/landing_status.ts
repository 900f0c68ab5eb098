/**
 * `serve`'s landing-page status: build, Kafka settings, readiness and why, the assigned
 * partitions with the lag of the last lag check, and the last minute's record and failure
 * counts from a {@linkcode RollingWindow} over the metrics core's counters.
 *
 * @module
 */
import type { LandingStatus } from "../http/landing_page.ts";
import { formatKafkaFailure, type KafkaFailure } from "../kafka/errors.ts";
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
  /** The last Kafka failure seen while not a member, for the readiness reason. */
  #failure: KafkaFailure | undefined;

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

  /** Records why the last connection or consumer run failed (shown while not ready). */
  reportFailure(failure: KafkaFailure): void {
    this.#failure = failure;
  }

  /** Why `/-/ready` answers 503, or undefined while ready. */
  notReadyReason(): string | undefined {
    if (this.#sources.consumer.ready) return undefined;
    return notReadyReason(this.#sources, this.#failure);
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
      ...(!ready && { notReadyReason: notReadyReason(this.#sources, this.#failure) }),
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
function notReadyReason(
  { group, topic, brokers }: ServeLandingSources,
  failure: KafkaFailure | undefined,
): string {
  if (failure?.kind === "topic") {
    return `topic '${topic}' does not exist at ${brokers}, and serve never creates a topic: ` +
      `create it (e.g. kafka-topics.sh --create --topic ${topic} --partitions N), or set ` +
      "KAFKA_TOPIC or --topic to the topic's name (docs/semantics.md, \"Rule: topics are " +
      'never created")';
  }
  const waiting = `waiting to join group '${group}' and receive its share of topic '${topic}' ` +
    `(brokers ${brokers}; connection failures count in ` +
    `dashstream_exporter_kafka_consumer_errors_total and the log says why)`;
  if (failure !== undefined) {
    return `${waiting}; the last attempt: ${formatKafkaFailure(failure, brokers)}`;
  }
  return `${waiting}. After a kill without a clean leave, the join waits until the group drops ` +
    'the old member: up to its session timeout of 30 s (docs/scaling.md, "Restart after a kill")';
}
