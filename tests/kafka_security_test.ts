/**
 * Kafka TLS, mTLS and SASL against the real, secured test broker
 * (`KAFKA_SECURITY=1 scripts/kafka.sh start`, its listeners and files in the
 * KAFKA_SECURE_* env vars that `scripts/kafka.sh env` prints): `serve` succeeds
 * with every protocol and mechanism; wrong passwords, CAs, certificates and
 * protocol mismatches each give their own message while `serve` keeps retrying
 * (exit 0 on SIGTERM); bad settings fail at start with one line and exit 2;
 * `replay --to-kafka` and `tail` work over TLS and SASL too. Secrets never show.
 *
 * Without KAFKA_SECURE_* the broker tests are skipped with the reason, except
 * under scripts/test.sh (DASHFLOW_TEST_BROKER_MANAGED=1), which starts that
 * broker: there they fail.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import process from "node:process";
import { encodeRecord } from "../src/wire/mod.ts";
import { qualityMessage } from "./support/sample/mod.ts";
import { type ExporterProcess, startServe } from "./support/exporter.ts";
import { runProgram } from "./support/spawn.ts";
import { sample } from "./support/exposition.ts";
import { kafkaClient, uniqueName, waitFor } from "./support/kafka.ts";
import { testPki } from "./support/pki.ts";
import { ROOT } from "./support/paths.ts";
import { topicToEnd } from "./support/tail.ts";

interface SecureBroker {
  dir: string;
  plaintext: string;
  ssl: string;
  mtls: string;
  saslPlaintext: string;
  saslSsl: string;
  expired: string;
  wrongHost: string;
}

function secureBroker(): SecureBroker | undefined {
  const env = process.env;
  const broker = {
    dir: env.KAFKA_SECURE_DIR,
    plaintext: env.KAFKA_SECURE_PLAINTEXT,
    ssl: env.KAFKA_SECURE_SSL,
    mtls: env.KAFKA_SECURE_MTLS,
    saslPlaintext: env.KAFKA_SECURE_SASL_PLAINTEXT,
    saslSsl: env.KAFKA_SECURE_SASL_SSL,
    expired: env.KAFKA_SECURE_EXPIRED,
    wrongHost: env.KAFKA_SECURE_WRONG_HOST,
  };
  return Object.values(broker).every((v) => v) ? broker as SecureBroker : undefined;
}

const BROKER = secureBroker();
const MANAGED = process.env.DASHFLOW_TEST_BROKER_MANAGED === "1";
const HOW = "start one with `KAFKA_PORT=29092 KAFKA_SECURITY=1 scripts/kafka.sh start` and " +
  'export its listeners: eval "$(KAFKA_PORT=29092 scripts/kafka.sh env)"';
if (!BROKER && !MANAGED) {
  console.warn(`kafka_security_test: broker tests skipped: KAFKA_SECURE_* unset; ${HOW}`);
}

/** A test that needs the secured broker: skipped without it, failed without it under test.sh. */
function brokerTest(name: string, fn: (broker: SecureBroker) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !BROKER && !MANAGED,
    fn: () => {
      if (!BROKER) {
        throw new Error(`scripts/test.sh should have started the secured broker: ${HOW}`);
      }
      return fn(BROKER);
    },
  });
}

const file = (broker: SecureBroker, name: string) => `${broker.dir}/${name}`;
const saslPassword = (broker: SecureBroker) =>
  Deno.readTextFileSync(file(broker, "sasl.password")).trim();

/** TLS that trusts the test CA, as `protocol` (ssl, or sasl_ssl with a login in `extra`). */
function tls(
  broker: SecureBroker,
  extra: Record<string, string> = {},
  protocol = "ssl",
): Record<string, string> {
  return {
    KAFKA_SECURITY_PROTOCOL: protocol,
    KAFKA_SSL_CA_LOCATION: file(broker, "ca.crt"),
    ...extra,
  };
}

/** A SASL login by password. */
function login(mechanism: string, user: string, password: string): Record<string, string> {
  return {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD: password,
  };
}

