import type { KafkaConfig } from "./settings.ts";
import type { KafkaSecurity } from "./client.ts";
import { classifyKafkaError, type KafkaFailure } from "./errors.ts";
import { diagnoseKafkaFailure } from "./tls_diagnosis.ts";

/** Options for {@linkcode explainKafkaError}. */
export interface ExplainOptions {
  /** Where the client connected, and its security settings (for the wording of fixes). */
  kafka: KafkaConfig;
  /** What `loadKafkaSecurity` returned: its CA certificates are checked against the broker's. */
  security?: KafkaSecurity;
  /** Wall clock in ms. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Everything we can say about a Kafka connection error: classifies it and, for
 * TLS failures and connections the broker dropped, probes the broker (see
 * tls_diagnosis.ts). Format with `formatKafkaFailure`. Never throws.
 *
 * ```ts
 * const failure = await explainKafkaError(error, { kafka: config.kafka, security });
 * throw new RunError(formatKafkaFailure(failure, config.kafka.brokers.join(",")));
 * ```
 */
export async function explainKafkaError(
  error: unknown,
  options: ExplainOptions,
): Promise<KafkaFailure> {
  const { kafka, security } = options;
  const failure = classifyKafkaError(error, { security: kafka.security });
  const ssl = security?.ssl;
  return await diagnoseKafkaFailure(failure, {
    brokers: kafka.brokers,
    addressFamily: kafka.addressFamily,
    security: kafka.security,
    ca: typeof ssl === "object" && Array.isArray(ssl.ca) ? ssl.ca as string[] : undefined,
    clock: options.clock,
  }).catch(() => failure);
}
