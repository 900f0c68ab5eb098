/**
 * Validated Kafka settings, the input of `createKafka` and `loadKafkaSecurity`:
 * the connection (brokers, address family) and the TLS/SASL security. Flags and
 * env vars are resolved into them by src/config/ (`resolveKafkaConfig`,
 * `resolveKafkaSecurity`); this folder only consumes them, so it imports nothing
 * from src/config/. Sources (`source`) name the flag or env var a value came
 * from, for messages.
 * @module
 */

/** Validated connection settings. */
export interface KafkaConfig {
  brokers: string[];
  addressFamily: 0 | 4 | 6;
  /**
   * TLS/SASL settings, absent for plaintext. Files are only named: pass this to
   * `loadKafkaSecurity` (security.ts) and its result to `createKafka`.
   */
  security?: KafkaSecuritySettings;
}

/** `KAFKA_SECURITY_PROTOCOL` values, as librdkafka spells them. */
export const SECURITY_PROTOCOLS = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"] as const;

/** How the client talks to the broker. */
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

/** Supported `KAFKA_SASL_MECHANISM` values. */
export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"] as const;

/** A SASL mechanism. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** A file named by a flag or env var; `source` says which, for messages. */
export interface FileSetting {
  path: string;
  source: string;
}

/** A secret given inline (an env var) or as a file. Its value is never printed. */
export type SecretSetting =
  | { kind: "value"; value: string; source: string }
  | { kind: "file"; path: string; source: string };

/** TLS settings (protocols `ssl` and `sasl_ssl`). */
export interface KafkaTlsSettings {
  /** CA bundle to trust; the runtime's default roots when absent. */
  ca?: FileSetting;
  /** Client certificate and key, for brokers that require mTLS. */
  cert?: FileSetting;
  key?: FileSetting;
  /** Password of an encrypted `key`. */
  keyPassword?: SecretSetting;
  /** Check the broker's certificate names the host we connect to (`https`, the default). */
  verifyHostname: boolean;
}

/** SASL settings (protocols `sasl_plaintext` and `sasl_ssl`). */
export interface KafkaSaslSettings {
  mechanism: SaslMechanism;
  /** PLAIN and SCRAM. */
  username?: string;
  password?: SecretSetting;
  /** OAUTHBEARER: a file holding the token, read again at every authentication. */
  tokenFile?: FileSetting;
}

/** Validated security settings for ssl, sasl_plaintext and sasl_ssl (none means plaintext). */
export interface KafkaSecuritySettings {
  protocol: SecurityProtocol;
  tls?: KafkaTlsSettings;
  sasl?: KafkaSaslSettings;
}
