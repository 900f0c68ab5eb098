/**
 * `check` from the command line: exit codes, output formats (golden files), stdin, flags,
 * and URLs: content negotiation, HTTP errors, --wait, basic auth, TLS, --scrapes, --expect.
 * Runs against the source, or the binary named by DASHFLOW_EXPORTER_BIN.
 *
 * Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended output change.
 */
import assert from "node:assert/strict";
import https from "node:https";
import type { AddressInfo } from "node:net";
import {
  FIXTURES,
  jsonFindings,
  type Run,
  runCheck,
  serveHttp,
  withServer,
} from "./support/check.ts";
import { assertGolden } from "./support/golden.ts";
import { assertMentions } from "./support/assert_mentions.ts";
import { ROOT } from "./support/paths.ts";
import { testPki } from "./support/pki.ts";

const GOLDEN = `${FIXTURES}golden/`;
const BROKEN = "tests/fixtures/check/golden/broken.prom";
const VALID_TEXT = "tests/fixtures/check/valid/text_all_types.prom";

function golden(name: string, actual: string): void {
  const path = `${GOLDEN}${name}`;
  assertGolden(path, actual, `${name} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

Deno.test("check --help explains targets, formats, exit codes, expectations and rules", async () => {
  const { code, stdout } = await runCheck(["--help"]);
  assert.equal(code, 0);
  assertMentions(stdout, [
    "TARGET is an http(s) URL, a file, or - for stdin",
    "--input-format",
    "--format <format>",
    "3  valid, but lint findings",
    "--expect-buckets",
    "--wait",
    "--scrapes",
    "--ca-file",
    "--basic-auth",
    "DASHFLOW_CHECK_PASSWORD",
    "histogram-inf-missing",
    "lint-help",
    "target-restarted",
  ], "check --help");
});

Deno.test("check prints a broken file's findings as golden human, JSON and JUnit output", async () => {
  for (
    const [format, file] of [["human", "broken.human.txt"], ["json", "broken.json"], [
      "junit",
      "broken.junit.txt",
    ]]
  ) {
    const run = await runCheck([BROKEN, "--format", format]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr, "");
    golden(file, run.stdout);
  }
});

Deno.test("check exits 0 when valid, 3 with lint findings only, 0 with --no-lint", async () => {
  assert.equal((await runCheck([VALID_TEXT])).code, 0);
  const lint = await runCheck(["-"], { stdin: "# TYPE up gauge\nup 1\n" });
  assert.equal(lint.code, 3, lint.stdout);
  assert.match(lint.stdout, /^<stdin>:1: warning: up: no help text \[lint-help\]$/m);
  assert.match(lint.stdout, /VALID with lint findings: 0 errors, 1 warning \(exit 3\)/);
  assert.equal((await runCheck(["-", "--no-lint"], { stdin: "# TYPE up gauge\nup 1\n" })).code, 0);
});

Deno.test("check --max-findings-per-rule lists that many of each rule and counts the rest", async () => {
  let stdin = "";
  for (let i = 0; i < 5; i++) stdin += `# TYPE m${i} gauge\nm${i} 1\n`;
  const human = await runCheck(["-", "--max-findings-per-rule", "2"], { stdin });
  assert.equal(human.code, 3, human.stdout + human.stderr);
  assert.equal(human.stdout.match(/\[lint-help\]$/gm)?.length, 2, human.stdout);
  assert.match(
    human.stdout,
    /^\.\.\. and 3 more lint-help findings, counted, not listed \(at most 2 per rule: --max-findings-per-rule\)$/m,
  );
  assert.match(human.stdout, /VALID with lint findings: 0 errors, 5 warnings \(exit 3\)/);
  const json = await runCheck(["-", "--max-findings-per-rule", "2", "--format", "json"], { stdin });
  const body = JSON.parse(json.stdout);
  assert.deepEqual(body.findingsLeftOut, { "lint-help": 3 });
  assert.equal(body.summary.warnings, 5);
  assert.equal(body.findings.length, 2);
  // The default (100) leaves nothing out here: all five listed, no left-out line.
  const all = await runCheck(["-"], { stdin });
  assert.equal(all.stdout.match(/\[lint-help\]$/gm)?.length, 5, all.stdout);
  assert.doesNotMatch(all.stdout, /not listed/);
});

