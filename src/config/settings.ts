/**
 * The one table of settings that a flag (and, for most, an env var of the original exporter)
 * gives: per setting its flag, value placeholder, env var and help text. The modes declare
 * their commander options from it (`settingOption` in src/cli/shared_options.ts) and the
 * resolvers read values through it (`pick` in ./parse.ts), so each flag and env var name is
 * written here only, and an error names the same flag or env var that `--help` shows.
 * @module
 */
import { SASL_MECHANISMS, SECURITY_PROTOCOLS } from "../kafka/settings.ts";
import { MAX_PAYLOAD_BYTES_ENV } from "../wire/limits.ts";

/** `"web.maxRequests"` → `"webMaxRequests"`, as `undotFlags` (src/cli/undot_flags.ts) renames. */
export type Undot<Name extends string> = Name extends `${infer Head}.${infer Tail}`
  ? `${Head}${Undot<Capitalize<Tail>>}`
  : Name;

/** `"max-payload-bytes"` → `"maxPayloadBytes"`, as commander names an option's attribute. */
type Camel<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : Name;

/**
 * The attribute a flag's value is found under in a mode's parsed (and undotted) options:
 * `"--web.max-requests"` → `"webMaxRequests"`.
 */
export type FlagKey<Flag extends string> = string extends Flag ? string
  : Flag extends `--${infer Name}` ? Undot<Camel<Name>>
  : never;

/** One setting: its flag, the env var that stands in for it, and its `--help` line. */
export interface Setting<
  Flag extends string = string,
  Arg extends string = string,
  Key extends string = FlagKey<Flag>,
> {
  /** The flag, e.g. `--web.config.file`; errors name it when the value came from it. */
  readonly flag: Flag;
  /** Where the parsed (undotted) options hold the value, e.g. `webConfigFile`. */
  readonly key: Key;
  /** The value placeholder of `--help`, e.g. `<path>`. */
  readonly arg: Arg;
  /** The env var read when the flag is not given; errors name it when the value came from it. */
  readonly env?: string;
  /**
   * A secret: the flag names a file, the env var holds the value, and the env var with a
   * `_FILE` suffix names a file (see {@linkcode envNames}).
   */
  readonly secret?: boolean;
  /** The usual help text, without the env var and default that `--help` appends. */
  readonly help: string;
  /** The default as `--help` shows it after the text, in brackets; none when unset. */
  readonly shown?: string;
}

/** The row of a setting, less what the flag already says. */
type Row = Omit<Setting, "flag" | "key">;

/** A setting of the table; its type keeps the row's literals (`env` is known to be set). */
function setting<const Flag extends `--${string}`, const Given extends Row>(
  flag: Flag,
  row: Given,
): Setting<Flag, Given["arg"]> & Given {
  const key = flag.slice(2).replace(/[-.](.)/g, (_sep, next: string) => next.toUpperCase());
  return { flag, key: key as FlagKey<Flag>, ...row };
}

