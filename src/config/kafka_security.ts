/**
 * Kafka TLS and SASL settings: the original exporter's `KAFKA_SECURITY_PROTOCOL`,
 * `KAFKA_SASL_*` and `KAFKA_SSL_*` env vars and the matching flags, validated
 * together so a mismatch (SASL settings with a plaintext protocol, a key without
 * a certificate...) fails at start with one line. Files are only named here;
 * `loadKafkaSecurity` (src/kafka/security.ts) reads and checks them.
 * @module
 */
import { UsageError } from "../errors.ts";
import {
  type FileSetting,
  type KafkaSaslSettings,
  type KafkaSecuritySettings,
  SASL_MECHANISMS,
  type SaslMechanism,
  type SecretSetting,
  SECURITY_PROTOCOLS,
  type SecurityProtocol,
} from "../kafka/settings.ts";
import { type Env, parseChoice, pick, type Source } from "./parse.ts";
import {
  envNames,
  envOrFlag,
  KAFKA_SECURITY_SETTINGS,
  type SettingFlags,
  SETTINGS as S,
} from "./settings.ts";

/** Security flags shared by every mode that talks to Kafka (see ./settings.ts). */
export type KafkaSecurityFlags = SettingFlags<typeof KAFKA_SECURITY_SETTINGS>;

/** Where a setting is read from: the parsed flags, then the env vars. */
type From = { flags: KafkaSecurityFlags; env: Env };

/**
 * Resolves the security settings from flags and env vars. Returns undefined for
 * plaintext. Throws {@linkcode UsageError} naming the
 * setting and the fix when settings contradict each other.
 */
export function resolveKafkaSecurity(
  flags: KafkaSecurityFlags,
  env: Env,
): KafkaSecuritySettings | undefined {
  const from: From = { flags, env };
  const protocolSetting = pick(S.securityProtocol, from);
  const protocol = protocolSetting
    ? parseChoice(protocolSetting.raw, SECURITY_PROTOCOLS, { source: protocolSetting.source })
    : "plaintext";
  const protocolText = protocolSetting
    ? `${protocolSetting.source} is '${protocol}'`
    : `${S.securityProtocol.env} is unset (plaintext)`;

  const mechanism = pick(S.saslMechanism, from);
  const username = pick(S.saslUsername, from);
  const password = secret(S.saslPasswordFile, from);
  const tokenFile = pick(S.saslOauthbearerTokenFile, from);
  const saslGiven = [mechanism?.source, username?.source, password?.source, tokenFile?.source]
    .filter((s) => s !== undefined);

  const ca = pick(S.sslCa, from);
  const cert = pick(S.sslCert, from);
  const key = pick(S.sslKey, from);
  const keyPassword = secret(S.sslKeyPasswordFile, from);
  const algorithm = pick(S.sslEndpointAlgorithm, from);
  const tlsGiven = [ca?.source, cert?.source, key?.source, keyPassword?.source, algorithm?.source]
    .filter((s) => s !== undefined);

  const usesSasl = protocol === "sasl_plaintext" || protocol === "sasl_ssl";
  const usesTls = protocol === "ssl" || protocol === "sasl_ssl";
  if (!usesSasl && saslGiven.length > 0) {
    const want = protocol === "ssl" ? "sasl_ssl" : "sasl_plaintext or sasl_ssl";
    throw new UsageError(
      `${saslGiven.join(", ")} ${saslGiven.length > 1 ? "are" : "is"} set but ${protocolText}: ` +
        `SASL needs ${want}; set ${envOrFlag(S.securityProtocol)} to ${want}, or unset ` +
        `the SASL settings`,
    );
  }
  if (!usesTls && tlsGiven.length > 0) {
    const want = protocol === "sasl_plaintext" ? "sasl_ssl" : "ssl or sasl_ssl";
    throw new UsageError(
      `${tlsGiven.join(", ")} ${tlsGiven.length > 1 ? "are" : "is"} set but ${protocolText}: ` +
        `TLS settings need ${want}; set ${envOrFlag(S.securityProtocol)} to ${want}, ` +
        `or unset the TLS settings`,
    );
  }
  if (protocol === "plaintext") return undefined;

  const settings: KafkaSecuritySettings = { protocol };
  if (usesTls) {
    if (key && !cert) {
      throw new UsageError(
        `${key.source} is set without a client certificate: set ${envOrFlag(S.sslCert)} ` +
          `to the certificate that goes with the key`,
      );
    }
    if (cert && !key) {
      throw new UsageError(
        `${cert.source} is set without its private key: set ${envOrFlag(S.sslKey)} ` +
          `to the key of that certificate`,
      );
    }
    if (keyPassword && !key) {
      throw new UsageError(
        `${keyPassword.source} is set but there is no key to decrypt: set ` +
          `${envOrFlag(S.sslKey)}, or unset ${keyPassword.source}`,
      );
    }
    const verify = algorithm
      ? parseChoice(algorithm.raw, ["https", "none"], { source: algorithm.source })
      : "https";
    settings.tls = {
      ...(ca && { ca: file(ca) }),
      ...(cert && { cert: file(cert) }),
      ...(key && { key: file(key) }),
      ...(keyPassword && { keyPassword }),
      verifyHostname: verify === "https",
    };
  }
  if (usesSasl) {
    settings.sasl = resolveSasl(protocol, { mechanism, username, password, tokenFile });
  }
  return settings;
}

