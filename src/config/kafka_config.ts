import { UsageError } from "../errors.ts";
import { resolveAddressFamily } from "../kafka/client.ts";
import type { KafkaConfig } from "../kafka/settings.ts";
import { type KafkaSecurityFlags, resolveKafkaSecurity } from "./kafka_security.ts";
import { parseBrokers, pick } from "./parse.ts";
import { SETTINGS } from "./settings.ts";

/** Flags shared by every mode that talks to Kafka. */
export interface KafkaFlags extends KafkaSecurityFlags {
  brokers?: string;
  addressFamily?: string;
}

/** Default bootstrap servers, as in the original exporter. */
export const DEFAULT_BROKERS = "localhost:9092";

/** Resolves connection settings: flags win over env vars, which win over defaults. */
export function resolveKafkaConfig(
  flags: KafkaFlags,
  env: Record<string, string | undefined>,
): KafkaConfig {
  const brokersSetting = pick(SETTINGS.brokers, { flags, env });
  const brokers = parseBrokers(brokersSetting?.raw ?? DEFAULT_BROKERS, {
    source: brokersSetting?.source ?? SETTINGS.brokers.env,
  });
  const familySetting = pick(SETTINGS.addressFamily, { flags, env });
  const addressFamily = resolveAddressFamily(familySetting?.raw, brokers);
  if (addressFamily === undefined) {
    throw new UsageError(
      `Invalid ${familySetting?.source} '${familySetting?.raw}': expected any, v4 or v6`,
    );
  }
  const security = resolveKafkaSecurity(flags, env);
  return security ? { brokers, addressFamily, security } : { brokers, addressFamily };
}
