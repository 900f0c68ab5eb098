/**
 * The nearest flag to one that does not exist, for the usage error: habits from other exporters
 * (node_exporter's `--web.config`, kafka_exporter's `--kafka.server`, `--log.level`), the same
 * name spelled with dots or underscores, a name cut short, or a flag of another mode.
 *
 * @module
 */

/**
 * Flags other Prometheus exporters and Kafka tools take, and ours that mean the same. A habit is
 * suggested only where the mode has the flag it maps to.
 */
const HABITS: Readonly<Record<string, string>> = {
  "--web.config": "--web.config.file",
  "--web.listen": "--web.listen-address",
  "--listen-address": "--web.listen-address",
  "--web.metrics-path": "--web.telemetry-path",
  "--telemetry-path": "--web.telemetry-path",
  "--metrics-port": "--port",
  "--log.level": "--log-level",
  "--loglevel": "--log-level",
  "--verbose": "--log-level",
  "--kafka.server": "--brokers",
  "--kafka-brokers": "--brokers",
  "--bootstrap-server": "--brokers",
  "--bootstrap-servers": "--brokers",
  "--broker-list": "--brokers",
  "--group-id": "--group",
  "--consumer-group": "--group",
  "--sasl.username": "--sasl-username",
  "--sasl.password": "--sasl-password-file",
  "--sasl.mechanism": "--sasl-mechanism",
  "--tls.ca-file": "--ssl-ca",
  "--tls.cert-file": "--ssl-cert",
  "--tls.key-file": "--ssl-key",
};

/** Options of {@linkcode suggestFlag}. */
export interface SuggestFlagOptions {
  /** The long flags of the mode the user ran (empty for the program itself). */
  known: readonly string[];
  /** Every mode's long flags, to say where a flag of another mode belongs. */
  modes?: Readonly<Record<string, readonly string[]>>;
}

function normalized(flag: string): string {
  return flag.toLowerCase().replace(/[._]/g, "-");
}

/**
 * A hint for the unknown flag `given` (`--web.config=web.yml` counts as `--web.config`), such as
 * `did you mean --web.config.file?`, or undefined when nothing is near.
 */
export function suggestFlag(given: string, options: SuggestFlagOptions): string | undefined {
  const flag = given.split("=")[0];
  const { known } = options;
  const habit = HABITS[flag.toLowerCase()];
  if (habit && known.includes(habit)) {
    return habit === "--log-level" && flag !== "--log.level"
      ? `did you mean --log-level debug?`
      : `did you mean ${habit}?`;
  }
  const same = known.find((k) => normalized(k) === normalized(flag));
  if (same) return `did you mean ${same}?`;
  const longer = known.filter((k) => k.startsWith(`${flag}.`) || k.startsWith(`${flag}-`));
  if (longer.length === 1) return `did you mean ${longer[0]}?`;
  const elsewhere = Object.entries(options.modes ?? {})
    .filter(([, flags]) => flags.includes(flag) || flags.includes(habit ?? ""))
    .map(([mode]) => mode);
  if (elsewhere.length > 0) {
    const target = HABITS[flag.toLowerCase()] ?? flag;
    return known.length === 0
      ? `${target} is a flag of ${elsewhere.join(", ")}: give the mode first, ` +
        `e.g. 'dashflow-exporter ${elsewhere[0]} ${target} ...'`
      : `${target} is a flag of ${elsewhere.join(", ")}, not of this mode`;
  }
  return undefined;
}
