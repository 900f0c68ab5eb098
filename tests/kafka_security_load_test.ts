/**
 * loadKafkaSecurity(): the checks made at start on the files the Kafka security
 * settings name, on a real (openssl-made) PKI. No broker needed.
 */
import assert from "node:assert/strict";
import type tls from "node:tls";
import { resolveKafkaSecurity } from "../src/config/kafka_security.ts";
import { UsageError } from "../src/errors.ts";
import { loadKafkaSecurity } from "../src/kafka/security.ts";
import { testPki } from "./support/pki.ts";

const readFile = (path: string) => Deno.readFile(path);

async function load(env: Record<string, string>) {
  return await loadKafkaSecurity(resolveKafkaSecurity({}, env), { readFile });
}

async function usage(env: Record<string, string>, pattern: RegExp): Promise<void> {
  await assert.rejects(() => load(env), (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

Deno.test("loadKafkaSecurity() loads a CA, a client certificate and an encrypted key", async () => {
  const pki = await testPki();
  const password = (await Deno.readTextFile(`${pki}/client.key.password`)).trim();
  const security = await load({
    KAFKA_SECURITY_PROTOCOL: "ssl",
    KAFKA_SSL_CA_LOCATION: `${pki}/ca.crt`,
    KAFKA_SSL_CERTIFICATE_LOCATION: `${pki}/client.crt`,
    KAFKA_SSL_KEY_LOCATION: `${pki}/client.enc.key`,
    KAFKA_SSL_KEY_PASSWORD: password,
  });
  const ssl = security?.ssl as tls.ConnectionOptions;
  assert.equal(ssl.rejectUnauthorized, true);
  assert.equal((ssl.ca as string[]).length, 1);
  assert.match(ssl.key as string, /^-----BEGIN PRIVATE KEY-----/, "decrypted in memory");
  assert.equal(ssl.checkServerIdentity, undefined, "hostname verification on by default");
  const none = await load({
    KAFKA_SECURITY_PROTOCOL: "ssl",
    KAFKA_SSL_ENDPOINT_ALGORITHM: "none",
  });
  assert.equal(typeof (none?.ssl as tls.ConnectionOptions).checkServerIdentity, "function");
});

Deno.test("loadKafkaSecurity() reads a password file without its newline", async () => {
  const pki = await testPki();
  const security = await load({
    KAFKA_SECURITY_PROTOCOL: "sasl_plaintext",
    KAFKA_SASL_MECHANISM: "SCRAM-SHA-256",
    KAFKA_SASL_USERNAME: "scram256-user",
    KAFKA_SASL_PASSWORD_FILE: `${pki}/sasl.password`,
  });
  const expected = (await Deno.readTextFile(`${pki}/sasl.password`)).replace(/\n$/, "");
  assert.deepEqual(security?.sasl, {
    mechanism: "scram-sha-256",
    username: "scram256-user",
    password: expected,
  });
});

Deno.test("loadKafkaSecurity() fails at start on a missing or empty file", async () => {
  const pki = await testPki();
  await usage(
    { KAFKA_SECURITY_PROTOCOL: "ssl", KAFKA_SSL_CA_LOCATION: `${pki}/nope.crt` },
    /^Cannot read KAFKA_SSL_CA_LOCATION '.*\/nope\.crt': no such file \(check the path/,
  );
  await usage(
    { KAFKA_SECURITY_PROTOCOL: "ssl", KAFKA_SSL_CA_LOCATION: pki },
    /^Cannot read KAFKA_SSL_CA_LOCATION '.*': it is a directory/,
  );
  await usage(
    { KAFKA_SECURITY_PROTOCOL: "ssl", KAFKA_SSL_CA_LOCATION: `${pki}/client.key` },
    /^KAFKA_SSL_CA_LOCATION '.*' holds no PEM certificate/,
  );
  const empty = await Deno.makeTempFile();
  try {
    await usage(
      {
        KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
        KAFKA_SASL_MECHANISM: "OAUTHBEARER",
        KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: empty,
      },
      /^KAFKA_SASL_OAUTHBEARER_TOKEN_FILE '.*' is empty/,
    );
  } finally {
    await Deno.remove(empty);
  }
});

Deno.test("loadKafkaSecurity() checks the client key: encrypted, password, pair", async () => {
  const pki = await testPki();
  const mtls = {
    KAFKA_SECURITY_PROTOCOL: "ssl",
    KAFKA_SSL_CERTIFICATE_LOCATION: `${pki}/client.crt`,
  };
  await usage(
    { ...mtls, KAFKA_SSL_KEY_LOCATION: `${pki}/client.enc.key` },
    /^KAFKA_SSL_KEY_LOCATION '.*client\.enc\.key' is encrypted: set KAFKA_SSL_KEY_PASSWORD/,
  );
  await usage(
    {
      ...mtls,
      KAFKA_SSL_KEY_LOCATION: `${pki}/client.enc.key`,
      KAFKA_SSL_KEY_PASSWORD: "hunter2-wrong",
    },
    /^KAFKA_SSL_KEY_LOCATION '.*' cannot be decrypted with the password from KAFKA_SSL_KEY_PASSWORD \(wrong password\?\)$/,
  );
  await usage(
    { ...mtls, KAFKA_SSL_KEY_LOCATION: `${pki}/untrusted-client.key` },
    /^The certificate in KAFKA_SSL_CERTIFICATE_LOCATION '.*client\.crt' and the key in KAFKA_SSL_KEY_LOCATION '.*untrusted-client\.key' are not a pair/,
  );
  await usage(
    { ...mtls, KAFKA_SSL_KEY_LOCATION: `${pki}/client.crt` },
    /^KAFKA_SSL_KEY_LOCATION '.*' holds no PEM private key/,
  );
});

Deno.test("loadKafkaSecurity() refuses an expired client certificate at start", async () => {
  const pki = await testPki();
  await usage(
    {
      KAFKA_SECURITY_PROTOCOL: "ssl",
      KAFKA_SSL_CERTIFICATE_LOCATION: `${pki}/client-expired.crt`,
      KAFKA_SSL_KEY_LOCATION: `${pki}/client-expired.key`,
    },
    /^KAFKA_SSL_CERTIFICATE_LOCATION '.*client-expired\.crt': the client certificate \(CN=dashflow-client\) expired on 2020-01-02T00:00:00\.000Z: renew it$/,
  );
});
