/**
 * The options more than one mode takes, each defined once: the flag, its
 * argument and its usual description (a mode may word the description for its
 * context, e.g. `replay`'s "with --to-kafka: ..."). Typed by
 * `@commander-js/extra-typings`, so a mode's action sees them as typed options.
 * @module
 */
import { type Command, Option, type OptionValues } from "@commander-js/extra-typings";
import type { KafkaSecurityFlags } from "../config/kafka_security.ts";
import type { NativeHistogramFlags } from "../config/native_histograms.ts";
import { EXIT_CODES } from "../exit_codes.ts";

/** `--log-level`: every mode takes it; without it, `RUST_LOG` (as the original), else info. */
export function logLevelOption() {
  return new Option(
    "--log-level <level>",
    "debug | info | warn | error | quiet (RUST_LOG levels: trace=debug, off=quiet) [info]",
  );
}

/** `--brokers`: Kafka bootstrap servers (`serve`, `tail`, `replay --to-kafka`). */
export function brokersOption(
  description = "Kafka bootstrap servers, host:port[,host:port] (KAFKA_BROKERS)",
) {
  return new Option("--brokers <list>", description);
}

/** `--address-family`: the brokers' address family (`serve`, `tail`, `replay --to-kafka`). */
export function addressFamilyOption(
  description = "any | v4 | v6 (KAFKA_BROKER_ADDRESS_FAMILY)",
) {
  return new Option("--address-family <family>", description);
}

/** `--topic`: the topic a mode reads or writes; each mode says which. */
export function topicOption(description: string) {
  return new Option("--topic <name>", description);
}

/** `--max-payload-bytes`: the record size limit (`serve`, `tail`, `replay`). */
export function maxPayloadBytesOption() {
  return new Option("--max-payload-bytes <n>", "record size limit (DASHSTREAM_MAX_PAYLOAD_BYTES)");
}

/**
 * The native histogram options (`serve`, `replay`): native buckets beside the classic ones, in
 * the protobuf exposition only.
 */
export function addNativeHistogramOptions<
  Args extends unknown[],
  Opts extends OptionValues,
  GlobalOpts extends OptionValues,
>(
  command: Command<Args, Opts, GlobalOpts>,
): Command<Args, Opts & NativeHistogramFlags, GlobalOpts> {
  const options = [
    new Option(
      "--native-histograms <on|off>",
      "native buckets in the protobuf exposition (PROMETHEUS_NATIVE_HISTOGRAMS) [on]",
    ),
    new Option(
      "--native-histogram-bucket-factor <f>",
      "largest growth from one native bucket to the next, > 1 " +
        "(PROMETHEUS_NATIVE_HISTOGRAM_BUCKET_FACTOR) [1.1]",
    ),
    new Option(
      "--native-histogram-max-buckets <n>",
      "native buckets per series before the resolution halves " +
        "(PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS) [160]",
    ),
  ];
  for (const option of options) command.addOption(option);
  return command as unknown as Command<Args, Opts & NativeHistogramFlags, GlobalOpts>;
}

/** `--port`: the HTTP port of /metrics (`serve`, `replay --serve`). */
export function portOption(description: string) {
  return new Option("--port <port>", description);
}

/** `--bind`: the HTTP bind address of /metrics (`serve`, `replay --serve`). */
export function bindOption(description: string) {
  return new Option("--bind <ip>", description);
}

/**
 * `--web.listen-address`: exporter-toolkit style listen address, repeatable (`serve`,
 * `replay --serve`).
 */
export function webListenAddressOption(description: string) {
  return new Option("--web.listen-address <address>", description).argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

/** `--web.telemetry-path`: where the exposition is served (`serve`, `replay --serve`). */
export function webTelemetryPathOption(description: string) {
  return new Option("--web.telemetry-path <path>", description);
}

/**
 * The TLS/SASL flags, identical in every mode that talks to Kafka (`serve`,
 * `tail`, `replay --to-kafka`). Secrets are taken from files only: a password
 * on the command line would show in `ps`.
 */
function kafkaSecurityOptions(): Option[] {
  return [
    new Option(
      "--security-protocol <protocol>",
      "plaintext | ssl | sasl_plaintext | sasl_ssl (KAFKA_SECURITY_PROTOCOL) [plaintext]",
    ),
    new Option(
      "--sasl-mechanism <mechanism>",
      "PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 | OAUTHBEARER (KAFKA_SASL_MECHANISM)",
    ),
    new Option("--sasl-username <name>", "SASL user (KAFKA_SASL_USERNAME)"),
    new Option(
      "--sasl-password-file <file>",
      "file holding the SASL password (KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE)",
    ),
    new Option(
      "--sasl-oauthbearer-token-file <file>",
      "OAUTHBEARER token file, read at every login (KAFKA_SASL_OAUTHBEARER_TOKEN_FILE)",
    ),
    new Option(
      "--ssl-ca <file>",
      "CA certificates (PEM) to verify brokers (KAFKA_SSL_CA_LOCATION)",
    ),
    new Option(
      "--ssl-cert <file>",
      "client certificate (PEM) for mTLS (KAFKA_SSL_CERTIFICATE_LOCATION)",
    ),
    new Option(
      "--ssl-key <file>",
      "its private key (PEM, may be encrypted) (KAFKA_SSL_KEY_LOCATION)",
    ),
    new Option(
      "--ssl-key-password-file <file>",
      "file holding the key's password (KAFKA_SSL_KEY_PASSWORD, KAFKA_SSL_KEY_PASSWORD_FILE)",
    ),
    new Option(
      "--ssl-endpoint-algorithm <algorithm>",
      "https: check the broker's hostname | none (KAFKA_SSL_ENDPOINT_ALGORITHM) [https]",
    ),
  ];
}

/**
 * Adds the TLS/SASL flags to a mode's command; its action then sees them as
 * `KafkaSecurityFlags`. Typed by hand here (the one cast of the CLI): inferring ten
 * chained options on a generic command makes the type checker take minutes.
 */
export function addKafkaSecurityOptions<
  Args extends unknown[],
  Opts extends OptionValues,
  GlobalOpts extends OptionValues,
>(command: Command<Args, Opts, GlobalOpts>): Command<Args, Opts & KafkaSecurityFlags, GlobalOpts> {
  for (const option of kafkaSecurityOptions()) command.addOption(option);
  return command as unknown as Command<Args, Opts & KafkaSecurityFlags, GlobalOpts>;
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
  certificate, an unknown mechanism, a file that cannot be read) fail at start, exit ${EXIT_CODES.usage}.
`;