/** Every setting more than one place names, by its attribute name. */
export const SETTINGS = {
  brokers: setting("--brokers", {
    arg: "<list>",
    env: "KAFKA_BROKERS",
    help: "Kafka bootstrap servers, host:port[,host:port]",
  }),
  addressFamily: setting("--address-family", {
    arg: "<family>",
    env: "KAFKA_BROKER_ADDRESS_FAMILY",
    help: "any | v4 | v6",
  }),
  topic: setting("--topic", { arg: "<name>", env: "KAFKA_TOPIC", help: "topic to read" }),
  group: setting("--group", { arg: "<id>", env: "KAFKA_GROUP_ID", help: "consumer group id" }),
  autoOffsetReset: setting("--auto-offset-reset", {
    arg: "<where>",
    env: "KAFKA_AUTO_OFFSET_RESET",
    help: "earliest | latest, when the group has no offset",
  }),
  lagInterval: setting("--lag-interval", {
    arg: "<seconds>",
    env: "KAFKA_LAG_CHECK_INTERVAL_SECS",
    help: "consumer lag refresh period",
  }),
  maxPayloadBytes: setting("--max-payload-bytes", {
    arg: "<n>",
    env: MAX_PAYLOAD_BYTES_ENV, // the wire layer names it in its errors
    help: "record size limit",
  }),
  maxMemory: setting("--max-memory", {
    arg: "<size>",
    env: "DASHFLOW_EXPORTER_MAX_MEMORY",
    help: "memory budget, e.g. 256Mi; off for none",
    shown: "cgroup limit",
  }),
  port: setting("--port", {
    arg: "<port>",
    env: "METRICS_PORT",
    help: "HTTP port for /metrics, 0 for any free port",
  }),
  bind: setting("--bind", { arg: "<ip>", env: "METRICS_BIND_IP", help: "HTTP bind address" }),
  webListenAddress: setting("--web.listen-address", {
    arg: "<address>",
    help: "listen on host:port (:9190, 127.0.0.1:9190, [::1]:9190); repeat for several; " +
      "replaces --port/--bind",
  }),
  webTelemetryPath: setting("--web.telemetry-path", {
    arg: "<path>",
    help: "path of the metrics",
    shown: "/metrics",
  }),
  webConfigFile: setting("--web.config.file", {
    arg: "<path>",
    env: "METRICS_WEB_CONFIG_FILE",
    help: "TLS and basic auth for HTTP, exporter-toolkit format",
  }),
  webMaxRequests: setting("--web.max-requests", {
    arg: "<n>",
    env: "METRICS_MAX_REQUESTS",
    help: "HTTP requests handled at once, 0 for no limit",
    shown: "40",
  }),
  webMaxConnections: setting("--web.max-connections", {
    arg: "<n>",
    env: "METRICS_MAX_CONNECTIONS",
    help: "open HTTP connections per listener, 0 for no limit",
    shown: "512",
  }),
  nativeHistograms: setting("--native-histograms", {
    arg: "<on|off>",
    env: "PROMETHEUS_NATIVE_HISTOGRAMS",
    help: "native buckets in the protobuf exposition",
    shown: "on",
  }),
  nativeHistogramBucketFactor: setting("--native-histogram-bucket-factor", {
    arg: "<f>",
    env: "PROMETHEUS_NATIVE_HISTOGRAM_BUCKET_FACTOR",
    help: "largest growth from one native bucket to the next, > 1",
    shown: "1.1",
  }),
  nativeHistogramMaxBuckets: setting("--native-histogram-max-buckets", {
    arg: "<n>",
    env: "PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS",
    help: "native buckets per series before the resolution halves",
    shown: "160",
  }),
  // Secrets are taken from files only: a password on the command line would show in `ps`.
  securityProtocol: setting("--security-protocol", {
    arg: "<protocol>",
    env: "KAFKA_SECURITY_PROTOCOL",
    help: SECURITY_PROTOCOLS.join(" | "),
    shown: "plaintext",
  }),
  saslMechanism: setting("--sasl-mechanism", {
    arg: "<mechanism>",
    env: "KAFKA_SASL_MECHANISM",
    help: SASL_MECHANISMS.join(" | "),
  }),
  saslUsername: setting("--sasl-username", {
    arg: "<name>",
    env: "KAFKA_SASL_USERNAME",
    help: "SASL user",
  }),
  saslPasswordFile: setting("--sasl-password-file", {
    arg: "<file>",
    env: "KAFKA_SASL_PASSWORD",
    secret: true,
    help: "file holding the SASL password",
  }),
  saslOauthbearerTokenFile: setting("--sasl-oauthbearer-token-file", {
    arg: "<file>",
    env: "KAFKA_SASL_OAUTHBEARER_TOKEN_FILE",
    help: "OAUTHBEARER token file, read at every login",
  }),
  sslCa: setting("--ssl-ca", {
    arg: "<file>",
    env: "KAFKA_SSL_CA_LOCATION",
    help: "CA certificates (PEM) to verify brokers",
  }),
  sslCert: setting("--ssl-cert", {
    arg: "<file>",
    env: "KAFKA_SSL_CERTIFICATE_LOCATION",
    help: "client certificate (PEM) for mTLS",
  }),
  sslKey: setting("--ssl-key", {
    arg: "<file>",
    env: "KAFKA_SSL_KEY_LOCATION",
    help: "its private key (PEM, may be encrypted)",
  }),
  sslKeyPasswordFile: setting("--ssl-key-password-file", {
    arg: "<file>",
    env: "KAFKA_SSL_KEY_PASSWORD",
    secret: true,
    help: "file holding the key's password",
  }),
  sslEndpointAlgorithm: setting("--ssl-endpoint-algorithm", {
    arg: "<algorithm>",
    env: "KAFKA_SSL_ENDPOINT_ALGORITHM",
    help: "https: check the broker's hostname | none",
    shown: "https",
  }),
} as const;

/** The TLS/SASL settings, identical in every mode that talks to Kafka, in `--help` order. */
export const KAFKA_SECURITY_SETTINGS = [
  SETTINGS.securityProtocol,
  SETTINGS.saslMechanism,
  SETTINGS.saslUsername,
  SETTINGS.saslPasswordFile,
  SETTINGS.saslOauthbearerTokenFile,
  SETTINGS.sslCa,
  SETTINGS.sslCert,
  SETTINGS.sslKey,
  SETTINGS.sslKeyPasswordFile,
  SETTINGS.sslEndpointAlgorithm,
] as const;

/** The native histogram settings (`serve`, `replay`), in `--help` order. */
export const NATIVE_HISTOGRAM_SETTINGS = [
  SETTINGS.nativeHistograms,
  SETTINGS.nativeHistogramBucketFactor,
  SETTINGS.nativeHistogramMaxBuckets,
] as const;

/**
 * The parsed options a group of settings gives: each setting's value by its attribute name,
 * a string when given. A type alias, so commander's option values (an index signature) take it.
 */
export type SettingFlags<Group extends readonly Setting[]> = {
  [Key in Group[number]["key"]]?: string;
};

/**
 * The env vars a setting is read from, in order: its own, and for a secret the same with a
 * `_FILE` suffix (a file holding the value, which keeps it out of the environment).
 */
export function envNames(setting: Setting): string[] {
  if (setting.env === undefined) return [];
  return setting.secret ? [setting.env, `${setting.env}_FILE`] : [setting.env];
}

/** `KAFKA_SSL_KEY_LOCATION (or --ssl-key)`: how an error says where a setting can be given. */
export function envOrFlag(setting: Setting): string {
  return `${setting.env} (or ${setting.flag})`;
}