Deno.test("check reads stdin and files by # EOF, or as --input-format says", async () => {
  const om = "# HELP up Up.\n# TYPE up gauge\nup 1\n# EOF\n";
  const run = await runCheck(["-"], { stdin: om });
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /^read <stdin> as OpenMetrics 1\.0: 4 lines, 1 family, 1 sample$/m);
  const forced = await runCheck([VALID_TEXT, "--input-format", "openmetrics", "--format", "json"]);
  assert.equal(forced.code, 1);
  assert.ok(jsonFindings(forced).some((f) => f.rule === "om-eof"));
});

Deno.test("check exits 2 on usage errors, naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [[], /missing required argument 'target'/],
    [[VALID_TEXT, "--format", "xml"], /Invalid --format 'xml'/],
    [[VALID_TEXT, "--bogus"], /unknown option '--bogus'/],
    [[VALID_TEXT, "--scrapes", "2"], /--scrapes 2 needs an http\(s\) target/],
    [[VALID_TEXT, "--expect", "no/such/file.yaml"], /Cannot read --expect 'no\/such\/file.yaml'/],
    [[VALID_TEXT, "--expect-buckets", "env"], /--expect-buckets applies to --expect dashflow/],
    [[VALID_TEXT, "--max-findings-per-rule", "0"], /Invalid --max-findings-per-rule '0'/],
  ];
  for (const [args, pattern] of cases) {
    const run = await runCheck(args);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, pattern);
  }
});

Deno.test("check fails an unreadable file with exit 1", async () => {
  const run = await runCheck(["no/such/metrics.prom"]);
  assert.equal(run.code, 1);
  assert.match(
    run.stdout,
    /no\/such\/metrics\.prom: error: cannot read no\/such\/metrics\.prom: .* \[target-unreachable\]/,
  );
});