/** A SASL login by password over sasl_plaintext. */
function saslPlaintext(mechanism: string, user: string, password: string): Record<string, string> {
  return { KAFKA_SECURITY_PROTOCOL: "sasl_plaintext", ...login(mechanism, user, password) };
}

/** A distinctive secret that must never appear in any output. */
const WRONG_PASSWORD = "wrong-Hunter2-d5e1";

async function httpStatus(url: string): Promise<number> {
  const response = await fetch(url);
  await response.body?.cancel();
  return response.status;
}

async function withTopic<T>(broker: SecureBroker, fn: (topic: string) => Promise<T>): Promise<T> {
  const topic = uniqueName("sec");
  const admin = kafkaClient({ brokers: [broker.plaintext] }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    });
    return await fn(topic);
  } finally {
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 }).catch(() => {});
    await admin.disconnect();
  }
}

async function produceOne(broker: SecureBroker, topic: string): Promise<void> {
  const producer = kafkaClient({ brokers: [broker.plaintext] }).producer();
  await producer.connect();
  try {
    const value = encodeRecord(qualityMessage({ passed: true, latencyMs: 42, sessionId: "s" }));
    await producer.send({ topic, acks: -1, messages: [{ value: Buffer.from(value) }] });
  } finally {
    await producer.disconnect();
  }
}

async function stopped(server: ExporterProcess): Promise<void> {
  const { code } = await server.stop();
  assert.equal(code, 0, `serve should exit 0 on SIGTERM:\n${server.stderr()}`);
}

// ---------------------------------------------------------------------------------------------
// Success: every protocol and mechanism consumes a record.

interface Case {
  name: string;
  listener: (b: SecureBroker) => string;
  env: (b: SecureBroker) => Record<string, string>;
  args?: (b: SecureBroker) => string[];
}

const SUCCESSES: Case[] = [
  {
    name: "ssl (server TLS, CA from KAFKA_SSL_CA_LOCATION)",
    listener: (b) => b.ssl,
    env: (b) => tls(b),
  },
  {
    name: "ssl with mTLS and an encrypted key (flags)",
    listener: (b) => b.mtls,
    env: () => ({}),
    args: (b) => [
      "--security-protocol=ssl",
      `--ssl-ca=${file(b, "ca.crt")}`,
      `--ssl-cert=${file(b, "client.crt")}`,
      `--ssl-key=${file(b, "client.enc.key")}`,
      `--ssl-key-password-file=${file(b, "client.key.password")}`,
    ],
  },
  {
    name: "ssl to a certificate for another host, with KAFKA_SSL_ENDPOINT_ALGORITHM=none",
    listener: (b) => b.wrongHost,
    env: (b) => tls(b, { KAFKA_SSL_ENDPOINT_ALGORITHM: "none" }),
  },
  {
    name: "sasl_plaintext PLAIN (KAFKA_SASL_PASSWORD)",
    listener: (b) => b.saslPlaintext,
    env: (b) => saslPlaintext("PLAIN", "plain-user", saslPassword(b)),
  },
  {
    name: "sasl_plaintext SCRAM-SHA-256 (--sasl-password-file)",
    listener: (b) => b.saslPlaintext,
    env: () => ({ KAFKA_SECURITY_PROTOCOL: "sasl_plaintext" }),
    args: (b) => [
      "--sasl-mechanism=SCRAM-SHA-256",
      "--sasl-username=scram256-user",
      `--sasl-password-file=${file(b, "sasl.password")}`,
    ],
  },
  {
    name: "sasl_ssl SCRAM-SHA-512 (KAFKA_SASL_PASSWORD_FILE)",
    listener: (b) => b.saslSsl,
    env: (b) =>
      tls(b, {
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
        KAFKA_SASL_USERNAME: "scram512-user",
        KAFKA_SASL_PASSWORD_FILE: file(b, "sasl.password"),
      }, "sasl_ssl"),
  },
  {
    name: "sasl_ssl PLAIN",
    listener: (b) => b.saslSsl,
    env: (b) => tls(b, login("PLAIN", "plain-user", saslPassword(b)), "sasl_ssl"),
  },
  {
    name: "sasl_ssl OAUTHBEARER (token file)",
    listener: (b) => b.saslSsl,
    env: (b) =>
      tls(b, {
        KAFKA_SASL_MECHANISM: "OAUTHBEARER",
        KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: file(b, "oauth.token"),
      }, "sasl_ssl"),
  },
];

