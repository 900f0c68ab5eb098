/**
 * JUnit XML report, the format most CI systems display: one test case for the exposition as a
 * whole (syntax, target, findings not tied to a metric) and one per metric family or expected
 * metric. A failure is what makes `check` exit non-zero: errors, or, when there are none and
 * lint warnings are what exits 3, the warnings (a CI step failing with `failures="0"` would
 * explain nothing). The other findings go to the case's system-out, since JUnit has no "passed
 * with warnings". The suite carries the verdict line and the exit code as properties.
 *
 * @module
 */

import type { Finding } from "./finding.ts";
import { EXIT_CODES } from "../exit_codes.ts";
import { type CheckReport, leftOutLines, verdictLine } from "./report.ts";

const EXPOSITION_CASE = "(exposition)";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 cannot carry most control characters, even escaped.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\ufffd");
}

function describe(f: Finding): string {
  const at = f.line === undefined ? "" : `line ${f.line}${f.column ? `:${f.column}` : ""}: `;
  const scrape = f.scrape === undefined ? "" : `scrape ${f.scrape}: `;
  return `${scrape}${at}${f.severity}: ${f.message} [${f.rule}]`;
}

/** Renders `report` as JUnit XML. */
export function renderJunit(report: CheckReport): string {
  const cases = new Map<string, Finding[]>([[EXPOSITION_CASE, []]]);
  for (const name of [...report.families].sort()) cases.set(name, []);
  for (const f of report.findings) {
    const name = f.metric ?? EXPOSITION_CASE;
    if (!cases.has(name)) cases.set(name, []);
    cases.get(name)!.push(f);
  }
  const names = [EXPOSITION_CASE, ...[...cases.keys()].filter((n) => n !== EXPOSITION_CASE).sort()];
  let failures = 0;
  const body: string[] = [];
  // The severity that decided the exit code is the one reported as failures.
  const failing = report.exitCode === EXIT_CODES.lintFindings ? "warning" : "error";
  for (const name of names) {
    const findings = cases.get(name)!;
    const errors = findings.filter((f) => f.severity === failing);
    const others = findings.filter((f) => f.severity !== failing);
    const classname = name === EXPOSITION_CASE ? "check.exposition" : "check.metric";
    const open = `    <testcase classname="${classname}" name="${escapeXml(name)}"`;
    if (findings.length === 0) {
      body.push(`${open}/>`);
      continue;
    }
    body.push(`${open}>`);
    if (errors.length > 0) {
      failures++;
      body.push(
        `      <failure type="${errors[0].rule}" message="${escapeXml(errors[0].message)}">` +
          escapeXml(errors.map(describe).join("\n")) + "</failure>",
      );
    }
    if (others.length > 0) {
      body.push(`      <system-out>${escapeXml(others.map(describe).join("\n"))}</system-out>`);
    }
    body.push("    </testcase>");
  }
  const counts = `tests="${names.length}" failures="${failures}" errors="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="dashflow-exporter check" ${counts}>`,
    `  <testsuite name="${escapeXml(report.target)}" ${counts} skipped="0">`,
    "    <properties>",
    `      <property name="exitCode" value="${report.exitCode}"/>`,
    `      <property name="verdict" value="${escapeXml(verdictLine(report))}"/>`,
    "    </properties>",
    ...body,
    `    <system-out>${escapeXml([...leftOutLines(report), verdictLine(report)].join("\n"))}` +
    "</system-out>",
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
