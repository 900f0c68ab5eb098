/**
 * /metrics behind `--web.config.file`, as Prometheus scrapes a protected
 * exporter: TLS with basic auth (right credentials 200, wrong 401 with a
 * challenge, plain HTTP refused, `check` passes through), and client
 * certificates. On Deno (the source, or DASHFLOW_EXPORTER_BIN) and on Bun
 * (`bun main.ts`), whose TLS servers differ. No broker needed: serve keeps
 * retrying an unreachable one while it serves.
 */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import process from "node:process";
import { startServe } from "./support/exporter.ts";
import { runProgram } from "./support/spawn.ts";
import { testPki } from "./support/pki.ts";
import { ROOT } from "./support/paths.ts";

const PASSWORD = "scrape-Hunter2-77a1";

function bunAvailable(): boolean {
  try {
    return new Deno.Command("bun", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const RUNTIMES: { name: string; command?: string[]; ignore: boolean }[] = [
  // programCommand(): the source on Deno, or the binary the binary suite names.
  { name: process.env.DASHFLOW_EXPORTER_BIN ? "binary" : "deno", ignore: false },
  { name: "bun", command: ["bun", `${ROOT}main.ts`], ignore: !bunAvailable() },
];
if (RUNTIMES[1].ignore) console.warn("web_tls_test: bun not on PATH: its cases are skipped");

async function webConfig(body: string): Promise<string> {
  const pki = await testPki();
  const path = `${pki}/web-${crypto.randomUUID()}.yml`;
  await Deno.writeTextFile(path, body);
  return path;
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

/** How an HTTP request ended: a status, or the error that refused it. */
async function outcome(
  url: string,
  client?: Deno.HttpClient,
): Promise<{ status?: number; error?: string }> {
  try {
    const response = await fetch(url, client ? { client } : {});
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
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
      const server = await startServe(
        { KAFKA_BROKERS: "127.0.0.1:1" },
        ["--web.config.file", config],
        { command: runtime.command },
      );
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
      const config = await webConfig(`tls_server_config:
  cert_file: broker.crt
  key_file: broker.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
`);
      const server = await startServe(
        { KAFKA_BROKERS: "127.0.0.1:1" },
        ["--web.config.file", config],
        { command: runtime.command },
      );
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
