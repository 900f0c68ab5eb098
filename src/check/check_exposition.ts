/**
 * One exposition, start to end: decode, parse, structure rules, lint. Pure: the caller fetches
 * the bytes and decides what to do with the findings.
 *
 * @module
 */

import type { Exposition, ExpositionFormat } from "./exposition.ts";
import type { AddFinding, Finding } from "./finding.ts";
import { lintInto } from "./lint.ts";
import { decodeExposition, parseExposition } from "./parse.ts";
import { checkStructureInto } from "./structure.ts";

/** Options for {@link checkExposition}. */
export interface CheckExpositionOptions {
  /** Grammar to apply. */
  format: ExpositionFormat;
  /** Run the lint rules (default true). */
  lint?: boolean;
  /**
   * Where each finding goes as it is found (then `findings` of the result stays empty): a
   * hostile exposition yields findings by the hundred thousand, and the caller decides which
   * to hold (finding_sink.ts).
   */
  add?: AddFinding;
  /**
   * Called after each phase (decode, parse, structure): lets the caller collect the phase's
   * garbage before the next one adds its own (Bun's collector lets it pile up in the resident
   * set: a 9 MB exposition of 160k families peaked 100 MB higher without).
   */
  settle?: () => void;
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
  const findings: Finding[] = [];
  const add = options.add ?? ((finding: Finding) => findings.push(finding));
  const settle = options.settle ?? (() => {});
  const text = typeof input === "string" ? input : decodeExposition(input, { add }).text;
  settle();
  const { exposition } = parseExposition(text, { format: options.format, add });
  settle();
  checkStructureInto(exposition, add);
  settle();
  if (options.lint !== false) lintInto(exposition, add);
  return { exposition, findings };
}
