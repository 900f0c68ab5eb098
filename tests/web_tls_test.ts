/**
 * /metrics behind `--web.config.file`, as Prometheus scrapes a protected
 * exporter: TLS with basic auth (right credentials 200, wrong 401 with a
 * challenge, plain HTTP refused, `check` passes through), and client
 * certificates. On Deno (the source, or DASHFLOW_EXPORTER_BIN) and on Bun
 * (`bun main.ts`), whose TLS servers differ. No broker needed: serve keeps
 * retrying an unreachable one while it serves.
 *
 * The toolkit's TLS policy (docs/web_config.md): `cipher_suites` and `curve_preferences` (Bun;
 * Deno refuses them at start), `client_allowed_sans`, and TLS material reloaded for new
 * connections when the web config or the files it names change. openssl s_client is the client
 * that can offer one cipher or one curve.
 */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import process from "node:process";
import { startServe } from "./support/exporter.ts";
import { commandWorks, programCommand, run, runProgram } from "./support/spawn.ts";
import { issueCert, testPki } from "./support/pki.ts";
import { ROOT } from "./support/paths.ts";
import { waitFor } from "./support/kafka.ts";

const PASSWORD = "scrape-Hunter2-77a1";

/** Whether a runtime's TLS server takes a cipher and curve list: not Deno's (rustls). */
function takesTlsLists(command: string[]): boolean {
  const out = new Deno.Command(command[0], { args: [...command.slice(1), "--version"] })
    .outputSync();
  return !/\bdeno \d/.test(new TextDecoder().decode(out.stdout));
}

const RUNTIMES: { name: string; command?: string[]; ignore: boolean }[] = [
  // programCommand(): the source on Deno, or the binary the binary suite names.
  { name: process.env.DASHFLOW_EXPORTER_BIN ? "binary" : "deno", ignore: false },
  { name: "bun", command: ["bun", `${ROOT}main.ts`], ignore: !commandWorks(["bun", "--version"]) },
];
if (RUNTIMES[1].ignore) console.warn("web_tls_test: bun not on PATH: its cases are skipped");

async function webConfig(body: string): Promise<string> {
  const pki = await testPki();
  const path = `${pki}/web-${crypto.randomUUID()}.yml`;
  await Deno.writeTextFile(path, body);
  return path;
}

/** A web config that requires a client certificate of the test CA. */
const MTLS_CONFIG = `tls_server_config:
  cert_file: broker.crt
  key_file: broker.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
`;

/** `serve` on `runtime` behind the web config at `config`, retrying an unreachable broker. */
function serveWebConfig(config: string, runtime: { command?: string[] }) {
  return startServe({ KAFKA_BROKERS: "127.0.0.1:1" }, ["--web.config.file", config], {
    command: runtime.command,
  });
}

async function get(
  url: string,
  options: { client?: Deno.HttpClient; user?: string; password?: string } = {},
): Promise<{ status: number; text: string; challenge: string | null }> {
  const headers: Record<string, string> = {};
  if (options.user) headers.authorization = `Basic ${btoa(`${options.user}:${options.password}`)}`;
  const response = await fetch(url, { headers, ...(options.client && { client: options.client }) });
  return {
    status: response.status,
    text: await response.text(),
    challenge: response.headers.get("www-authenticate"),
  };
}

/** How an HTTP request ended: a status, or the error that refused it (a hang fails the test). */
async function outcome(
  url: string,
  client?: Deno.HttpClient,
): Promise<{ status?: number; error?: string }> {
  const signal = AbortSignal.timeout(15_000);
  try {
    const response = await fetch(url, { signal, ...(client && { client }) });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    assert.ok(!signal.aborted, `${url}: no answer and no refusal in 15 s`);
    return { error: String(error) };
  }
}

async function runCheck(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const out = await runProgram(["check", ...args], { env });
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, output: decode(out.stdout) + decode(out.stderr) };
}

