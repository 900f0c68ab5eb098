/**
 * `serve`'s first connection to Kafka: retried with backoff until it succeeds
 * or the process stops, each failure explained and counted.
 * @module
 */
import type { KafkaSecurity } from "../kafka/client.ts";
import { formatKafkaFailure, type KafkaFailure } from "../kafka/errors.ts";
import { explainKafkaError } from "../kafka/explain.ts";
import type { KafkaConfig } from "../kafka/settings.ts";
import type { Logger } from "../log.ts";
import { sleep } from "../util/sleep.ts";

const FIRST_BACKOFF_MS = 500;
const MAX_CONNECT_BACKOFF_MS = 30_000;

/** What {@linkcode connectWithRetry} starts: the group consumer. */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Options for {@linkcode connectWithRetry}. */
export interface ConnectOptions {
  /** The connection settings, for the wording of fixes. */
  kafka: KafkaConfig;
  /** The topic, named when it does not exist. */
  topic: string;
  /** What `loadKafkaSecurity` returned: its CA certificates are checked against the broker's. */
  security?: KafkaSecurity;
  /**
   * Called on every failed attempt, with what failed (counts
   * `dashstream_exporter_kafka_consumer_errors_total`, words the readiness reason).
   */
  onFailure: (failure: KafkaFailure) => void;
  log: Logger;
  /** Wall clock in ms. */
  clock: () => number;
  /** Stops retrying. */
  signal: AbortSignal;
}

/**
 * Starts `consumer`. The first connection may fail (broker not up yet, TLS or
 * credentials refused): log which (`error_kind`), stop the half-started
 * consumer and try again with doubling backoff (0.5 s up to 30 s) while
 * /-/ready says 503. Later failures are retried by the consumer itself.
 * Resolves once started or aborted.
 */
export async function connectWithRetry(
  consumer: Startable,
  options: ConnectOptions,
): Promise<void> {
  const { kafka, topic, log, signal } = options;
  const brokers = kafka.brokers.join(",");
  let backoff = FIRST_BACKOFF_MS;
  while (!signal.aborted) {
    try {
      await consumer.start();
      return;
    } catch (error) {
      if (signal.aborted) return;
      const failure = await explainKafkaError(error, {
        kafka,
        security: options.security,
        clock: options.clock,
      });
      options.onFailure(failure);
      if (signal.aborted) return;
      const retry = `retrying in ${backoff} ms`;
      log.error(
        failure.kind === "topic"
          ? `Topic '${topic}' not found at ${brokers} (${retry}; serve never creates a topic: ` +
            `create it, or set KAFKA_TOPIC or --topic)`
          : failure.kind === "unreachable" || failure.kind === "other"
          ? `${formatKafkaFailure(failure, brokers)} (${retry}; set KAFKA_BROKERS or --brokers)`
          : `${formatKafkaFailure(failure, brokers)} (${retry})`,
        { error_kind: failure.kind },
      );
      await consumer.stop().catch(() => {});
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, MAX_CONNECT_BACKOFF_MS);
    }
  }
}
