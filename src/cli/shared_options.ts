/**
 * The options more than one mode takes, declared from the settings table
 * (src/config/settings.ts): the flag, its argument, its usual description and the env var
 * `--help` names (a mode may word the description for its context, e.g. `replay`'s
 * "with --to-kafka: ..."). Typed by `@commander-js/extra-typings`, so a mode's action sees
 * them as typed options.
 * @module
 */
import { type Command, Option, type OptionValues } from "@commander-js/extra-typings";
import type { KafkaSecurityFlags } from "../config/kafka_security.ts";
import type { NativeHistogramFlags } from "../config/native_histograms.ts";
import {
  envNames,
  KAFKA_SECURITY_SETTINGS,
  NATIVE_HISTOGRAM_SETTINGS,
  type Setting,
  SETTINGS,
} from "../config/settings.ts";
import { EXIT_CODES } from "../exit_codes.ts";

/** `--log-level`: every mode takes it; without it, `RUST_LOG` (as the original), else info. */
export function logLevelOption() {
  return new Option(
    "--log-level <level>",
    "debug | info | warn | error | quiet (RUST_LOG levels: trace=debug, off=quiet) [info]",
  );
}

/** How a mode words a setting in its `--help`, when not as the table does. */
export interface SettingOptionWording {
  /** The description, in place of the table's. */
  help?: string;
  /** `false`: leave the env var out (the mode does not read it, or says so elsewhere). */
  env?: boolean;
  /** The default shown in brackets, in place of the table's; `false` for none. */
  shown?: string | false;
}

/**
 * A setting's commander option: `--flag <arg>` and the description `help (ENV_VAR) [default]`,
 * from its row of the settings table.
 */
export function settingOption<Flag extends string, Arg extends string>(
  setting: Setting<Flag, Arg, string>,
  wording: SettingOptionWording = {},
): Option<`${Flag} ${Arg}`> {
  const env = wording.env === false || setting.env === undefined
    ? ""
    : ` (${envNames(setting).join(", ")})`;
  const shown = wording.shown ?? setting.shown;
  const description = `${wording.help ?? setting.help}${env}${shown ? ` [${shown}]` : ""}`;
  return new Option(`${setting.flag} ${setting.arg}` as `${Flag} ${Arg}`, description);
}

/**
 * `--web.listen-address`: exporter-toolkit style listen address, repeatable (`serve`,
 * `replay --serve`).
 */
export function webListenAddressOption(wording: SettingOptionWording = {}) {
  return settingOption(SETTINGS.webListenAddress, wording).argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
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
  for (const setting of NATIVE_HISTOGRAM_SETTINGS) command.addOption(settingOption(setting));
  return command as unknown as Command<Args, Opts & NativeHistogramFlags, GlobalOpts>;
}

/**
 * Adds the TLS/SASL flags, identical in every mode that talks to Kafka (`serve`, `tail`,
 * `replay --to-kafka`), to a mode's command; its action then sees them as
 * `KafkaSecurityFlags`. Typed by hand here (the one cast of the CLI): inferring ten
 * chained options on a generic command makes the type checker take minutes.
 */
export function addKafkaSecurityOptions<
  Args extends unknown[],
  Opts extends OptionValues,
  GlobalOpts extends OptionValues,
>(command: Command<Args, Opts, GlobalOpts>): Command<Args, Opts & KafkaSecurityFlags, GlobalOpts> {
  for (const setting of KAFKA_SECURITY_SETTINGS) command.addOption(settingOption(setting));
  return command as unknown as Command<Args, Opts & KafkaSecurityFlags, GlobalOpts>;
}

// How the epilogue describes each security env var, beside the flag's own help above.
const S = SETTINGS;
const SECURITY_ENV_HELP: { readonly [Key in keyof KafkaSecurityFlags]-?: string } = {
  securityProtocol: `${S.securityProtocol.help} [${S.securityProtocol.shown}]`,
  saslMechanism: S.saslMechanism.help,
  saslUsername: S.saslUsername.help,
  saslPasswordFile: `SASL password (or ${envNames(S.saslPasswordFile)[1]}: a file holding it)`,
  saslOauthbearerTokenFile: S.saslOauthbearerTokenFile.help,
  sslCa: "CA certificates (PEM) [the system's]",
  sslCert: `client certificate (PEM), with ${S.sslKey.env}`,
  sslKey: "client key (PEM; PKCS#8 or traditional, may be encrypted)",
  sslKeyPasswordFile: `its password (or ${envNames(S.sslKeyPasswordFile)[1]})`,
  sslEndpointAlgorithm: "https (check the broker's hostname) | none [https]",
};

/** The security env vars, for a mode's `--help` epilogue. */
export const KAFKA_SECURITY_HELP = `
Kafka security (env vars of the original exporter; each has the flag shown above):
${
  KAFKA_SECURITY_SETTINGS.map((setting) =>
    `  ${setting.env.padEnd(30)}  ${SECURITY_ENV_HELP[setting.key]}`
  ).join("\n")
}
  Mismatched settings (SASL settings with a non-SASL protocol, a key without its
  certificate, an unknown mechanism, a file that cannot be read) fail at start, exit ${EXIT_CODES.usage}.
`;