for (const c of SUCCESSES) {
  brokerTest(`serve consumes over ${c.name}`, async (broker) => {
    await withTopic(broker, async (topic) => {
      const group = uniqueName("sec-group");
      const server = await startServe(
        { KAFKA_TOPIC: topic, KAFKA_GROUP_ID: group, ...c.env(broker) },
        ["--brokers", c.listener(broker), ...(c.args?.(broker) ?? [])],
      );
      try {
        await waitFor(async () => (await httpStatus(`${server.url}/-/ready`)) === 200, {
          timeoutMs: 30_000,
          message: () => `serve never got ready:\n${server.stderr()}`,
        });
        await produceOne(broker, topic);
        await waitFor(
          async () =>
            sample(await server.scrape(), "dashstream_exporter_messages_received_total") === 1,
          { timeoutMs: 15_000, message: () => `record not consumed:\n${server.stderr()}` },
        );
        assert.doesNotMatch(server.stderr(), /\bERROR\b/);
        assert.ok(!server.stderr().includes(saslPassword(broker)), "password in the log");
      } finally {
        await stopped(server);
        const admin = kafkaClient({ brokers: [broker.plaintext] }).admin();
        await admin.connect();
        await admin.deleteGroups([group]).catch(() => {});
        await admin.disconnect();
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Failure at connect time: a precise message, error_kind, counted, /-/ready 503, still running.

interface FailureCase extends Case {
  kind: "tls" | "authentication";
  message: RegExp;
}

const FAILURES: FailureCase[] = [
  {
    name: "a wrong SCRAM password",
    listener: (b) => b.saslSsl,
    env: (b) => tls(b, login("SCRAM-SHA-512", "scram512-user", WRONG_PASSWORD), "sasl_ssl"),
    kind: "authentication",
    message:
      /Kafka authentication at 127\.0\.0\.1:\d+ failed: SASL SCRAM-SHA-512 login refused: wrong username or password for user 'scram512-user'; check KAFKA_SASL_USERNAME/,
  },
  {
    name: "a wrong PLAIN password",
    listener: (b) => b.saslPlaintext,
    env: () => saslPlaintext("PLAIN", "plain-user", WRONG_PASSWORD),
    kind: "authentication",
    message: /SASL PLAIN login refused: wrong username or password for user 'plain-user'/,
  },
  {
    name: "a user of another SCRAM mechanism",
    listener: (b) => b.saslPlaintext,
    env: (b) => saslPlaintext("SCRAM-SHA-256", "scram512-user", saslPassword(b)),
    kind: "authentication",
    message: /SASL SCRAM-SHA-256 login refused: .*that the user exists for SCRAM-SHA-256/,
  },
  {
    name: "the wrong CA",
    listener: (b) => b.ssl,
    env: (b) => ({
      KAFKA_SECURITY_PROTOCOL: "ssl",
      KAFKA_SSL_CA_LOCATION: file(b, "other-ca.crt"),
    }),
    kind: "tls",
    message:
      /TLS with Kafka at 127\.0\.0\.1:\d+ failed: the broker's certificate \(CN=localhost\) is issued by 'CN=dashflow-test-ca', which is not a CA in KAFKA_SSL_CA_LOCATION '.*other-ca\.crt' \('CN=dashflow-test-other-ca'\); set KAFKA_SSL_CA_LOCATION/,
  },
  {
    name: "no CA (the system store does not know the test CA)",
    listener: (b) => b.ssl,
    env: () => ({ KAFKA_SECURITY_PROTOCOL: "ssl" }),
    kind: "tls",
    message: /which is not in the system trust store; set KAFKA_SSL_CA_LOCATION/,
  },
  {
    name: "an expired broker certificate",
    listener: (b) => b.expired,
    env: (b) => tls(b),
    kind: "tls",
    message:
      /the broker's certificate \(CN=localhost\) expired on 2020-01-02T00:00:00\.000Z; renew the broker's certificate/,
  },
  {
    name: "a broker certificate for another host",
    listener: (b) => b.wrongHost,
    env: (b) => tls(b),
    kind: "tls",
    message:
      /the broker's certificate \(CN=wrong-host\.invalid\) names DNS:wrong-host\.invalid, not '127\.0\.0\.1'; .*KAFKA_SSL_ENDPOINT_ALGORITHM=none/,
  },
  {
    name: "no client certificate on an mTLS listener",
    listener: (b) => b.mtls,
    env: (b) => tls(b),
    kind: "tls",
    message:
      /the broker refused the TLS handshake \(alert: [a-z ]+\): it requires a client certificate \(mTLS\) and none is configured; set KAFKA_SSL_CERTIFICATE_LOCATION and KAFKA_SSL_KEY_LOCATION/,
  },
  {
    name: "a client certificate of a CA the broker does not trust",
    listener: (b) => b.mtls,
    env: (b) =>
      tls(b, {
        KAFKA_SSL_CERTIFICATE_LOCATION: file(b, "untrusted-client.crt"),
        KAFKA_SSL_KEY_LOCATION: file(b, "untrusted-client.key"),
      }),
    kind: "tls",
    message:
      /the broker rejected our client certificate KAFKA_SSL_CERTIFICATE_LOCATION '.*untrusted-client\.crt' \(alert: [a-z ]+\)/,
  },
  {
    name: "plaintext to a TLS listener",
    listener: (b) => b.ssl,
    env: () => ({}),
    kind: "tls",
    message:
      /the listener speaks TLS, but the security protocol is plaintext; set KAFKA_SECURITY_PROTOCOL=ssl/,
  },
  {
    name: "TLS to a plaintext listener",
    listener: (b) => b.plaintext,
    env: (b) => tls(b),
    kind: "tls",
    message: /during the TLS handshake: the listener probably does not speak TLS/,
  },
  {
    name: "plaintext to a SASL listener",
    listener: (b) => b.saslPlaintext,
    env: () => ({}),
    kind: "authentication",
    message: /the listener probably requires SASL, but the security protocol is plaintext/,
  },
  {
    name: "SASL to a listener without SASL",
    listener: (b) => b.ssl,
    env: (b) => tls(b, login("PLAIN", "plain-user", WRONG_PASSWORD), "sasl_ssl"),
    kind: "authentication",
    message:
      /this listener does not use SASL, but the security protocol is sasl_ssl; set KAFKA_SECURITY_PROTOCOL=ssl/,
  },
  {
    name: "an OAUTHBEARER token the broker rejects",
    listener: (b) => b.saslSsl,
    env: (b) =>
      tls(b, {
        KAFKA_SASL_MECHANISM: "OAUTHBEARER",
        // Well-formed, but not a token of this broker (alg none, expired in 2017).
        KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: file(b, "expired.token"),
      }, "sasl_ssl"),
    kind: "authentication",
    message: /the broker rejected the OAUTHBEARER token \(status invalid_token\)/,
  },
];

for (const c of FAILURES) {
  brokerTest(`serve names ${c.name} and keeps retrying`, async (broker) => {
    const server = await startServe(c.env(broker), [
      "--brokers",
      c.listener(broker),
      "--topic",
      "never-reached",
      ...(c.args?.(broker) ?? []),
    ]);
    try {
      await waitFor(() => c.message.test(server.stderr()), {
        timeoutMs: 20_000,
        message: () => `expected ${c.message} in:\n${server.stderr()}`,
      });
      const line = server.stderr().split("\n").find((l) => c.message.test(l))!;
      assert.match(line, /^\S+ ERROR /);
      assert.match(line, new RegExp(`\\(retrying in \\d+ ms\\) error_kind=${c.kind}$`));
      assert.equal(await httpStatus(`${server.url}/-/ready`), 503);
      const errors = sample(
        await server.scrape(),
        "dashstream_exporter_kafka_consumer_errors_total",
      );
      assert.ok(errors >= 1, `consumer errors ${errors}`);
      for (const secret of [WRONG_PASSWORD, saslPassword(broker)]) {
        assert.ok(!server.stderr().includes(secret), "a secret is in the log");
        assert.ok(!(await (await fetch(`${server.url}/metrics`)).text()).includes(secret));
      }
    } finally {
      await stopped(server);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Settings wrong before any connection: one line, exit 2, no stack trace. No broker needed.

async function runServeToExit(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; stderr: string }> {
  const out = await runProgram(["serve", "--port", "0", "--bind", "127.0.0.1", ...args], {
    env: { KAFKA_BROKERS: "127.0.0.1:1", ...env },
  });
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

const START_ERRORS: { name: string; env: (pki: string) => Record<string, string>; line: RegExp }[] =
  [
    {
      name: "a missing CA file",
      env: () => ({ KAFKA_SECURITY_PROTOCOL: "ssl", KAFKA_SSL_CA_LOCATION: "/nonexistent/ca.pem" }),
      line:
        /^dashflow-exporter: Cannot read KAFKA_SSL_CA_LOCATION '\/nonexistent\/ca\.pem': no such file \(check the path, and that the file is mounted and readable\)$/,
    },
    {
      name: "a key without a certificate",
      env: (pki) => ({
        KAFKA_SECURITY_PROTOCOL: "ssl",
        KAFKA_SSL_KEY_LOCATION: `${pki}/client.key`,
      }),
      line:
        /^dashflow-exporter: KAFKA_SSL_KEY_LOCATION is set without a client certificate: set KAFKA_SSL_CERTIFICATE_LOCATION \(or --ssl-cert\)/,
    },
    {
      name: "SASL settings with a plaintext protocol",
      env: () => ({
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
        KAFKA_SASL_USERNAME: "u",
        KAFKA_SASL_PASSWORD: WRONG_PASSWORD,
      }),
      line:
        /^dashflow-exporter: KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are set but KAFKA_SECURITY_PROTOCOL is unset \(plaintext\): SASL needs sasl_plaintext or sasl_ssl/,
    },
    {
      name: "an unknown mechanism",
      env: () => ({
        KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-1024",
        KAFKA_SASL_USERNAME: "u",
        KAFKA_SASL_PASSWORD: WRONG_PASSWORD,
      }),
      line:
        /^dashflow-exporter: Invalid KAFKA_SASL_MECHANISM 'SCRAM-SHA-1024': expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER$/,
    },
    {
      name: "the wrong key password",
      env: (pki) => ({
        KAFKA_SECURITY_PROTOCOL: "ssl",
        KAFKA_SSL_CERTIFICATE_LOCATION: `${pki}/client.crt`,
        KAFKA_SSL_KEY_LOCATION: `${pki}/client.enc.key`,
        KAFKA_SSL_KEY_PASSWORD: WRONG_PASSWORD,
      }),
      line:
        /cannot be decrypted with the password from KAFKA_SSL_KEY_PASSWORD \(wrong password\?\)$/,
    },
    {
      name: "an expired client certificate",
      env: (pki) => ({
        KAFKA_SECURITY_PROTOCOL: "ssl",
        KAFKA_SSL_CERTIFICATE_LOCATION: `${pki}/client-expired.crt`,
        KAFKA_SSL_KEY_LOCATION: `${pki}/client-expired.key`,
      }),
      line: /the client certificate \(CN=dashflow-client\) expired on 2020-01-02T00:00:00\.000Z/,
    },
  ];

for (const c of START_ERRORS) {
  Deno.test(`serve refuses ${c.name} at start: one line, exit 2`, async () => {
    const { code, stderr } = await runServeToExit(c.env(await testPki()));
    assert.equal(code, 2, stderr);
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, `one line expected:\n${stderr}`);
    assert.match(lines[0], c.line);
    assert.ok(!stderr.includes(WRONG_PASSWORD), "a secret is in the message");
    assert.doesNotMatch(stderr, /\bat .*\.ts:\d+/, "no stack trace");
  });
}

Deno.test("serve --help lists the security flags and env vars, and no secret", async () => {
  const out = await runProgram(["serve", "--help"], {
    env: { KAFKA_SASL_PASSWORD: WRONG_PASSWORD, KAFKA_SSL_KEY_PASSWORD: WRONG_PASSWORD },
  });
  const help = new TextDecoder().decode(out.stdout);
  for (
    const flag of [
      "--security-protocol",
      "--sasl-mechanism",
      "--sasl-username",
      "--sasl-password-file",
      "--sasl-oauthbearer-token-file",
      "--ssl-ca",
      "--ssl-cert",
      "--ssl-key",
      "--ssl-key-password-file",
      "--ssl-endpoint-algorithm",
      "--web.config.file",
      "KAFKA_SSL_ENDPOINT_ALGORITHM",
    ]
  ) assert.ok(help.includes(flag), `${flag} missing from serve --help`);
  assert.ok(!help.includes(WRONG_PASSWORD));
});

// ---------------------------------------------------------------------------------------------
// The other modes that talk to Kafka take the same settings.

brokerTest(
  "replay --to-kafka over SASL_SSL, then tail over mTLS, move the same records",
  async (broker) => {
    await withTopic(broker, async (topic) => {
      const run = async (args: string[], env: Record<string, string>) => {
        const out = await runProgram(args, { env });
        const stderr = new TextDecoder().decode(out.stderr);
        assert.equal(out.code, 0, stderr);
        assert.ok(!stderr.includes(saslPassword(broker)), "a secret is in the output");
        return new TextDecoder().decode(out.stdout);
      };
      await run([
        "replay",
        `${ROOT}tests/fixtures/replay/events.jsonl`,
        "--to-kafka",
        "--topic",
        topic,
        "--brokers",
        broker.saslSsl,
        "--security-protocol",
        "sasl_ssl",
        "--ssl-ca",
        file(broker, "ca.crt"),
        "--sasl-mechanism",
        "SCRAM-SHA-256",
        "--sasl-username",
        "scram256-user",
        "--sasl-password-file",
        file(broker, "sasl.password"),
      ], {});
      const lines = await run(
        [
          "tail",
          ...topicToEnd(topic),
          "--format",
          "json",
          "--brokers",
          broker.mtls,
        ],
        tls(broker, {
          KAFKA_SSL_CERTIFICATE_LOCATION: file(broker, "client.crt"),
          KAFKA_SSL_KEY_LOCATION: file(broker, "client.enc.key"),
          KAFKA_SSL_KEY_PASSWORD_FILE: file(broker, "client.key.password"),
        }),
      );
      const records = lines.trim().split("\n").filter((l) => l !== "");
      const expected = Deno.readTextFileSync(`${ROOT}tests/fixtures/replay/events.jsonl`)
        .split("\n").filter((l) => l.trim() !== "").length;
      assert.equal(records.length, expected);
    });
  },
);

brokerTest(
  "tail with sasl_plaintext against a listener without SASL names sasl_plaintext, in one line",
  async (broker) => {
    const out = await runProgram([
      "tail",
      "--topic",
      "never-reached",
      "--brokers",
      broker.plaintext,
      "--security-protocol",
      "sasl_plaintext",
      "--sasl-mechanism",
      "PLAIN",
      "--sasl-username",
      "plain-user",
      "--sasl-password-file",
      file(broker, "sasl.password"),
      "--log-level",
      "quiet",
    ]);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1, stderr);
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 1, stderr);
    assert.match(
      lines[0],
      /^dashflow-exporter: Cannot connect to Kafka at .*: this listener does not use SASL, but the security protocol is sasl_plaintext \(set KAFKA_SECURITY_PROTOCOL=plaintext/,
    );
    assert.ok(!stderr.includes("security protocol is plaintext"), stderr);
    assert.ok(!stderr.includes(saslPassword(broker)), "a secret is in the output");
  },
);
