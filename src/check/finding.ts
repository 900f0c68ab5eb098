/**
 * What `check` reports: one finding per problem, with the rule that found it and, when it comes
 * from the exposition text, the line and column.
 *
 * @module
 */

import { EXIT_CODES, type ExitCode } from "../exit_codes.ts";
import type { RuleId } from "./rules.ts";

/**
 * How bad a finding is. Errors make the exposition invalid (exit 1), warnings are lint
 * findings (exit 3 when there is no error), notices are information that never changes the
 * exit code (a restart between scrapes, a lint finding on a name the catalog fixes).
 */
export type Severity = "error" | "warning" | "notice";

/** One problem found by `check`. */
export interface Finding {
  /** How bad it is. */
  severity: Severity;
  /** Which rule found it (see `rules.ts`). */
  rule: RuleId;
  /** What is wrong, with the offending value, and what is expected. */
  message: string;
  /** Metric family (or expected metric) the finding is about. */
  metric?: string;
  /** 1-based line in the exposition. */
  line?: number;
  /** 1-based column (in characters) within the line. */
  column?: number;
  /** 1-based scrape number, set when several scrapes were taken. */
  scrape?: number;
}

/** The exit code for a set of findings: failure with any error, lint findings with any warning. */
export function exitCodeFor(findings: readonly Finding[]): ExitCode {
  return exitCodeForCounts(countFindings(findings));
}

/** {@link exitCodeFor} from the counts alone (findings may have been counted, not kept). */
export function exitCodeForCounts(counts: FindingCounts): ExitCode {
  if (counts.errors > 0) return EXIT_CODES.failure;
  if (counts.warnings > 0) return EXIT_CODES.lintFindings;
  return EXIT_CODES.ok;
}

/** Counts of findings by severity. */
export interface FindingCounts {
  errors: number;
  warnings: number;
  notices: number;
}

/** Counts `findings` by severity. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts = { errors: 0, warnings: 0, notices: 0 };
  for (const f of findings) countFinding(counts, f);
  return counts;
}

/** Adds `finding` to `counts`, by its severity. */
export function countFinding(counts: FindingCounts, finding: Finding): void {
  if (finding.severity === "error") counts.errors++;
  else if (finding.severity === "warning") counts.warnings++;
  else counts.notices++;
}

/**
 * Where a rule hands each finding as it finds it, so a caller can count findings without
 * holding them all (see finding_sink.ts).
 */
export type AddFinding = (finding: Finding) => void;

/** Runs a rule that hands its findings to an {@linkcode AddFinding}, and returns them all. */
export function collectFindings(run: (add: AddFinding) => void): Finding[] {
  const findings: Finding[] = [];
  run((finding) => findings.push(finding));
  return findings;
}

/**
 * Appends each of `more` to `findings` in a loop: a spread (`push(...more)`) passes every finding
 * as an argument and overflows the stack at a few hundred thousand of them.
 */
export function appendFindings(findings: Finding[], more: readonly Finding[]): void {
  for (let i = 0; i < more.length; i++) findings.push(more[i]);
}

/** Orders findings by scrape, then line, then column; findings without a line come last. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const big = Number.MAX_SAFE_INTEGER;
  return findings.slice().sort((a, b) =>
    (a.scrape ?? 0) - (b.scrape ?? 0) ||
    (a.line ?? big) - (b.line ?? big) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.metric ?? "", b.metric ?? "")
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