for (const runtime of RUNTIMES) {
  Deno.test({
    name: `serve over TLS with basic auth (${runtime.name}): 200, 401, plain HTTP refused, check`,
    ignore: runtime.ignore,
    fn: async () => {
      const pki = await testPki();
      const config = await webConfig(`tls_server_config:
  cert_file: broker.crt
  key_file: broker.key
basic_auth_users:
  prometheus: ${bcrypt.hashSync(PASSWORD, 10)}
`);
      const server = await serveWebConfig(config, runtime);
      const client = Deno.createHttpClient({
        caCerts: [await Deno.readTextFile(`${pki}/ca.crt`)],
      });
      try {
        assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        const metrics = `${server.url}/metrics`;
        const right = await get(metrics, { client, user: "prometheus", password: PASSWORD });
        assert.equal(right.status, 200);
        assert.match(right.text, /^dashstream_quality_monitor_queries_total 0$/m);
        // Remembered after the first bcrypt check: the second scrape is as good.
        assert.equal(
          (await get(metrics, { client, user: "prometheus", password: PASSWORD })).status,
          200,
        );

        for (
          const [what, options] of [
            ["wrong password", { client, user: "prometheus", password: "wrong" }],
            ["unknown user", { client, user: "grafana", password: PASSWORD }],
            ["no credentials", { client }],
          ] as const
        ) {
          const refused = await get(metrics, options);
          assert.equal(refused.status, 401, what);
          assert.match(refused.challenge ?? "", /^Basic realm="dashflow-exporter"/, what);
          assert.ok(!refused.text.includes("dashstream_"), what);
        }
        assert.equal((await get(`${server.url}/-/healthy`, { client })).status, 401);

        const plain = await outcome(metrics.replace("https://", "http://"));
        assert.ok(
          plain.error !== undefined || (plain.status ?? 0) >= 400,
          `plain HTTP must be refused, got ${JSON.stringify(plain)}`,
        );
        const untrusted = await outcome(metrics);
        assert.ok(untrusted.error, "a client without the CA must not trust the server");

        const checked = await runCheck(
          [
            metrics,
            "--ca-file",
            `${pki}/ca.crt`,
            "--basic-auth",
            "prometheus",
            "--expect",
            "dashflow",
          ],
          { DASHFLOW_CHECK_PASSWORD: PASSWORD },
        );
        assert.equal(checked.code, 0, checked.output);
        assert.match(checked.output, /HTTP 200/);
        const wrong = await runCheck(
          [metrics, "--ca-file", `${pki}/ca.crt`, "--basic-auth", "prometheus:wrong"],
          {},
        );
        assert.equal(wrong.code, 1, wrong.output);
        assert.match(wrong.output, /HTTP 401/);

        assert.ok(!server.stderr().includes(PASSWORD), "the password is in the log");
      } finally {
        client.close();
        await server.stop();
        await Deno.remove(config);
      }
    },
  });

  Deno.test({
    name: `serve with RequireAndVerifyClientCert (${runtime.name}) wants a trusted client cert`,
    ignore: runtime.ignore,
    fn: async () => {
      const pki = await testPki();
      const config = await webConfig(MTLS_CONFIG);
      const server = await serveWebConfig(config, runtime);
      const ca = await Deno.readTextFile(`${pki}/ca.crt`);
      const read = (name: string) => Deno.readTextFileSync(`${pki}/${name}`);
      const clients = {
        none: Deno.createHttpClient({ caCerts: [ca] }),
        trusted: Deno.createHttpClient({
          caCerts: [ca],
          cert: read("client.crt"),
          key: read("client.key"),
        }),
        untrusted: Deno.createHttpClient({
          caCerts: [ca],
          cert: read("untrusted-client.crt"),
          key: read("untrusted-client.key"),
        }),
      };
      try {
        const metrics = `${server.url}/metrics`;
        assert.deepEqual(await outcome(metrics, clients.trusted), { status: 200 });
        const none = await outcome(metrics, clients.none);
        assert.ok(none.error, `no client certificate must be refused: ${JSON.stringify(none)}`);
        const untrusted = await outcome(metrics, clients.untrusted);
        assert.ok(untrusted.error, `an untrusted one too: ${JSON.stringify(untrusted)}`);
      } finally {
        for (const client of Object.values(clients)) client.close();
        await server.stop();
        await Deno.remove(config);
      }
    },
  });
}

Deno.test("serve refuses a bad web config at start: one line, exit 2", async () => {
  const config = await webConfig("basic_auth_users:\n  prometheus: not-a-hash\n");
  try {
    const out = await runProgram(["serve", "--port", "0", "--web.config.file", config], {
      env: { KAFKA_BROKERS: "127.0.0.1:1" },
    });
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, stderr);
    assert.match(
      stderr,
      /^dashflow-exporter: --web\.config\.file '.*': basic_auth_users\.prometheus is not a bcrypt hash \(make one with 'htpasswd -nBC 10 prometheus'/,
    );
    assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
  } finally {
    await Deno.remove(config);
  }
});

/** A TLS handshake by openssl s_client trusting the test CA, with `args` (e.g. `-cipher X`). */
async function handshake(
  port: number,
  args: string[],
): Promise<{ ok: boolean; cipher?: string; group?: string; output: string }> {
  const pki = await testPki();
  const out = await run(
    [
      "openssl",
      "s_client",
      "-brief",
      "-connect",
      `127.0.0.1:${port}`,
      "-CAfile",
      `${pki}/ca.crt`,
      "-verify_return_error",
      ...args,
    ],
    { stdin: "" },
  );
  const output = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return {
    ok: out.code === 0 && /CONNECTION ESTABLISHED/.test(output),
    cipher: output.match(/^Ciphersuite: (\S+)/m)?.[1],
    group: output.match(/^(?:Server|Peer) Temp Key: [^,]+, (\S+?),/m)?.[1],
    output,
  };
}

