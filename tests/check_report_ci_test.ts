/**
 * `check` in a CI step: a non-zero exit is explained in the report the CI shows (JUnit, JSON),
 * and the README's CI example passes against `serve` (real broker, unique topic). Runs against
 * the source, or the binary named by DASHFLOW_EXPORTER_BIN.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runCheck } from "./support/check.ts";
import { startServe } from "./support/exporter.ts";
import { produce, uniqueName, waitFor, withTopic } from "./support/kafka.ts";
import { ROOT } from "./support/paths.ts";
import { qualityMessage } from "./support/sample/mod.ts";
import { encodeRecord } from "../src/wire/mod.ts";

const LINT_ONLY = "# TYPE up gauge\nup 1\n# HELP temp_celsius_total Temperature.\n" +
  "# TYPE temp_celsius_total gauge\ntemp_celsius_total 20\n";

Deno.test("check --format junit exits 3 on lint warnings and lists each as a failure", async () => {
  const run = await runCheck(["-", "--format", "junit"], { stdin: LINT_ONLY });
  assert.equal(run.code, 3, run.stderr);
  const failures = Number(/<testsuites [^>]*failures="(\d+)"/.exec(run.stdout)?.[1]);
  assert.ok(failures >= 2, `failures="${failures}" explains no exit 3:\n${run.stdout}`);
  assert.match(
    run.stdout,
    /<testcase classname="check\.metric" name="up">\n {6}<failure type="lint-help"/,
  );
  assert.match(run.stdout, /<failure type="lint-non-counter-total"/);
  assert.match(run.stdout, /<property name="exitCode" value="3"\/>/);
  assert.match(
    run.stdout,
    /<property name="verdict" value="VALID with lint findings: 0 errors, \d+ warnings \(exit 3\)"\/>/,
  );
});

Deno.test("check --format json exits 3 on lint warnings, with the findings and the verdict", async () => {
  const run = await runCheck(["-", "--format", "json"], { stdin: LINT_ONLY });
  assert.equal(run.code, 3, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.exitCode, 3);
  assert.match(report.verdict, /^VALID with lint findings: 0 errors, \d+ warnings \(exit 3\)$/);
  const warnings = report.findings.filter((f: { severity: string }) => f.severity === "warning");
  assert.ok(warnings.length >= 2, run.stdout);
  assert.equal(report.summary.warnings, warnings.length);
});

/** The README's CI example: the shell words of the code block after `<!-- ci-example -->`. */
function readmeCiExample(): string[] {
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const block = /<!-- ci-example -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, "README.md has a CI example");
  const command = block.replace(/\\\n\s*/g, "").trim().split(">")[0].trim();
  const words = command.split(/\s+/);
  assert.equal(words.shift(), "dashflow-exporter");
  assert.equal(words[0], "check");
  return words.slice(1);
}

Deno.test('the README\'s CI example passes against serve (exit 0, failures="0")', async () => {
  await withTopic("check-ci", async (topic) => {
    await produce(
      topic,
      Array.from({ length: 5 }, (_, i) => ({
        value: encodeRecord(qualityMessage({ qualityScore: 0.5 + i / 10, model: "gpt-4o" })),
      })),
    );
    const exporter = await startServe({ KAFKA_TOPIC: topic, KAFKA_GROUP_ID: uniqueName("ci") });
    try {
      await waitFor(
        async () => (await exporter.scrape()).get("dashstream_quality_monitor_queries_total") === 5,
        { timeoutMs: 30_000, message: () => `serve did not apply 5 events:\n${exporter.stderr()}` },
      );
      const args = readmeCiExample().map((word) =>
        word.replace("http://127.0.0.1:9190/metrics", `${exporter.url}/metrics`)
      );
      const run = await runCheck(args);
      assert.equal(run.code, 0, `${args.join(" ")}:\n${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /<testsuites [^>]*failures="0"/);
      assert.match(run.stdout, /<property name="verdict" value="OK: 0 errors, 0 warnings/);
    } finally {
      await exporter.stop();
    }
  });
});
