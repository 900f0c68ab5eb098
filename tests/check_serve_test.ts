/**
 * `check` against our own `serve` (real Kafka broker, unique topic): the acceptance of issue #5.
 * `check --expect dashflow URL` passes in both formats and across scrapes while events flow; it
 * fails, naming the metric, when a metric is missing; bucket overrides need --expect-buckets.
 * Also the third corpus source: serve's text output agrees with promtool, and where promtool
 * misreads serve's OpenMetrics output the test pins down how.
 */
import assert from "node:assert/strict";
import { qualityMessage } from "./support/sample/mod.ts";
import { encodeRecord } from "../src/wire/mod.ts";
import { ACCEPT_HEADERS } from "../src/check/content_type.ts";
import { jsonFindings, promtoolCheck, runCheck, serveHttp } from "./support/check.ts";
import { type ExporterProcess, withTopicServe } from "./support/exporter.ts";
import { produce } from "./support/kafka.ts";

const events = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => ({
    value: encodeRecord(qualityMessage({
      qualityScore: ((i + offset) % 10) / 10,
      passed: i % 3 !== 0,
      latencyMs: 50 + i,
      model: ["gpt-4o", "claude-3-5-sonnet", "llama3"][i % 3],
      category: "complex",
      applicationType: "librarian",
      turnNumber: 1 + (i % 4),
    })),
  }));

async function applied(exporter: ExporterProcess, total: number): Promise<void> {
  await exporter.scrapeUntil("dashstream_quality_monitor_queries_total", total);
}

Deno.test("check --expect dashflow passes against serve, in both formats and across scrapes", async () => {
  await withTopicServe("check-serve", async ({ topic, exporter }) => {
    await produce(topic, events(30));
    await applied(exporter, 30);
    const url = `${exporter.url}/metrics`;
    for (const accept of ["prometheus", "openmetrics"]) {
      const run = await runCheck(["--expect", "dashflow", "--accept", accept, url]);
      assert.equal(run.code, 0, `--accept ${accept}:\n${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /^OK: 0 errors, 0 warnings, \d+ notices? \(exit 0\)$/m);
    }
    const scrapes = runCheck([
      url,
      "--expect",
      "dashflow",
      "--scrapes",
      "3",
      "--interval",
      "300ms",
      "--format",
      "json",
    ]);
    await produce(topic, events(10, 30));
    const run = await scrapes;
    assert.equal(run.code, 0, run.stdout);
    assert.equal(JSON.parse(run.stdout).scrapes.length, 3);
  });
});

Deno.test("check --expect dashflow fails, naming the metric, when serve's output lacks one", async () => {
  await withTopicServe("check-serve-missing", async ({ exporter }) => {
    // A proxy that drops one family, as an exporter missing a metric would.
    const proxy = serveHttp(async () => {
      const upstream = await fetch(`${exporter.url}/metrics`);
      const body = (await upstream.text()).split("\n")
        .filter((line) => !line.includes("dashstream_librarian_iterations")).join("\n");
      return new Response(body, {
        headers: { "content-type": upstream.headers.get("content-type")! },
      });
    });
    try {
      const run = await runCheck(["--expect", "dashflow", `${proxy.origin}/metrics`]);
      assert.equal(run.code, 1, run.stdout);
      assert.match(
        run.stdout,
        /error: dashstream_librarian_iterations \(gauge\) is not exposed \[expected by dashflow\] \[expect-missing\]/,
      );
    } finally {
      await proxy.close();
    }
  });
});

Deno.test("check --expect dashflow wants default buckets unless --expect-buckets env or any", async () => {
  const env = { PROMETHEUS_RETRY_BUCKETS: "0,1,2" };
  await withTopicServe("check-serve-buckets", async ({ exporter }) => {
    const url = `${exporter.url}/metrics`;
    const strict = await runCheck(["--expect", "dashflow", url, "--format", "json"]);
    assert.equal(strict.code, 1, strict.stdout);
    assert.deepEqual(
      jsonFindings(strict).filter((f) => f.severity === "error").map((f) => [f.rule, f.metric]),
      [["expect-buckets", "dashstream_quality_retry_count"]],
    );
    const fromEnv = await runCheck(["--expect", "dashflow", "--expect-buckets", "env", url], {
      env,
    });
    assert.equal(fromEnv.code, 0, fromEnv.stdout);
    const any = await runCheck(["--expect", "dashflow", "--expect-buckets", "any", url]);
    assert.equal(any.code, 0, any.stdout);
  }, { env });
});

Deno.test("serve's exposition: check and promtool agree on text, promtool misreads OpenMetrics", async () => {
  await withTopicServe("check-serve-promtool", async ({ topic, exporter }) => {
    await produce(topic, events(12));
    await applied(exporter, 12);
    const get = async (accept: "prometheus" | "openmetrics") =>
      new Uint8Array(
        await (await fetch(`${exporter.url}/metrics`, {
          headers: { accept: ACCEPT_HEADERS[accept] },
        })).arrayBuffer(),
      );
    const lint = (found: { severity: string; message: string }[]) =>
      found.filter((f) => f.severity === "warning").map((f) => f.message.replace(": ", " "))
        .sort();
    const promtoolLint = (stderr: string) => stderr.split("\n").filter((l) => l !== "").sort();

    const text = await get("prometheus");
    const checkText = await runCheck(["-", "--format", "json"], { stdin: text });
    const promtoolText = await promtoolCheck(text);
    // Both: valid, one lint finding (the _ms the catalog fixes: exit 3 unless --expect dashflow).
    assert.equal(checkText.code, 3, checkText.stdout);
    assert.equal(promtoolText.code, 3);
    assert.deepEqual(lint(jsonFindings(checkText)), promtoolLint(promtoolText.stderr));

    const om = await get("openmetrics");
    const checkOm = await runCheck(["-", "--format", "json"], { stdin: om });
    const promtoolOm = await promtoolCheck(om);
    assert.equal(checkOm.code, 3, checkOm.stdout);
    assert.equal(promtoolOm.code, 3);
    // promtool parses OpenMetrics as the text format: "# HELP x" describes family x, but a
    // counter's samples are x_total, which it files under an untyped family without help.
    const extra = promtoolLint(promtoolOm.stderr).filter((l) =>
      !lint(jsonFindings(checkOm)).includes(l)
    );
    assert.ok(extra.length > 0);
    for (const line of extra) assert.match(line, /^dashstream_\w+_total no help text$/);
  });
});