/** A fresh HTTP client per call: a pooled connection would keep the TLS of before a reload. */
async function outcomeWith(
  url: string,
  tls: Deno.CreateHttpClientOptions & Partial<Deno.TlsCertifiedKeyPem>,
): Promise<{ status?: number; error?: string }> {
  const client = Deno.createHttpClient(tls);
  try {
    return await outcome(url, client);
  } finally {
    client.close();
  }
}

for (const runtime of RUNTIMES) {
  Deno.test({
    name: `serve honours cipher_suites and curve_preferences (${runtime.name}), or refuses them`,
    ignore: runtime.ignore,
    fn: async () => {
      const config = await webConfig(`tls_server_config:
  cert_file: broker.crt
  key_file: broker.key
  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
  curve_preferences: [CurveP384]
`);
      try {
        if (!takesTlsLists(runtime.command ?? programCommand())) {
          // Deno's TLS server (rustls) takes no cipher list: refused at start, with the fix.
          const out = await run(
            [
              ...runtime.command ?? programCommand(),
              ...["serve", "--port", "0", "--web.config.file", config],
            ],
            { env: { KAFKA_BROKERS: "127.0.0.1:1" } },
          );
          const stderr = new TextDecoder().decode(out.stderr);
          assert.equal(out.code, 2, stderr);
          assert.match(
            stderr,
            /cipher_suites cannot be honoured on deno [\d.]+: its TLS server takes no cipher list\. Run the Bun build/,
          );
          return;
        }
        const server = await serveWebConfig(config, runtime);
        try {
          const port = Number(new URL(server.url).port);
          // TLS 1.2 wants the client to take the ECDSA certificate's curve (P-256) too.
          const tls12 = ["-tls1_2", "-groups", "P-256:P-384"];
          const refused = await handshake(port, [
            ...tls12,
            "-cipher",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
          ]);
          assert.equal(refused.ok, false, `a suite not listed must fail:\n${refused.output}`);
          const allowed = await handshake(port, [
            ...tls12,
            "-cipher",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
          ]);
          assert.equal(allowed.ok, true, allowed.output);
          assert.equal(allowed.cipher, "ECDHE-ECDSA-AES128-GCM-SHA256");
          assert.equal(allowed.group, "secp384r1", allowed.output);

          const p256 = await handshake(port, ["-tls1_3", "-groups", "P-256"]);
          assert.equal(p256.ok, false, `a curve not listed must fail:\n${p256.output}`);
          const p384 = await handshake(port, ["-tls1_3", "-groups", "P-256:P-384"]);
          assert.equal(p384.ok, true, p384.output);
          assert.equal(p384.group, "secp384r1", p384.output);
          // TLS 1.3 suites stay the runtime's: a scrape over TLS 1.3 works.
          const pki = await testPki();
          assert.deepEqual(
            await outcomeWith(`${server.url}/metrics`, {
              caCerts: [await Deno.readTextFile(`${pki}/ca.crt`)],
            }),
            { status: 200 },
          );
        } finally {
          await server.stop();
        }
      } finally {
        await Deno.remove(config);
      }
    },
  });

  Deno.test({
    name: `serve with client_allowed_sans (${runtime.name}) lets in only a listed SAN`,
    ignore: runtime.ignore,
    fn: async () => {
      const pki = await testPki();
      const issued = {
        dns: await issueCert(`san-dns-${runtime.name}`, {
          sans: ["DNS:prometheus.monitoring.svc", "IP:10.0.0.7"],
        }),
        uri: await issueCert(`san-uri-${runtime.name}`, {
          sans: ["URI:spiffe://cluster/ns/monitoring/sa/prometheus", "email:ops@example.com"],
        }),
        other: await issueCert(`san-other-${runtime.name}`, {
          sans: ["DNS:grafana.monitoring.svc", "IP:10.0.0.8", "email:dev@example.com"],
        }),
      };
      const config = await webConfig(`${MTLS_CONFIG}  client_allowed_sans:
    - prometheus.monitoring.svc
    - spiffe://cluster/ns/monitoring/sa/prometheus
`);
      const server = await serveWebConfig(config, runtime);
      const ca = await Deno.readTextFile(`${pki}/ca.crt`);
      const as = async (files: { cert: string; key: string }) =>
        await outcomeWith(`${server.url}/metrics`, {
          caCerts: [ca],
          cert: await Deno.readTextFile(files.cert),
          key: await Deno.readTextFile(files.key),
        });
      try {
        assert.deepEqual(await as(issued.dns), { status: 200 }, "an allowed DNS SAN");
        assert.deepEqual(await as(issued.uri), { status: 200 }, "an allowed URI SAN");
        for (
          const [what, files] of [
            ["other SANs", issued.other],
            ["no SAN", { cert: `${pki}/client.crt`, key: `${pki}/client.key` }],
          ] as const
        ) {
          const refused = await as(files);
          assert.ok(
            refused.error !== undefined || refused.status === 403,
            `${what} must be refused: ${JSON.stringify(refused)}`,
          );
        }
      } finally {
        await server.stop();
        await Deno.remove(config);
      }
    },
  });

  Deno.test({
    name: `serve reloads TLS for new connections (${runtime.name}): files, web config, bad change`,
    ignore: runtime.ignore,
    fn: async () => {
      const pki = await testPki();
      const dir = await Deno.makeTempDir({ prefix: "web-tls-reload-" });
      const copy = (from: string, to: string) => Deno.copyFile(from, `${dir}/${to}`);
      await copy(`${pki}/broker.crt`, "server.crt");
      await copy(`${pki}/broker.key`, "server.key");
      const config = `${dir}/web.yml`;
      const plain = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
      await Deno.writeTextFile(config, plain);
      const rotated = await issueCert(`reload-server-${runtime.name}`, {
        ca: "other-ca",
        sans: ["IP:127.0.0.1", "DNS:localhost"],
        usage: "serverAuth",
      });
      const server = await serveWebConfig(config, runtime);
      const read = (path: string) => Deno.readTextFileSync(path);
      const metrics = `${server.url}/metrics`;
      const trusting = (ca: string) => outcomeWith(metrics, { caCerts: [read(`${pki}/${ca}`)] });
      try {
        assert.deepEqual(await trusting("ca.crt"), { status: 200 });
        // The certificate and key are replaced, the web config untouched (cert-manager style).
        const replaced = performance.now();
        await Deno.writeTextFile(`${dir}/server.key`, read(rotated.key));
        await Deno.writeTextFile(`${dir}/server.crt`, read(rotated.cert));
        await waitFor(
          async () => (await trusting("other-ca.crt")).status === 200,
          { message: () => `the new certificate is not served:\n${server.stderr()}` },
        );
        const appliedMs = performance.now() - replaced;
        console.log(
          `web_tls_test: new certificate served ${appliedMs.toFixed(0)} ms after the swap`,
        );
        assert.ok((await trusting("ca.crt")).error, "the old certificate is gone");

        // The web config now wants a client certificate: new connections need one.
        await Deno.writeTextFile(
          config,
          `${plain}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${pki}/ca.crt\n`,
        );
        const withCert = {
          caCerts: [read(`${pki}/other-ca.crt`)],
          cert: read(`${pki}/client.crt`),
          key: read(`${pki}/client.key`),
        };
        await waitFor(
          async () => (await trusting("other-ca.crt")).error !== undefined,
          { message: () => `client auth did not apply:\n${server.stderr()}` },
        );
        assert.deepEqual(await outcomeWith(metrics, withCert), { status: 200 });

        // A bad change is logged and leaves the TLS in force.
        await Deno.writeTextFile(config, `${plain}  cipher_suites: [TLS_BOGUS]\n`);
        await waitFor(
          () =>
            /unknown cipher suite 'TLS_BOGUS'.*keeping the web config in force/.test(
              server.stderr(),
            ),
          { message: () => `the bad file was not reported:\n${server.stderr()}` },
        );
        assert.deepEqual(await outcomeWith(metrics, withCert), { status: 200 });
        assert.ok((await trusting("other-ca.crt")).error, "still wants a client certificate");
      } finally {
        await server.stop();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test("serve refuses an unknown cipher suite or curve at start, listing the valid ones", async () => {
  for (
    const [line, pattern] of [
      [
        "cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]",
        /cipher_suites: unknown cipher suite 'TLS_RSA_WITH_RC4_128_SHA' \(expected one of TLS_RSA_WITH_AES_128_CBC_SHA, .*TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256/,
      ],
      [
        "curve_preferences: [CurveP224]",
        /curve_preferences: unknown curve 'CurveP224' \(expected one of CurveP256, CurveP384, CurveP521, X25519\)/,
      ],
    ] as const
  ) {
    const config = await webConfig(
      `tls_server_config:\n  cert_file: broker.crt\n  key_file: broker.key\n  ${line}\n`,
    );
    try {
      const out = await runProgram(["serve", "--port", "0", "--web.config.file", config], {
        env: { KAFKA_BROKERS: "127.0.0.1:1" },
      });
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 2, stderr);
      assert.match(stderr, pattern);
    } finally {
      await Deno.remove(config);
    }
  }
});
