/**
 * loadWebConfig(): the exporter-toolkit web config file, checked at start.
 */
import assert from "node:assert/strict";
import { loadWebConfig } from "../src/serve/web_config.ts";
import { UsageError } from "../src/errors.ts";
import { testPki } from "./support/pki.ts";

// bcrypt("s3cret", cost 4): cheap to check in tests.
const HASH = "$2b$04$ldoZkYkWEXkHFVXugFnf9Onhcduq8KRcg.C/OsjSLzdZZUJKl7u22";
const readFile = (path: string) => Deno.readFile(path);

async function withConfig<T>(yaml: string, fn: (path: string) => Promise<T>): Promise<T> {
  const pki = await testPki();
  const path = `${pki}/web-${crypto.randomUUID()}.yml`;
  await Deno.writeTextFile(path, yaml);
  try {
    return await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

const load = (path: string) => loadWebConfig({ path, source: "--web.config.file" }, { readFile });

async function usage(yaml: string, pattern: RegExp): Promise<void> {
  await withConfig(yaml, async (path) => {
    await assert.rejects(() => load(path), (error: unknown) => {
      assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes(HASH), "a hash in the message");
      return true;
    });
  });
}

Deno.test("loadWebConfig() reads TLS files relative to the config, and bcrypt users", async () => {
  await withConfig(
    `tls_server_config:
  cert_file: broker.crt
  key_file: broker.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  min_version: TLS13
basic_auth_users:
  prometheus: ${HASH}
`,
    async (path) => {
      const config = await load(path);
      assert.match(config.tls!.cert, /BEGIN CERTIFICATE/);
      assert.match(config.tls!.key, /PRIVATE KEY/);
      assert.match(config.tls!.clientCa!, /BEGIN CERTIFICATE/);
      assert.equal(config.tls!.clientAuth, "RequireAndVerifyClientCert");
      assert.equal(config.tls!.minVersion, "TLS13");
      assert.deepEqual([...config.basicAuthUsers!], [["prometheus", HASH]]);
    },
  );
  await withConfig("", async (path) => assert.deepEqual(await load(path), {}));
});

Deno.test("loadWebConfig() names what is wrong, at start", async () => {
  await usage("tls_server_config: [", /^--web\.config\.file '.*' is not valid YAML/);
  await usage("tls_config: {}\n", /unknown key tls_config \(expected tls_server_config/);
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n",
    /tls_server_config needs cert_file and key_file/,
  );
  await usage(
    "tls_server_config:\n  cert_file: nope.crt\n  key_file: broker.key\n",
    /^Cannot read tls_server_config\.cert_file '.*\/nope\.crt': no such file/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: client.key\n",
    /are not a pair: the key does not match/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: client.enc.key\n",
    /holds no unencrypted PEM private key/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  client_ca_file: ca.crt\n",
    /client_ca_file is set but client_auth_type is NoClientCert/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n" +
      "  client_auth_type: RequireAndVerifyClientCert\n",
    /RequireAndVerifyClientCert needs tls_server_config\.client_ca_file/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n" +
      "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n",
    /'VerifyClientCertIfGiven' is not supported by dashflow-exporter: use RequireAndVerifyClientCert/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  cipher_suites: [X]\n",
    /tls_server_config\.cipher_suites: unknown cipher suite 'X' \(expected one of TLS_RSA_WITH_AES_128_CBC_SHA, /,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  curve_preferences: [P256]\n",
    /curve_preferences: unknown curve 'P256' \(expected one of CurveP256, CurveP384, CurveP521, X25519\)/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  cipher_suites: []\n",
    /tls_server_config\.cipher_suites is empty: list at least one, or remove the key/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n" +
      "  client_allowed_sans: [prometheus]\n",
    /client_allowed_sans needs client_auth_type: RequireAndVerifyClientCert \(client_auth_type is NoClientCert/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n" +
      "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n" +
      "  client_ca: x\n",
    /give client_ca_file or client_ca, not both/,
  );
  await usage(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  min_version: TLS14\n",
    /min_version 'TLS14' is not one of TLS10, TLS11, TLS12, TLS13/,
  );
  await usage(
    "basic_auth_users:\n  alice: plaintext-password\n",
    /basic_auth_users\.alice is not a bcrypt hash/,
  );
  await usage(`basic_auth_users:\n  "a:b": ${HASH}\n`, /'a:b' cannot be a user name/);
  await usage(
    "http_server_config:\n  headers:\n    Server: x\n",
    /http_server_config\.headers\.Server cannot be configured \(expected one of Content-Security-Policy/,
  );
  await usage(
    "http_server_config:\n  headers:\n    X-Frame-Options: allow\n",
    /headers\.X-Frame-Options 'allow' is not one of deny, sameorigin/,
  );
  await usage("http_server_config:\n  http2: maybe\n", /http2 must be true or false/);
  await usage("http_server_config:\n  rate: 1\n", /unknown key http_server_config\.rate/);
});

Deno.test("loadWebConfig() reads http_server_config: the toolkit's headers, http2", async () => {
  await withConfig(
    `http_server_config:
  http2: false
  headers:
    x-content-type-options: nosniff
    X-Frame-Options: DENY
    Strict-Transport-Security: max-age=31536000
    Content-Security-Policy: ""
`,
    async (path) => {
      assert.deepEqual(await load(path), {
        headers: {
          "X-Content-Type-Options": "nosniff",
          "X-Frame-Options": "DENY",
          "Strict-Transport-Security": "max-age=31536000",
        },
      });
    },
  );
  await withConfig("http_server_config:\n  http2: true\n", async (path) => {
    const { notices } = await load(path);
    assert.match(notices![0], /http2: true: served over HTTP\/1\.1/);
  });
});

Deno.test("loadWebConfig() reads the toolkit's TLS policy: suites, curves, allowed SANs, inline CA", async () => {
  const pki = await testPki();
  const ca = await Deno.readTextFile(`${pki}/ca.crt`);
  await withConfig(
    `tls_server_config:
  cert_file: broker.crt
  key_file: broker.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca: |
${ca.trimEnd().split("\n").map((line) => `    ${line}`).join("\n")}
  client_allowed_sans: [prometheus.monitoring.svc, "::1"]
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
  curve_preferences: [X25519, CurveP256]
`,
    async (path) => {
      const config = await load(path);
      assert.equal(config.tls!.clientCa, ca);
      assert.deepEqual(config.tls!.clientAllowedSans, ["prometheus.monitoring.svc", "::1"]);
      assert.deepEqual(config.tls!.cipherSuites, [
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_AES_128_GCM_SHA256",
      ]);
      assert.deepEqual(config.tls!.curvePreferences, ["X25519", "CurveP256"]);
      assert.match(
        config.notices![0],
        /TLS_AES_128_GCM_SHA256 is a TLS 1\.3 suite, which cannot be chosen/,
      );
      assert.deepEqual(config.files, [`${pki}/broker.crt`, `${pki}/broker.key`]);
    },
  );
});

Deno.test("loadWebConfig() refuses what the runtime's TLS server cannot honour, naming the fix", async () => {
  const noLists = { ciphers: false, ecdhCurve: false };
  for (
    const line of [
      "cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]",
      "curve_preferences: [X25519]",
    ]
  ) {
    await withConfig(
      `tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  ${line}\n`,
      async (path) => {
        await assert.rejects(
          () =>
            loadWebConfig({ path, source: "--web.config.file" }, {
              readFile,
              runtime: "deno 2.9.6",
              tlsSupport: noLists,
            }),
          /cannot be honoured on deno 2\.9\.6: its TLS server takes no (cipher|curve) list\. Run the Bun build \(the released dashflow-exporter binary, or 'bun main\.ts'\), or remove/,
        );
      },
    );
  }
  // Only TLS 1.3 suites listed: nothing for the runtime to take, TLS 1.2 is simply off.
  await withConfig(
    "tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
    async (path) => {
      const config = await loadWebConfig({ path, source: "--web.config.file" }, {
        readFile,
        tlsSupport: noLists,
      });
      assert.deepEqual(config.tls!.cipherSuites, ["TLS_AES_128_GCM_SHA256"]);
    },
  );
});
