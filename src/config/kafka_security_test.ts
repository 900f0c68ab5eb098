import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { resolveKafkaConfig } from "./kafka_config.ts";
import { resolveKafkaSecurity } from "./kafka_security.ts";
import { assertThrowsMatch } from "../../tests/support/assert_throws.ts";
import { testResolveCases } from "../../tests/support/assert_cases.ts";

const usage = (fn: () => unknown, message: RegExp) =>
  assertThrowsMatch(fn, { type: UsageError, message, oneLine: true });

Deno.test("resolveKafkaSecurity() is undefined for plaintext, with or without the env var", () => {
  assert.equal(resolveKafkaSecurity({}, {}), undefined);
  assert.equal(resolveKafkaSecurity({}, { KAFKA_SECURITY_PROTOCOL: "PLAINTEXT" }), undefined);
  assert.deepEqual(resolveKafkaConfig({}, {}), { brokers: ["localhost:9092"], addressFamily: 4 });
});

// Flags and env vars that resolve, and all the settings they resolve to.
testResolveCases("resolveKafkaSecurity()", resolveKafkaSecurity, [
  {
    name: "reads the original exporter's env vars",
    flags: {},
    env: {
      KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
      KAFKA_SASL_MECHANISM: "scram-sha-512",
      KAFKA_SASL_USERNAME: "exporter",
      KAFKA_SASL_PASSWORD: "s3cret",
      KAFKA_SSL_CA_LOCATION: "/etc/kafka/ca.pem",
      KAFKA_SSL_CERTIFICATE_LOCATION: "/etc/kafka/client.pem",
      KAFKA_SSL_KEY_LOCATION: "/etc/kafka/client.key",
      KAFKA_SSL_KEY_PASSWORD: "keypass",
      KAFKA_SSL_ENDPOINT_ALGORITHM: "none",
    },
    expected: {
      protocol: "sasl_ssl",
      tls: {
        ca: { path: "/etc/kafka/ca.pem", source: "KAFKA_SSL_CA_LOCATION" },
        cert: { path: "/etc/kafka/client.pem", source: "KAFKA_SSL_CERTIFICATE_LOCATION" },
        key: { path: "/etc/kafka/client.key", source: "KAFKA_SSL_KEY_LOCATION" },
        keyPassword: { kind: "value", value: "keypass", source: "KAFKA_SSL_KEY_PASSWORD" },
        verifyHostname: false,
      },
      sasl: {
        mechanism: "SCRAM-SHA-512",
        username: "exporter",
        password: { kind: "value", value: "s3cret", source: "KAFKA_SASL_PASSWORD" },
      },
    },
  },
  {
    name: "lets flags win, and takes the key password from a file",
    flags: {
      securityProtocol: "ssl",
      sslCa: "/flag/ca.pem",
      sslCert: "/flag/c.pem",
      sslKey: "/flag/c.key",
      sslKeyPasswordFile: "/flag/pass",
    },
    env: {
      KAFKA_SECURITY_PROTOCOL: "sasl_plaintext",
      KAFKA_SSL_CA_LOCATION: "/env/ca.pem",
      KAFKA_SSL_KEY_PASSWORD: "ignored",
    },
    expected: {
      protocol: "ssl",
      tls: {
        ca: { path: "/flag/ca.pem", source: "--ssl-ca" },
        cert: { path: "/flag/c.pem", source: "--ssl-cert" },
        key: { path: "/flag/c.key", source: "--ssl-key" },
        keyPassword: { kind: "file", path: "/flag/pass", source: "--ssl-key-password-file" },
        verifyHostname: true,
      },
    },
  },
  {
    name: "takes the SASL password from a file",
    flags: {},
    env: {
      KAFKA_SECURITY_PROTOCOL: "sasl_plaintext",
      KAFKA_SASL_MECHANISM: "PLAIN",
      KAFKA_SASL_USERNAME: "u",
      KAFKA_SASL_PASSWORD_FILE: "/run/secrets/kafka",
    },
    expected: {
      protocol: "sasl_plaintext",
      sasl: {
        mechanism: "PLAIN",
        username: "u",
        password: { kind: "file", path: "/run/secrets/kafka", source: "KAFKA_SASL_PASSWORD_FILE" },
      },
    },
  },
]);

Deno.test("resolveKafkaSecurity() rejects SASL or TLS settings the protocol does not use", () => {
  usage(
    () => resolveKafkaSecurity({}, { KAFKA_SASL_MECHANISM: "PLAIN", KAFKA_SASL_USERNAME: "u" }),
    /^KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME are set but KAFKA_SECURITY_PROTOCOL is unset \(plaintext\): SASL needs sasl_plaintext or sasl_ssl/,
  );
  usage(
    () => resolveKafkaSecurity({ saslUsername: "u" }, { KAFKA_SECURITY_PROTOCOL: "ssl" }),
    /^--sasl-username is set but KAFKA_SECURITY_PROTOCOL is 'ssl': SASL needs sasl_ssl/,
  );
  usage(
    () => resolveKafkaSecurity({}, { KAFKA_SSL_CA_LOCATION: "/ca.pem" }),
    /^KAFKA_SSL_CA_LOCATION is set but KAFKA_SECURITY_PROTOCOL is unset \(plaintext\): TLS settings need ssl or sasl_ssl/,
  );
  usage(
    () =>
      resolveKafkaSecurity({ sslCa: "/ca.pem" }, {
        KAFKA_SECURITY_PROTOCOL: "sasl_plaintext",
        KAFKA_SASL_MECHANISM: "PLAIN",
      }),
    /--ssl-ca is set but KAFKA_SECURITY_PROTOCOL is 'sasl_plaintext': TLS settings need sasl_ssl/,
  );
});

