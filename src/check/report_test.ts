import assert from "node:assert/strict";
import { countFindings, exitCodeFor, type Finding, sortFindings } from "./finding.ts";
import { type CheckReport, verdictLine } from "./report.ts";
import { HUMAN_FINDING_LIMIT, renderHuman } from "./report_human.ts";
import { renderJson, renderJsonChunks } from "./report_json.ts";
import { renderJunit } from "./report_junit.ts";

function report(findings: Finding[], extra: Partial<CheckReport> = {}): CheckReport {
  const sorted = sortFindings(findings);
  return {
    target: "http://h:9100/metrics",
    scrapes: [{
      scrape: 1,
      status: 200,
      contentType: "text/plain",
      format: "text",
      lines: 3,
      families: 1,
      samples: 1,
    }],
    expectations: [],
    families: ["up"],
    findings: sorted,
    counts: countFindings(sorted),
    exitCode: exitCodeFor(sorted),
    ...extra,
  };
}

Deno.test("exitCodeFor() is 1 with errors, 3 with warnings, 0 with notices only", () => {
  const f = (severity: Finding["severity"]): Finding => ({
    severity,
    rule: "syntax",
    message: "m",
  });
  assert.equal(exitCodeFor([f("notice"), f("warning"), f("error")]), 1);
  assert.equal(exitCodeFor([f("notice"), f("warning")]), 3);
  assert.equal(exitCodeFor([f("notice")]), 0);
  assert.equal(exitCodeFor([]), 0);
});

Deno.test("renderHuman() writes where:line:col, the verdict, and caps long lists", () => {
  const text = renderHuman(report([
    { severity: "warning", rule: "lint-help", message: "up: no help text", metric: "up", line: 2 },
    { severity: "error", rule: "syntax", message: "bad", line: 1, column: 4 },
    { severity: "notice", rule: "target-restarted", message: "restarted", scrape: 2 },
  ]));
  assert.equal(
    text,
    "read http://h:9100/metrics as text 0.0.4 (HTTP 200, Content-Type text/plain): 3 lines, 1 family, 1 sample\n" +
      "http://h:9100/metrics:1:4: error: bad [syntax]\n" +
      "http://h:9100/metrics:2: warning: up: no help text [lint-help]\n" +
      "http://h:9100/metrics: notice: restarted [target-restarted, scrape 2]\n" +
      "INVALID: 1 error, 1 warning, 1 notice (exit 1)\n",
  );
  const many = Array.from({ length: HUMAN_FINDING_LIMIT + 5 }, (_, i): Finding => ({
    severity: "warning",
    rule: "lint-help",
    message: `m${i}`,
    line: i + 1,
  }));
  assert.match(
    renderHuman(report(many)),
    /\.\.\. and 5 more findings \(--format json lists all\)\nVALID with lint findings/,
  );
});

Deno.test("renderJson() and renderJunit() escape and classify findings", () => {
  const findings: Finding[] = [
    { severity: "error", rule: "syntax", message: 'bad <"&"> \u0001', line: 1, column: 2 },
    { severity: "warning", rule: "lint-help", message: "up: no help text", metric: "up", line: 2 },
  ];
  const json = JSON.parse(renderJson(report(findings)));
  assert.deepEqual([json.valid, json.exitCode, json.summary], [false, 1, {
    errors: 1,
    warnings: 1,
    notices: 0,
  }]);
  assert.deepEqual(json.findings[0], {
    severity: "error",
    rule: "syntax",
    message: 'bad <"&"> \u0001',
    line: 1,
    column: 2,
  });
  const xml = renderJunit(report(findings));
  assert.match(
    xml,
    /<testsuites name="dashflow-exporter check" tests="2" failures="1" errors="0">/,
  );
  assert.match(xml, /<failure type="syntax" message="bad &lt;&quot;&amp;&quot;&gt; \ufffd">/);
  assert.match(
    xml,
    /<testcase classname="check.metric" name="up">\n {6}<system-out>line 2: warning: up: no help text \[lint-help\]<\/system-out>/,
  );
});

Deno.test("renderJsonChunks() writes the bytes of JSON.stringify(body, null, 2), in chunks", () => {
  const findings = Array.from({ length: 3000 }, (_, i) => ({
    severity: "warning" as const,
    rule: "lint-help" as const,
    message: `m${i}: no help text "quoted"\n`,
    metric: `m${i}`,
    line: i + 1,
  }));
  for (const list of [findings, []]) {
    const report = {
      target: "t",
      scrapes: [{ scrape: 1 }],
      expectations: [],
      families: [],
      findings: list,
      counts: { errors: 0, warnings: list.length, notices: 0 },
      exitCode: list.length > 0 ? 3 : 0,
    } as const;
    const chunks = [...renderJsonChunks(report as never)];
    const expected = JSON.stringify(
      {
        target: "t",
        valid: true,
        exitCode: report.exitCode,
        verdict: verdictLine(report as never),
        summary: report.counts,
        expectations: [],
        scrapes: report.scrapes,
        findings: list,
      },
      null,
      2,
    ) + "\n";
    assert.equal(chunks.join(""), expected);
    if (list.length > 0) assert.ok(chunks.length > 1, "one chunk only");
  }
});

Deno.test("every report says how many findings of each rule were counted but not listed", () => {
  const kept: Finding[] = [
    { severity: "warning", rule: "lint-help", message: "a: no help text", metric: "a", line: 1 },
  ];
  const r = report(kept, {
    counts: { errors: 0, warnings: 800, notices: 0 },
    leftOut: [{ rule: "lint-colon", count: 700 }, { rule: "lint-help", count: 99 }],
    maxFindingsPerRule: 1,
  });
  const line = "... and 700 more lint-colon findings, counted, not listed (at most 1 per rule: " +
    "--max-findings-per-rule)";
  const human = renderHuman(r);
  assert.ok(human.includes(`${line}\n`), human);
  assert.match(human, /and 99 more lint-help findings, counted, not listed/);
  assert.match(human, /VALID with lint findings: 0 errors, 800 warnings \(exit 3\)\n$/);
  const json = JSON.parse(renderJson(r));
  assert.deepEqual(json.findingsLeftOut, { "lint-colon": 700, "lint-help": 99 });
  assert.equal(json.maxFindingsPerRule, 1);
  assert.equal(json.summary.warnings, 800);
  assert.equal(json.findings.length, 1);
  assert.ok(renderJunit(r).includes(line), renderJunit(r));
  // Nothing left out: no such line, no such key.
  const whole = report(kept);
  assert.doesNotMatch(renderHuman(whole), /not listed/);
  assert.equal(JSON.parse(renderJson(whole)).findingsLeftOut, undefined);
});
