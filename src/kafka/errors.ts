import type { KafkaSecuritySettings } from "./settings.ts";

/**
 * What went wrong talking to Kafka, coarsely: the broker cannot be reached, the
 * TLS handshake failed, SASL authentication failed, the topic is missing, or
 * something else. Logged as `error_kind` beside every counted consumer error.
 */
export type KafkaFailureKind = "unreachable" | "tls" | "authentication" | "topic" | "other";

/** A classified Kafka error: a short reason and, when we know it, the fix. */
export interface KafkaFailure {
  kind: KafkaFailureKind;
  /** e.g. "connection refused", "the broker's certificate has expired". */
  reason: string;
  /** What to change, e.g. "set KAFKA_SSL_CA_LOCATION to the CA that signed it". */
  fix?: string;
  /** `host:port` of the broker that failed, when the error names it. */
  broker?: string;
  /**
   * A TLS probe of `broker` can say more (see `diagnoseKafkaFailure`):
   * `certificate` after a verification failure, `closed` after the broker
   * closed the connection at the first request.
   */
  probe?: "certificate" | "closed";
}

/** What the client was configured with, to word the fix. */
export interface KafkaErrorContext {
  security?: KafkaSecuritySettings;
}

/**
 * Turns a kafkajs or socket error into a short human reason, e.g.
 * "connection refused" for ECONNREFUSED, so messages read
 * `Cannot connect to Kafka at localhost:9092: connection refused (...)`.
 */
export function describeKafkaError(error: unknown, context: KafkaErrorContext = {}): string {
  const failure = classifyKafkaError(error, context);
  return failure.fix ? `${failure.reason} (${failure.fix})` : failure.reason;
}

/** One line for logs and errors: what failed, where, why, and the fix. */
export function formatKafkaFailure(failure: KafkaFailure, brokers: string): string {
  const where = failure.broker ?? brokers;
  const fix = failure.fix ? `; ${failure.fix}` : "";
  switch (failure.kind) {
    case "tls":
      return `TLS with Kafka at ${where} failed: ${failure.reason}${fix}`;
    case "authentication":
      return `Kafka authentication at ${where} failed: ${failure.reason}${fix}`;
    default:
      return `Cannot connect to Kafka at ${where}: ${failure.reason}${fix}`;
  }
}

interface ErrorLike {
  name?: string;
  code?: string | number;
  type?: string;
  message?: string;
  broker?: string;
  cause?: unknown;
  originalError?: unknown;
}

/** Classifies a kafkajs or socket error; see {@linkcode KafkaFailure}. */
export function classifyKafkaError(
  error: unknown,
  context: KafkaErrorContext = {},
): KafkaFailure {
  const chain: ErrorLike[] = [];
  for (let e: unknown = error; e && chain.length < 6;) {
    const like = (typeof e === "object" ? e : { message: String(e) }) as ErrorLike;
    chain.push(like);
    e = like.cause ?? like.originalError;
  }
  const text = chain.map((e) =>
    `${e.name ?? ""} ${e.code ?? ""} ${e.type ?? ""} ${e.message ?? ""}`
  )
    .join(" | ");
  const broker = chain.map((e) => e.broker).find((b) => b && !b.includes("undefined"));
  for (const rule of RULES) {
    if (rule.pattern.test(text)) {
      const failure = rule.failure(context.security ?? { protocol: "plaintext" }, text);
      return broker ? { ...failure, broker } : failure;
    }
  }
  const last = chain[0];
  const reason = last?.message ?? String(error);
  return broker ? { kind: "other", reason, broker } : { kind: "other", reason };
}

type Settings = KafkaSecuritySettings;

const CA_SETTING = "KAFKA_SSL_CA_LOCATION (or --ssl-ca)";
const CLIENT_CERT_SETTINGS = "KAFKA_SSL_CERTIFICATE_LOCATION and KAFKA_SSL_KEY_LOCATION";

