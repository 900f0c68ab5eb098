/**
 * Where `check`'s findings go: every finding is counted (the counts and the exit code stay
 * exact), at most `maxPerRule` of each rule are kept for the report, and the rest are only
 * counted, per rule, so the report can say how many it left out. What `check` holds is then
 * bounded by what it keeps, not by how many findings a hostile exposition yields (a 9 MB file
 * yields 800k lint findings: hundreds of MB as objects).
 *
 * @module
 */

import type { ExitCode } from "../exit_codes.ts";
import { countFinding, exitCodeForCounts, type Finding, type FindingCounts } from "./finding.ts";
import type { RuleId } from "./rules.ts";

/** Default `--max-findings-per-rule`: enough to show every pattern, few enough to hold. */
export const DEFAULT_MAX_FINDINGS_PER_RULE = 100;

/** Findings of one rule that were counted but not kept. */
export interface LeftOut {
  rule: RuleId;
  count: number;
}

/** Options for {@link FindingSink}. */
export interface FindingSinkOptions {
  /** Findings kept per rule (default {@link DEFAULT_MAX_FINDINGS_PER_RULE}). */
  maxPerRule?: number;
}

/** Counts every finding added, keeps the first `maxPerRule` of each rule. */
export class FindingSink {
  /** The findings kept, in the order they were added. */
  readonly kept: Finding[] = [];
  /** Every finding added, by severity. */
  readonly counts: FindingCounts = { errors: 0, warnings: 0, notices: 0 };
  /** Findings kept per rule. */
  readonly maxPerRule: number;
  private readonly perRule = new Map<RuleId, number>();

  constructor(options: FindingSinkOptions = {}) {
    this.maxPerRule = options.maxPerRule ?? DEFAULT_MAX_FINDINGS_PER_RULE;
  }

  /** Counts `finding`; keeps it when its rule has fewer than `maxPerRule` kept. */
  readonly add = (finding: Finding): void => {
    countFinding(this.counts, finding);
    const seen = this.perRule.get(finding.rule) ?? 0;
    this.perRule.set(finding.rule, seen + 1);
    if (seen < this.maxPerRule) this.kept.push(finding);
  };

  /** Rules with findings that were counted but not kept, by rule name. */
  leftOut(): LeftOut[] {
    const out: LeftOut[] = [];
    for (const [rule, count] of this.perRule) {
      if (count > this.maxPerRule) out.push({ rule, count: count - this.maxPerRule });
    }
    return out.sort((a, b) => a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
  }

  /** The exit code for every finding added (see `exitCodeForCounts` in finding.ts). */
  exitCode(): ExitCode {
    return exitCodeForCounts(this.counts);
  }
}
