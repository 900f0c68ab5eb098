/**
 * One exposition, start to end: decode, parse, structure rules, lint. Pure: the caller fetches
 * the bytes and decides what to do with the findings.
 *
 * @module
 */

import type { Exposition, ExpositionFormat } from "./exposition.ts";
import { appendFindings, type Finding } from "./finding.ts";
import { lintExposition } from "./lint.ts";
import { decodeExposition, parseExposition } from "./parse.ts";
import { checkStructure } from "./structure.ts";

/** Options for {@link checkExposition}. */
export interface CheckExpositionOptions {
  /** Grammar to apply. */
  format: ExpositionFormat;
  /** Run the lint rules (default true). */
  lint?: boolean;
}

/** The parsed exposition and everything found in it. */
export interface CheckedExposition {
  exposition: Exposition;
  findings: Finding[];
}

/** Parses and validates `input` (bytes are decoded as UTF-8, strictly). */
export function checkExposition(
  input: string | Uint8Array,
  options: CheckExpositionOptions,
): CheckedExposition {
  let text: string;
  const findings: Finding[] = [];
  if (typeof input === "string") {
    text = input;
  } else {
    const decoded = decodeExposition(input);
    text = decoded.text;
    appendFindings(findings, decoded.findings);
  }
  const parsed = parseExposition(text, { format: options.format });
  appendFindings(findings, parsed.findings);
  appendFindings(findings, checkStructure(parsed.exposition));
  if (options.lint !== false) appendFindings(findings, lintExposition(parsed.exposition));
  return { exposition: parsed.exposition, findings };
}
