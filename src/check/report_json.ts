/**
 * JSON report for CI systems and scripts: the whole {@link CheckReport} plus `valid` and the
 * verdict line that explains the exit code.
 *
 * @module
 */

import { EXIT_CODES } from "../exit_codes.ts";
import { type CheckReport, verdictLine } from "./report.ts";

/** Renders `report` as pretty-printed JSON (stable key order, no timings). */
export function renderJson(report: CheckReport): string {
  const body = {
    target: report.target,
    valid: report.exitCode !== EXIT_CODES.failure,
    exitCode: report.exitCode,
    // Why the exit code is what it is (3: lint warnings only, each in findings).
    verdict: verdictLine(report),
    summary: report.counts,
    expectations: report.expectations,
    scrapes: report.scrapes,
    findings: report.findings.map((f) => ({
      severity: f.severity,
      rule: f.rule,
      message: f.message,
      ...(f.metric !== undefined ? { metric: f.metric } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.column !== undefined ? { column: f.column } : {}),
      ...(f.scrape !== undefined ? { scrape: f.scrape } : {}),
    })),
  };
  return JSON.stringify(body, null, 2) + "\n";
}
