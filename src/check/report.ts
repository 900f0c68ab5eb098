/**
 * The result of one `check` run, as the reporters (human, JSON, JUnit) render it.
 *
 * @module
 */

import { EXIT_CODES } from "../exit_codes.ts";
import type { BodyFormat } from "./content_type.ts";
import type { Finding, FindingCounts } from "./finding.ts";
import type { LeftOut } from "./finding_sink.ts";

/** What one scrape (or file read) gave. */
export interface ScrapeSummary {
  /** 1-based. */
  scrape: number;
  /** HTTP status, for URLs. */
  status?: number;
  /** Content-Type header, for URLs. */
  contentType?: string;
  /** Grammar the body was read with (absent when nothing was read). */
  format?: BodyFormat;
  lines?: number;
  families?: number;
  samples?: number;
}

/** The whole run. */
export interface CheckReport {
  /** URL, file path or `<stdin>`. */
  target: string;
  scrapes: ScrapeSummary[];
  /** Sources of `--expect`, e.g. `dashflow`. */
  expectations: string[];
  /** Family names (text-format names) of the last exposition read. */
  families: string[];
  /** Sorted findings: at most `maxFindingsPerRule` of each rule. */
  findings: Finding[];
  /** Every finding, kept or not, by severity. */
  counts: FindingCounts;
  /** Rules with more findings than `maxFindingsPerRule`: how many were counted, not listed. */
  leftOut?: LeftOut[];
  /** `--max-findings-per-rule`. */
  maxFindingsPerRule?: number;
  /** See `exitCodeFor` (finding.ts): ok, lint findings, or failure (invalid). */
  exitCode: number;
}

/** Renders a report for one output format. */
export type Reporter = (report: CheckReport) => string;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * The one-line verdict every format carries, so the exit code is explained wherever the report
 * is read: `VALID with lint findings: 0 errors, 2 warnings (exit 3)`.
 */
export function verdictLine(report: CheckReport): string {
  const { errors, warnings, notices } = report.counts;
  const tally = `${plural(errors, "error")}, ${plural(warnings, "warning")}` +
    (notices > 0 ? `, ${plural(notices, "notice")}` : "");
  const verdict = report.exitCode === EXIT_CODES.failure
    ? "INVALID"
    : report.exitCode === EXIT_CODES.lintFindings
    ? "VALID with lint findings"
    : "OK";
  return `${verdict}: ${tally} (exit ${report.exitCode})`;
}

/**
 * One line per rule whose findings were counted but not all listed (at most
 * `maxFindingsPerRule` each): `... and 159900 more lint-help findings, counted, not listed
 * (at most 100 per rule: --max-findings-per-rule)`. Empty when nothing was left out.
 */
export function leftOutLines(report: CheckReport): string[] {
  return (report.leftOut ?? []).map(({ rule, count }) =>
    `... and ${count} more ${rule} ${count === 1 ? "finding" : "findings"}, counted, not ` +
    `listed (at most ${report.maxFindingsPerRule} per rule: --max-findings-per-rule)`
  );
}
