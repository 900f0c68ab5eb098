/**
 * JSON report for CI systems and scripts: the whole {@link CheckReport} plus `valid` and the
 * verdict line that explains the exit code.
 *
 * @module
 */

import { EXIT_CODES } from "../exit_codes.ts";
import type { Finding } from "./finding.ts";
import { type CheckReport, verdictLine } from "./report.ts";

/** Renders `report` as pretty-printed JSON (stable key order, no timings). */
export function renderJson(report: CheckReport): string {
  return [...renderJsonChunks(report)].join("");
}

/** Text written per chunk: large enough that writes are few, small enough to hold. */
const CHUNK_CHARS = 64 * 1024;

/**
 * {@linkcode renderJson}'s text in chunks of about 64 KiB, the findings serialized one at a
 * time: the same bytes as `JSON.stringify(body, null, 2)`, without holding a copy of every
 * finding and the whole text at once (hundreds of thousands of findings are hundreds of MB).
 */
export function* renderJsonChunks(report: CheckReport): Generator<string> {
  const head = JSON.stringify(
    {
      target: report.target,
      valid: report.exitCode !== EXIT_CODES.failure,
      exitCode: report.exitCode,
      // Why the exit code is what it is (3: lint warnings only, each in findings).
      verdict: verdictLine(report),
      summary: report.counts,
      expectations: report.expectations,
      scrapes: report.scrapes,
      // Only when a rule had more findings than were kept: counted (in summary), not listed.
      ...(report.leftOut !== undefined && report.leftOut.length > 0
        ? {
          maxFindingsPerRule: report.maxFindingsPerRule,
          findingsLeftOut: Object.fromEntries(report.leftOut.map((l) => [l.rule, l.count])),
        }
        : {}),
      findings: [],
    },
    null,
    2,
  );
  if (report.findings.length === 0) {
    yield head + "\n";
    return;
  }
  // The head ends with `"findings": []` and the closing brace: the findings go between.
  let chunk = head.slice(0, head.lastIndexOf("[]")) + "[";
  for (let i = 0; i < report.findings.length; i++) {
    const text = JSON.stringify(findingJson(report.findings[i]), null, 2);
    chunk += `${i > 0 ? "," : ""}\n    ${text.replaceAll("\n", "\n    ")}`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  yield chunk + "\n  ]\n}\n";
}

function findingJson(f: Finding) {
  return {
    severity: f.severity,
    rule: f.rule,
    message: f.message,
    ...(f.metric !== undefined ? { metric: f.metric } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
    ...(f.column !== undefined ? { column: f.column } : {}),
    ...(f.scrape !== undefined ? { scrape: f.scrape } : {}),
  };
}