function resolveSasl(
  protocol: SecurityProtocol,
  given: {
    mechanism?: { raw: string; source: Source };
    username?: { raw: string; source: Source };
    password?: SecretSetting;
    tokenFile?: { raw: string; source: Source };
  },
): KafkaSaslSettings {
  if (!given.mechanism) {
    throw new UsageError(
      `${S.securityProtocol.env}=${protocol} needs a SASL mechanism: set ` +
        `${envOrFlag(S.saslMechanism)} to ${SASL_MECHANISMS.join(", ")}`,
    );
  }
  const mechanism = parseMechanism(given.mechanism.raw, given.mechanism.source);
  if (mechanism === "OAUTHBEARER") {
    const extra = [given.username?.source, given.password?.source].filter((s) => s);
    if (extra.length > 0) {
      throw new UsageError(
        `${extra.join(" and ")} ${extra.length > 1 ? "do" : "does"} not apply to OAUTHBEARER, ` +
          `which authenticates with a token: unset ${extra.join(" and ")}, and set ` +
          `${envOrFlag(S.saslOauthbearerTokenFile)}`,
      );
    }
    if (!given.tokenFile) {
      throw new UsageError(
        `SASL OAUTHBEARER needs a token: set ${envOrFlag(S.saslOauthbearerTokenFile)} ` +
          `to a file holding it (read again at every login)`,
      );
    }
    return { mechanism, tokenFile: file(given.tokenFile) };
  }
  if (given.tokenFile) {
    throw new UsageError(
      `${given.tokenFile.source} applies to OAUTHBEARER only, but the mechanism is ` +
        `${mechanism}: unset it, or set ${S.saslMechanism.env}=OAUTHBEARER`,
    );
  }
  const username = given.username?.raw.trim();
  if (!username) {
    throw new UsageError(
      `SASL ${mechanism} needs a username: set ${envOrFlag(S.saslUsername)}`,
    );
  }
  if (!given.password) {
    throw new UsageError(
      `SASL ${mechanism} needs a password: set ${S.saslPasswordFile.flag}, ` +
        envNames(S.saslPasswordFile).join(" or "),
    );
  }
  return { mechanism, username, password: given.password };
}

/** Parses a mechanism case-insensitively; names the unsupported ones people try. */
function parseMechanism(raw: string, source: Source): SaslMechanism {
  const value = raw.trim().toUpperCase().replace(/_/g, "-");
  const match = SASL_MECHANISMS.find((m) => m === value);
  if (match) return match;
  const note = value === "GSSAPI"
    ? " (GSSAPI/Kerberos is not supported)"
    : value.startsWith("AWS")
    ? " (AWS IAM is not supported)"
    : "";
  throw new UsageError(
    `Invalid ${source} '${raw}': expected one of ${SASL_MECHANISMS.join(", ")}${note}`,
  );
}

/**
 * A secret from `--x-file` (a path), else the env var (the value), else the
 * env var with a `_FILE` suffix (a path). Both env forms at once is an error.
 */
function secret(
  setting: (typeof KAFKA_SECURITY_SETTINGS)[number],
  from: From,
): SecretSetting | undefined {
  const flagFile = from.flags[setting.key];
  if (flagFile !== undefined) {
    if (flagFile.trim() === "") {
      throw new UsageError(`Invalid ${setting.flag} '': expected the path of a file`);
    }
    return { kind: "file", path: flagFile, source: setting.flag };
  }
  const [envName, fileEnvName] = envNames(setting);
  const value = from.env[envName];
  const path = from.env[fileEnvName]?.trim();
  const hasValue = value !== undefined && value !== "";
  if (hasValue && path) {
    throw new UsageError(
      `${envName} and ${fileEnvName} are both set: keep one (the _FILE form keeps the ` +
        `secret out of the environment)`,
    );
  }
  if (hasValue) return { kind: "value", value, source: envName };
  if (path) return { kind: "file", path, source: fileEnvName };
  return undefined;
}

function file(setting: { raw: string; source: Source }): FileSetting {
  return { path: setting.raw.trim(), source: setting.source };
}
