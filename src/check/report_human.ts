/**
 * Human-readable report: one line per finding in the `where:line:col: severity: message [rule]`
 * shape editors and CI log viewers link, then a verdict line.
 *
 * @module
 */

import { formatLabel } from "./content_type.ts";
import type { Finding } from "./finding.ts";
import { type CheckReport, leftOutLines, verdictLine } from "./report.ts";

/** Findings printed before the rest is summed up (JSON and JUnit list every one kept). */
export const HUMAN_FINDING_LIMIT = 200;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function findingLine(target: string, finding: Finding): string {
  let where = target;
  if (finding.line !== undefined) {
    where += `:${finding.line}`;
    if (finding.column !== undefined) where += `:${finding.column}`;
  }
  const tags = finding.scrape === undefined
    ? finding.rule
    : `${finding.rule}, scrape ${finding.scrape}`;
  return `${where}: ${finding.severity}: ${finding.message} [${tags}]`;
}

/** Renders `report` for a terminal or a CI log. */
export function renderHuman(report: CheckReport): string {
  const out: string[] = [];
  for (const s of report.scrapes) {
    if (s.format === undefined) continue;
    const prefix = report.scrapes.length > 1 ? `scrape ${s.scrape}/${report.scrapes.length}: ` : "";
    const http = s.status !== undefined
      ? ` (HTTP ${s.status}, Content-Type ${s.contentType ?? "none"})`
      : "";
    out.push(
      `${prefix}read ${report.target} as ${formatLabel(s.format)}${http}: ` +
        `${plural(s.lines ?? 0, "line")}, ${plural(s.families ?? 0, "family", "families")}, ` +
        `${plural(s.samples ?? 0, "sample")}`,
    );
  }
  if (report.expectations.length > 0) out.push(`expectations: ${report.expectations.join(", ")}`);
  for (const finding of report.findings.slice(0, HUMAN_FINDING_LIMIT)) {
    out.push(findingLine(report.target, finding));
  }
  const hidden = report.findings.length - HUMAN_FINDING_LIMIT;
  const leftOut = leftOutLines(report);
  if (hidden > 0) {
    const where = leftOut.length > 0 ? "lists them" : "lists all";
    out.push(`... and ${hidden} more findings (--format json ${where})`);
  }
  for (const line of leftOut) out.push(line);
  out.push(verdictLine(report));
  return out.join("\n") + "\n";
}
