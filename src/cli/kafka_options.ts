import type { Command } from "commander";

/**
 * The TLS/SASL flags, identical in every mode that talks to Kafka (`serve`,
 * `tail`, `replay --to-kafka`); they fill `KafkaSecurityFlags`. Secrets are
 * taken from files only: a password on the command line would show in `ps`.
 */
export function addKafkaSecurityOptions(command: Command): Command {
  return command
    .option(
      "--security-protocol <protocol>",
      "plaintext | ssl | sasl_plaintext | sasl_ssl (KAFKA_SECURITY_PROTOCOL) [plaintext]",
    )
    .option(
      "--sasl-mechanism <mechanism>",
      "PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 | OAUTHBEARER (KAFKA_SASL_MECHANISM)",
    )
    .option("--sasl-username <name>", "SASL user (KAFKA_SASL_USERNAME)")
    .option(
      "--sasl-password-file <file>",
      "file holding the SASL password (KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE)",
    )
    .option(
      "--sasl-oauthbearer-token-file <file>",
      "OAUTHBEARER token file, read at every login (KAFKA_SASL_OAUTHBEARER_TOKEN_FILE)",
    )
    .option("--ssl-ca <file>", "CA certificates (PEM) to verify brokers (KAFKA_SSL_CA_LOCATION)")
    .option(
      "--ssl-cert <file>",
      "client certificate (PEM) for mTLS (KAFKA_SSL_CERTIFICATE_LOCATION)",
    )
    .option("--ssl-key <file>", "its private key (PEM, may be encrypted) (KAFKA_SSL_KEY_LOCATION)")
    .option(
      "--ssl-key-password-file <file>",
      "file holding the key's password (KAFKA_SSL_KEY_PASSWORD, KAFKA_SSL_KEY_PASSWORD_FILE)",
    )
    .option(
      "--ssl-endpoint-algorithm <algorithm>",
      "https: check the broker's hostname | none (KAFKA_SSL_ENDPOINT_ALGORITHM) [https]",
    );
}

/** The security env vars, for a mode's `--help` epilogue. */
export const KAFKA_SECURITY_HELP = `
Kafka security (env vars of the original exporter; each has the flag shown above):
  KAFKA_SECURITY_PROTOCOL         plaintext | ssl | sasl_plaintext | sasl_ssl [plaintext]
  KAFKA_SASL_MECHANISM            PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 | OAUTHBEARER
  KAFKA_SASL_USERNAME             SASL user
  KAFKA_SASL_PASSWORD             SASL password (or KAFKA_SASL_PASSWORD_FILE: a file holding it)
  KAFKA_SASL_OAUTHBEARER_TOKEN_FILE  OAUTHBEARER token file, read at every login
  KAFKA_SSL_CA_LOCATION           CA certificates (PEM) [the system's]
  KAFKA_SSL_CERTIFICATE_LOCATION  client certificate (PEM), with KAFKA_SSL_KEY_LOCATION
  KAFKA_SSL_KEY_LOCATION          client key (PEM; PKCS#8 or traditional, may be encrypted)
  KAFKA_SSL_KEY_PASSWORD          its password (or KAFKA_SSL_KEY_PASSWORD_FILE)
  KAFKA_SSL_ENDPOINT_ALGORITHM    https (check the broker's hostname) | none [https]
  Mismatched settings (SASL settings with a non-SASL protocol, a key without its
  certificate, an unknown mechanism, a file that cannot be read) fail at start, exit 2.
`;