Deno.test("resolveKafkaSecurity() names bad protocols and mechanisms", () => {
  usage(
    () => resolveKafkaSecurity({}, { KAFKA_SECURITY_PROTOCOL: "tls" }),
    /^Invalid KAFKA_SECURITY_PROTOCOL 'tls': expected one of plaintext, ssl, sasl_plaintext, sasl_ssl$/,
  );
  usage(
    () => resolveKafkaSecurity({}, { KAFKA_SECURITY_PROTOCOL: "sasl_ssl" }),
    /needs a SASL mechanism: set KAFKA_SASL_MECHANISM/,
  );
  usage(
    () =>
      resolveKafkaSecurity({ saslMechanism: "GSSAPI" }, { KAFKA_SECURITY_PROTOCOL: "sasl_ssl" }),
    /^Invalid --sasl-mechanism 'GSSAPI': expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER \(GSSAPI\/Kerberos is not supported\)$/,
  );
  usage(
    () =>
      resolveKafkaSecurity({}, {
        KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-1",
      }),
    /^Invalid KAFKA_SASL_MECHANISM 'SCRAM-SHA-1'/,
  );
});

Deno.test("resolveKafkaSecurity() wants what each mechanism needs, and nothing else", () => {
  const sasl = { KAFKA_SECURITY_PROTOCOL: "sasl_plaintext" };
  const cases: [Record<string, string>, RegExp][] = [
    [{ KAFKA_SASL_MECHANISM: "PLAIN" }, /^SASL PLAIN needs a username/],
    [
      { KAFKA_SASL_MECHANISM: "SCRAM-SHA-256", KAFKA_SASL_USERNAME: "u" },
      /^SASL SCRAM-SHA-256 needs a password: set --sasl-password-file, KAFKA_SASL_PASSWORD/,
    ],
    [{ KAFKA_SASL_MECHANISM: "OAUTHBEARER" }, /^SASL OAUTHBEARER needs a token/],
    [
      {
        KAFKA_SASL_MECHANISM: "OAUTHBEARER",
        KAFKA_SASL_USERNAME: "u",
        KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: "/t",
      },
      /^KAFKA_SASL_USERNAME does not apply to OAUTHBEARER/,
    ],
    [
      {
        KAFKA_SASL_MECHANISM: "PLAIN",
        KAFKA_SASL_USERNAME: "u",
        KAFKA_SASL_PASSWORD: "p",
        KAFKA_SASL_PASSWORD_FILE: "/p",
      },
      /^KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set/,
    ],
  ];
  for (const [env, message] of cases) {
    usage(() => resolveKafkaSecurity({}, { ...sasl, ...env }), message);
  }
  assert.deepEqual(
    resolveKafkaSecurity({ saslOauthbearerTokenFile: "/token" }, {
      ...sasl,
      KAFKA_SASL_MECHANISM: "oauthbearer",
    }),
    {
      protocol: "sasl_plaintext",
      sasl: {
        mechanism: "OAUTHBEARER",
        tokenFile: { path: "/token", source: "--sasl-oauthbearer-token-file" },
      },
    },
  );
});

Deno.test("resolveKafkaSecurity() wants a client certificate and its key together", () => {
  const ssl = { KAFKA_SECURITY_PROTOCOL: "ssl" };
  usage(
    () => resolveKafkaSecurity({}, { ...ssl, KAFKA_SSL_KEY_LOCATION: "/k" }),
    /^KAFKA_SSL_KEY_LOCATION is set without a client certificate: set KAFKA_SSL_CERTIFICATE_LOCATION/,
  );
  usage(
    () => resolveKafkaSecurity({ sslCert: "/c" }, ssl),
    /^--ssl-cert is set without its private key/,
  );
  usage(
    () => resolveKafkaSecurity({}, { ...ssl, KAFKA_SSL_KEY_PASSWORD: "p" }),
    /^KAFKA_SSL_KEY_PASSWORD is set but there is no key to decrypt/,
  );
  usage(
    () => resolveKafkaSecurity({}, { ...ssl, KAFKA_SSL_ENDPOINT_ALGORITHM: "http" }),
    /^Invalid KAFKA_SSL_ENDPOINT_ALGORITHM 'http': expected one of https, none$/,
  );
});

Deno.test("resolveKafkaSecurity() never puts a secret in its messages", () => {
  for (
    const env of [
      { KAFKA_SASL_PASSWORD: "hunter2-secret" },
      { KAFKA_SSL_KEY_PASSWORD: "hunter2-secret" },
      { KAFKA_SECURITY_PROTOCOL: "ssl", KAFKA_SSL_KEY_PASSWORD: "hunter2-secret" },
    ]
  ) {
    assert.throws(() => resolveKafkaSecurity({}, env), (error: Error) => {
      assert.ok(!error.message.includes("hunter2"), error.message);
      return true;
    });
  }
});