Deno.test("check --expect FILE names the missing metric and the wrong type", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "check-expect-" });
  try {
    const yaml = `${dir}/expect.yaml`;
    Deno.writeTextFileSync(
      yaml,
      [
        "metrics:",
        "  - name: http_requests_total",
        "    type: counter",
        "    labels: [path, code]",
        "  - name: request_duration_seconds",
        "    type: histogram",
        "    buckets: [0.05, 0.1, 0.5, 1]",
        "  - name: temperature_celsius",
        "    type: counter",
        "  - name: disk_free_bytes",
        "",
      ].join("\n"),
    );
    const run = await runCheck([VALID_TEXT, "--expect", yaml, "--format", "json"]);
    assert.equal(run.code, 1, run.stdout);
    assert.deepEqual(jsonFindings(run).map((f) => [f.rule, f.metric]), [
      ["expect-type", "temperature_celsius"],
      ["expect-missing", "disk_free_bytes"],
    ]);
    const json = `${dir}/expect.json`;
    Deno.writeTextFileSync(
      json,
      JSON.stringify([{ name: "rpc_duration_seconds", type: "summary" }]),
    );
    assert.equal((await runCheck([VALID_TEXT, "--expect", json])).code, 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

const TEXT = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

Deno.test("check negotiates the format with --accept and reads the Content-Type", async () => {
  await withServer(
    serveHttp((request) => {
      const om = request.headers.get("accept")?.startsWith("application/openmetrics-text");
      return om
        ? new Response("# HELP up Up.\n# TYPE up gauge\nup 1\n# EOF\n", {
          headers: { "content-type": OPENMETRICS },
        })
        : new Response("# HELP up Up.\n# TYPE up gauge\nup 1\n", {
          headers: { "content-type": TEXT },
        });
    }),
    async (server) => {
      const text = await runCheck([`${server.origin}/metrics`]);
      assert.equal(text.code, 0, text.stdout);
      assert.match(text.stdout, /as text 0\.0\.4 \(HTTP 200, Content-Type text\/plain/);
      const om = await runCheck([`${server.origin}/metrics`, "--accept", "openmetrics"]);
      assert.equal(om.code, 0, om.stdout);
      assert.match(
        om.stdout,
        /as OpenMetrics 1\.0 \(HTTP 200, Content-Type application\/openmetrics-text/,
      );
    },
  );
});

Deno.test("check fails a URL with exit 1: HTTP error, wrong Content-Type, unreachable", async () => {
  // The server's address, closed by the time the last case runs.
  const closed = await withServer(
    serveHttp((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/html") {
        return new Response("<html></html>", { headers: { "content-type": "text/html" } });
      }
      return new Response("not here\n", { status: 404 });
    }),
    async (server) => {
      const missing = await runCheck([`${server.origin}/nope`, "--format", "json"]);
      assert.equal(missing.code, 1);
      assert.deepEqual(jsonFindings(missing).map((f) => f.rule), ["target-http-status"]);
      const html = await runCheck([`${server.origin}/html`, "--format", "json"]);
      assert.equal(html.code, 1);
      assert.deepEqual(jsonFindings(html).map((f) => f.rule), ["target-content-type"]);
      return server.origin;
    },
  );
  const unreachable = await runCheck([`${closed}/metrics`, "--timeout", "2s"]);
  assert.equal(unreachable.code, 1);
  assert.match(
    unreachable.stdout,
    /error: GET http:\/\/127\.0\.0\.1:\d+\/metrics failed: .* \[target-unreachable\]/,
  );
});

Deno.test("check --wait retries until the target comes up", async () => {
  const probe = serveHttp(() => new Response(""));
  const port = probe.port;
  await probe.close();
  const running = runCheck([`http://127.0.0.1:${port}/metrics`, "--wait", "30s"]);
  // The check is already retrying against the closed port; open it now.
  await withServer(
    serveHttp(
      () =>
        new Response("# HELP up Up.\n# TYPE up gauge\nup 1\n", {
          headers: { "content-type": TEXT },
        }),
      { port },
    ),
    async () => {
      const run = await running;
      assert.equal(run.code, 0, run.stdout);
    },
  );
});

Deno.test("check sends basic auth from the flag or from DASHFLOW_CHECK_PASSWORD", async () => {
  await withServer(
    serveHttp((request) => {
      if (request.headers.get("authorization") !== `Basic ${btoa("scraper:s3cret")}`) {
        return new Response("unauthorized\n", {
          status: 401,
          headers: { "www-authenticate": "Basic" },
        });
      }
      return new Response("# HELP up Up.\n# TYPE up gauge\nup 1\n", {
        headers: { "content-type": TEXT },
      });
    }),
    async (server) => {
      const url = `${server.origin}/metrics`;
      const denied = await runCheck([url]);
      assert.equal(denied.code, 1);
      assert.match(denied.stdout, /HTTP 401 Unauthorized/);
      assert.equal((await runCheck([url, "--basic-auth", "scraper:s3cret"])).code, 0);
      const fromEnv = await runCheck([url, "--basic-auth", "scraper"], {
        env: { DASHFLOW_CHECK_PASSWORD: "s3cret" },
      });
      assert.equal(fromEnv.code, 0, fromEnv.stdout);
    },
  );
});

Deno.test("check verifies TLS with --ca-file (or not: --insecure-skip-verify), sends a client cert", async () => {
  // The shared test PKI: broker.crt is a server certificate for localhost/127.0.0.1.
  const dir = await testPki();
  await withServer(
    serveHttp(
      () =>
        new Response("# HELP up Up.\n# TYPE up gauge\nup 1\n", {
          headers: { "content-type": TEXT },
        }),
      {
        tls: {
          cert: Deno.readTextFileSync(`${dir}/broker.crt`),
          key: Deno.readTextFileSync(`${dir}/broker.key`),
        },
      },
    ),
    async (server) => {
      const url = `${server.origin}/metrics`;
      const untrusted = await runCheck([url]);
      assert.equal(untrusted.code, 1, untrusted.stdout);
      assert.match(untrusted.stdout, /\[target-unreachable\]/);
      const trusted = await runCheck([url, "--ca-file", `${dir}/ca.crt`]);
      assert.equal(trusted.code, 0, trusted.stdout);
      const insecure = await runCheck([url, "--insecure-skip-verify"]);
      assert.equal(insecure.code, 0, insecure.stdout);
    },
  );
  // Mutual TLS: a server that refuses clients without a certificate signed by the CA.
  const mtls = https.createServer({
    cert: Deno.readTextFileSync(`${dir}/broker.crt`),
    key: Deno.readTextFileSync(`${dir}/broker.key`),
    ca: Deno.readTextFileSync(`${dir}/ca.crt`),
    requestCert: true,
    rejectUnauthorized: true,
  }, (_request, response) => {
    response.writeHead(200, { "content-type": TEXT });
    response.end("# HELP up Up.\n# TYPE up gauge\nup 1\n");
  });
  await new Promise<void>((resolve) => mtls.listen(0, "127.0.0.1", resolve));
  try {
    const url = `https://127.0.0.1:${(mtls.address() as AddressInfo).port}/metrics`;
    const ca = ["--ca-file", `${dir}/ca.crt`];
    const anonymous = await runCheck([url, ...ca]);
    assert.equal(anonymous.code, 1, anonymous.stdout);
    const client = ["--cert-file", `${dir}/client.crt`, "--key-file", `${dir}/client.key`];
    const run = await runCheck([url, ...ca, ...client]);
    assert.equal(run.code, 0, run.stdout);
  } finally {
    mtls.closeAllConnections();
    await new Promise((resolve) => mtls.close(resolve));
  }
});

/**
 * Runs `check URL --scrapes N --interval 50ms ...args` against a server whose counter and start
 * time are the N `values`, one per scrape.
 */
function checkScrapes(
  values: { requests: number; start: number }[],
  args: string[] = [],
): Promise<Run> {
  let scrape = 0;
  const server = serveHttp(() => {
    const { requests, start } = values[Math.min(scrape++, values.length - 1)];
    return new Response(
      "# HELP requests_total Requests.\n# TYPE requests_total counter\n" +
        `requests_total ${requests}\n` +
        "# HELP process_start_time_seconds Start time.\n# TYPE process_start_time_seconds gauge\n" +
        `process_start_time_seconds ${start}\n`,
      { headers: { "content-type": TEXT } },
    );
  });
  const scrapes = ["--scrapes", String(values.length), "--interval", "50ms"];
  return withServer(server, () => runCheck([`${server.origin}/metrics`, ...scrapes, ...args]));
}

Deno.test("check --scrapes fails a counter that goes down, naming the scrape", async () => {
  const run = await checkScrapes([
    { requests: 5, start: 100 },
    { requests: 7, start: 100 },
    { requests: 6, start: 100 },
  ], ["--format", "json"]);
  assert.equal(run.code, 1, run.stdout);
  const [finding] = jsonFindings(run);
  assert.deepEqual([finding.rule, finding.scrape, finding.line], ["counter-decreased", 3, 3]);
  assert.match(finding.message, /requests_total went down from 7 \(scrape 2\) to 6/);
  assert.equal(JSON.parse(run.stdout).scrapes.length, 3);
});

Deno.test("check --scrapes reports a restart as a notice, not a failure", async () => {
  const run = await checkScrapes([{ requests: 5, start: 100 }, { requests: 1, start: 200 }]);
  assert.equal(run.code, 0, run.stdout);
  assert.match(
    run.stdout,
    /notice: the target restarted between scrape 1 and 2 .* \[target-restarted, scrape 2\]/,
  );
});

Deno.test("check runs from any directory with a relative file", async () => {
  const run = await runCheck(["valid/text_all_types.prom"], { cwd: `${ROOT}tests/fixtures/check` });
  assert.equal(run.code, 0, run.stdout + run.stderr);
});
