/**
 * The result of one `check` run, as the reporters (human, JSON, JUnit) render it.
 *
 * @module
 */

import type { BodyFormat } from "./content_type.ts";
import type { Finding, FindingCounts } from "./finding.ts";

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
  /** Sorted findings. */
  findings: Finding[];
  counts: FindingCounts;
  /** See `exitCodeFor` (finding.ts): ok, lint findings, or failure (invalid). */
  exitCode: number;
}

/** Renders a report for one output format. */
export type Reporter = (report: CheckReport) => string;