function mechanismOf(s: Settings, text = ""): string {
  if (s.sasl) return s.sasl.mechanism;
  // Without the settings, kafkajs' or the broker's words name it.
  const named = /SASL mechanism ([A-Z0-9-]+)|SASL (PLAIN|OAUTHBEARER|SCRAM SHA\d+)/.exec(text);
  const raw = named?.[1] ?? named?.[2];
  return raw ? raw.replace(/^SCRAM SHA/, "SCRAM-SHA-") : "";
}

function caOf(s: Settings): string {
  if (s.tls?.ca) return `${s.tls.ca.source} '${s.tls.ca.path}'`;
  return s.tls ? "the system trust store" : "the CAs this client trusts";
}

const RULES: { pattern: RegExp; failure: (s: Settings, text: string) => KafkaFailure }[] = [
  {
    pattern: /does not host this topic-partition|UNKNOWN_TOPIC/i,
    failure: () => ({ kind: "topic", reason: "topic not found" }),
  },
  // SASL: the broker answered, and said no.
  {
    pattern: /mechanism is not supported by the server|UNSUPPORTED_SASL_MECHANISM/i,
    failure: (s, text) => ({
      kind: "authentication",
      reason: `this listener does not enable SASL ${mechanismOf(s, text)}`.trimEnd(),
      fix: "set KAFKA_SASL_MECHANISM to a mechanism the broker enables " +
        "(sasl.enabled.mechanisms), or use the listener that has it",
    }),
  },
  {
    pattern:
      /OAUTHBEARER authentication failed|invalid credentials with SASL mechanism OAUTHBEARER/i,
    failure: (_, text) => ({
      kind: "authentication",
      reason: `the broker rejected the OAUTHBEARER token ${
        /\(status [^)]+\)/.exec(text)?.[0] ?? ""
      }`
        .trim(),
      fix: "check the token in KAFKA_SASL_OAUTHBEARER_TOKEN_FILE is current and meant for " +
        "this cluster",
    }),
  },
  {
    pattern: /SASL|SASL_AUTHENTICATION_FAILED|Authentication failed/i,
    failure: (s, text) => {
      if (/ILLEGAL_SASL_STATE/.test(text)) {
        const want = s.protocol === "sasl_ssl" ? "ssl" : "plaintext";
        return {
          kind: "authentication",
          reason: `this listener does not use SASL, but the security protocol is ${s.protocol}`,
          fix: `set KAFKA_SECURITY_PROTOCOL=${want} for this listener, or connect to the ` +
            `broker's SASL listener`,
        };
      }
      const user = s.sasl?.username ? ` for user '${s.sasl.username}'` : "";
      const mechanism = mechanismOf(s, text);
      return {
        kind: "authentication",
        reason: `SASL ${mechanism} login refused: wrong username or password${user}`
          .replace("  ", " "),
        fix: "check KAFKA_SASL_USERNAME and the password, and that the user exists for " +
          `${mechanism || "the mechanism"} on the broker`,
      };
    },
  },
  // TLS: what we think of the broker's certificate.
  {
    pattern: /CERT_HAS_EXPIRED|certificate has expired/i,
    failure: () => ({
      kind: "tls",
      reason: "the broker's certificate has expired",
      fix: "renew the broker's certificate",
      probe: "certificate",
    }),
  },
  {
    pattern: /CERT_NOT_YET_VALID|certificate is not yet valid/i,
    failure: () => ({
      kind: "tls",
      reason: "the broker's certificate is not valid yet",
      fix: "check the clocks of this machine and the broker",
      probe: "certificate",
    }),
  },
  {
    pattern: /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i,
    failure: () => ({
      kind: "tls",
      reason: "the broker's certificate does not name the host we connected to",
      fix: "connect with a name the certificate lists (KAFKA_BROKERS, the broker's " +
        "advertised.listeners), or set KAFKA_SSL_ENDPOINT_ALGORITHM=none to skip the " +
        "hostname check",
      probe: "certificate",
    }),
  },
  {
    // Deno says this of every verification failure, an expired certificate included.
    pattern: /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate/i,
    failure: (s) => ({
      kind: "tls",
      reason: "the broker's certificate could not be verified (not signed by a CA in " +
        `${caOf(s)}, expired, or not yet valid)`,
      fix: `check ${CA_SETTING} names the CA that signed it, and its dates`,
      probe: "certificate",
    }),
  },
  {
    pattern:
      /SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|self.signed certificate|unable to get local issuer/i,
    failure: (s) => ({
      kind: "tls",
      reason: `the broker's certificate is not signed by a CA in ${caOf(s)}`,
      fix: `set ${CA_SETTING} to the CA that signed the broker's certificate`,
      probe: "certificate",
    }),
  },
  // TLS: what the broker thinks of us (alerts it sent).
  {
    pattern:
      /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNKNOWN_CA|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|HANDSHAKE_FAILURE)|fatal alert: (BadCertificate|CertificateRequired|CertificateUnknown|UnknownCA|CertificateExpired|HandshakeFailure)/i,
    failure: (s, text) => {
      const alert = /ALERT_([A-Z_]+)|fatal alert: (\w+)/i.exec(text);
      // ALERT_BAD_CERTIFICATE (Bun) and "fatal alert: BadCertificate" (Deno) both read "bad certificate".
      const name = (alert?.[1] ?? alert?.[2]?.replace(/(?<=[a-z])(?=[A-Z])/g, "_") ?? "")
        .toLowerCase().replace(/_/g, " ");
      if (!s.tls?.cert) {
        return {
          kind: "tls",
          reason: `the broker refused the TLS handshake (alert: ${name}): it requires a ` +
            `client certificate (mTLS) and none is configured`,
          fix: `set ${CLIENT_CERT_SETTINGS} (or --ssl-cert and --ssl-key)`,
        };
      }
      return {
        kind: "tls",
        reason: `the broker rejected our client certificate ${s.tls.cert.source} ` +
          `'${s.tls.cert.path}' (alert: ${name})`,
        fix: "use a certificate signed by a CA in the broker's ssl.truststore, and valid now",
      };
    },
  },
  {
    pattern:
      /WRONG_VERSION_NUMBER|wrong version number|packet length too long|disconnected before secure TLS connection|InvalidContentType|CorruptMessage/i,
    failure: (s) => ({
      kind: "tls",
      reason: "the broker closed the connection during the TLS handshake: the listener " +
        "probably does not speak TLS",
      fix: `set KAFKA_SECURITY_PROTOCOL=${
        s.protocol === "sasl_ssl" ? "sasl_plaintext" : "plaintext"
      } if it is a plaintext listener, or use the broker's TLS port`,
    }),
  },
  {
    pattern: /ECONNREFUSED/,
    failure: () => ({ kind: "unreachable", reason: "connection refused" }),
  },
  {
    pattern: /ENOTFOUND|EAI_AGAIN/,
    failure: () => ({ kind: "unreachable", reason: "host not found" }),
  },
  {
    pattern: /ETIMEDOUT|Connection timeout|Request timed out/i,
    failure: () => ({ kind: "unreachable", reason: "connection timed out" }),
  },
  {
    pattern: /EHOSTUNREACH|ENETUNREACH/,
    failure: () => ({ kind: "unreachable", reason: "host unreachable" }),
  },
  {
    pattern: /ECONNRESET|Connection closed|Closed connection/i,
    failure: (s) => ({
      kind: "unreachable",
      reason: "connection reset by the broker",
      // A broker drops a client that speaks the wrong protocol at its first request.
      ...(s.protocol !== "sasl_ssl" && {
        fix: "if the broker is up, its listener may expect " +
          (s.protocol === "plaintext"
            ? "TLS or SASL: check KAFKA_SECURITY_PROTOCOL"
            : "SASL: check KAFKA_SECURITY_PROTOCOL"),
        probe: "closed" as const,
      }),
    }),
  },
  {
    pattern: /certificate|SSL|TLS|EPROTO/i,
    failure: (_, text) => ({
      kind: "tls",
      reason: `TLS handshake failed (${/(?:ERR_SSL|ERR_TLS)[A-Z_]*/.exec(text)?.[0] ?? "EPROTO"})`,
    }),
  },
];
