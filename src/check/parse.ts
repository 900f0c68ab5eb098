/**
 * The validating parser: turns an exposition (text 0.0.4 or OpenMetrics 1.0) into families of
 * samples and reports, with line and column, every line it cannot read and every rule about
 * the order of lines: duplicate or late metadata, interleaved families, `# EOF`.
 *
 * It never stops at the first error: a bad line is reported and skipped, and the family it
 * belongs to is marked tainted so structure checks do not pile consequences on top.
 *
 * @module
 */

import {
  ALL_SUFFIXES,
  type Exposition,
  type ExpositionFormat,
  type Family,
  type FamilyType,
  FORMAT_TYPES,
  ownsSample,
} from "./exposition.ts";
import type { AddFinding, Finding } from "./finding.ts";
import { lexLine } from "./lex_line.ts";
import type { RuleId } from "./rules.ts";

/** Options for {@link parseExposition}. */
export interface ParseOptions {
  /** Which grammar to apply. */
  format: ExpositionFormat;
  /**
   * Where each finding goes as it is found; then `findings` of the result stays empty (a file
   * of millions of bad lines yields millions of findings, and the caller decides which to hold).
   */
  add?: AddFinding;
}

/** What {@link parseExposition} returns. */
export interface ParseResult {
  exposition: Exposition;
  /** Syntax and ordering findings, in line order. */
  findings: Finding[];
}

/**
 * Decodes UTF-8 strictly; on failure reports each line holding invalid bytes and decodes the
 * rest with replacement characters so parsing can go on. With `options.add`, each finding goes
 * there instead of into `findings`.
 */
export function decodeExposition(
  bytes: Uint8Array,
  options: { add?: AddFinding } = {},
): { text: string; findings: Finding[] } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), findings: [] };
  } catch {
    const findings: Finding[] = [];
    const add = options.add ?? ((finding: Finding) => findings.push(finding));
    const strict = new TextDecoder("utf-8", { fatal: true });
    let start = 0;
    let line = 1;
    while (start <= bytes.length) {
      let end = bytes.indexOf(0x0a, start);
      if (end === -1) end = bytes.length;
      try {
        strict.decode(bytes.subarray(start, end));
      } catch {
        add({
          severity: "error",
          rule: "invalid-utf8",
          message: "line holds bytes that are not valid UTF-8",
          line,
          column: 1,
        });
      }
      start = end + 1;
      line++;
    }
    return { text: new TextDecoder("utf-8").decode(bytes), findings };
  }
}

const FORMAT_NAMES: Record<ExpositionFormat, string> = {
  text: "the text format",
  openmetrics: "OpenMetrics",
};

class Assembler {
  readonly families: Family[] = [];
  readonly findings: Finding[] = [];
  private readonly byName = new Map<string, Family>();
  private readonly lastLine = new Map<Family, number>();
  private readonly closed = new Set<Family>();
  private readonly reportedInterleave = new Set<Family>();
  private current?: Family;

  readonly add: AddFinding;

  constructor(private readonly format: ExpositionFormat, add?: AddFinding) {
    this.add = add ?? ((finding) => this.findings.push(finding));
  }

  error(rule: RuleId, message: string, line: number, column?: number, metric?: string): void {
    const finding: Finding = { severity: "error", rule, message, line };
    if (column !== undefined) finding.column = column;
    if (metric !== undefined) finding.metric = metric;
    this.add(finding);
  }

  private create(name: string, line: number): Family {
    const family: Family = {
      name,
      type: this.format === "text" ? "untyped" : "unknown",
      typed: false,
      line,
      samples: [],
      tainted: false,
    };
    this.families.push(family);
    this.byName.set(name, family);
    return family;
  }

  /** The family a sample named `name` belongs to, if one exists. */
  resolve(name: string): Family | undefined {
    const current = this.current;
    if (current !== undefined && ownsSample(current, name, this.format)) return current;
    for (const suffix of ALL_SUFFIXES) {
      if (!name.endsWith(suffix) || name.length === suffix.length) continue;
      const family = this.byName.get(name.slice(0, -suffix.length));
      if (family !== undefined && ownsSample(family, name, this.format)) return family;
    }
    return this.byName.get(name);
  }

  /** Makes `family` the current one, reporting once when it resumes after another family. */
  private enter(family: Family, line: number, quiet = false): void {
    if (this.current !== family) {
      if (this.current !== undefined) this.closed.add(this.current);
      if (this.closed.has(family) && !quiet && !this.reportedInterleave.has(family)) {
        this.reportedInterleave.add(family);
        this.error(
          "interleaved-family",
          `lines of ${family.name} resume here after other families (its previous line is ` +
            `${this.lastLine.get(family)}): all lines of a family must form one group`,
          line,
          1,
          family.name,
        );
      }
      this.current = family;
    }
    this.lastLine.set(family, line);
  }

  metadata(
    kind: "HELP" | "TYPE" | "UNIT",
    name: string,
    value: string,
    line: number,
    valueColumn: number,
  ): void {
    const family = this.byName.get(name) ?? this.create(name, line);
    const earlier = kind === "HELP"
      ? family.helpLine
      : kind === "TYPE"
      ? family.typeLine
      : family.unitLine;
    if (earlier !== undefined) {
      const rule = kind === "HELP"
        ? "duplicate-help"
        : kind === "TYPE"
        ? "duplicate-type"
        : "duplicate-unit";
      this.error(
        rule,
        `second # ${kind} for ${name} (the first is on line ${earlier})`,
        line,
        1,
        name,
      );
      this.enter(family, line, true);
      return;
    }
    const late = family.samples.length > 0;
    if (late) {
      this.error(
        "metadata-after-samples",
        `# ${kind} for ${name} comes after its samples (the first is on line ` +
          `${family.samples[0].line}): metadata must come before a family's samples`,
        line,
        1,
        name,
      );
    }
    this.enter(family, line, late);
    if (kind === "HELP") {
      family.help = value;
      family.helpLine = line;
    } else if (kind === "UNIT") {
      family.unit = value;
      family.unitLine = line;
    } else {
      family.typeLine = line;
      const word = this.format === "text" ? value.toLowerCase() : value;
      const types = FORMAT_TYPES[this.format];
      if (!types.includes(word as FamilyType)) {
        family.tainted = true;
        this.error(
          "invalid-type",
          `unknown metric type ${JSON.stringify(value)} in ${FORMAT_NAMES[this.format]} ` +
            `(expected ${types.join(", ")})`,
          line,
          valueColumn,
          name,
        );
      } else if (!late) {
        family.type = word as FamilyType;
        family.typed = true;
      }
    }
  }

  sample(token: import("./lex_line.ts").SampleToken, line: number): void {
    const family = this.resolve(token.name) ?? this.create(token.name, line);
    this.enter(family, line);
    const { kind: _, ...rest } = token;
    // Held until the report is written, so held small: the family's name string rather than
    // a second one, and labels in an array of their size (a pushed-to array holds 17 slots).
    const name = token.name === family.name ? family.name : token.name;
    family.samples.push({ ...rest, name, labels: token.labels.slice(), line });
  }

  taint(name: string): void {
    const family = this.resolve(name);
    if (family !== undefined) family.tainted = true;
  }
}

/**
 * Parses `text` as `options.format`. Returns every family (in order of first appearance) and
 * the syntax and ordering findings; never throws on bad input.
 */
export function parseExposition(text: string, options: ParseOptions): ParseResult {
  const { format } = options;
  const assembler = new Assembler(format, options.add);
  // Lines are cut one at a time, not split into an array: a file of many short lines would
  // hold an object per line for the whole parse.
  const endsWithNewline = text === "" || text.endsWith("\n");
  let lineCount = endsWithNewline ? 0 : 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lineCount++;
  let eofLine: number | undefined;

  let start = 0;
  for (let index = 0; index < lineCount; index++) {
    const lineNo = index + 1;
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (eofLine !== undefined) {
      assembler.error(
        "om-eof",
        `text after # EOF (line ${eofLine}): # EOF must be the last line`,
        lineNo,
        1,
      );
      break;
    }
    const token = lexLine(line, format);
    switch (token.kind) {
      case "blank":
        break;
      case "comment":
        if (format === "text" && line.trim() === "# EOF") {
          assembler.add({
            severity: "warning",
            rule: "lint-text-eof",
            message: "# EOF in a text-format exposition: is this OpenMetrics served or read as " +
              "the text format? (check the Content-Type, or use --input-format openmetrics)",
            line: lineNo,
            column: 1,
          });
        }
        break;
      case "eof":
        eofLine = lineNo;
        break;
      case "help":
        assembler.metadata("HELP", token.name, token.text, lineNo, 1);
        break;
      case "type":
        assembler.metadata("TYPE", token.name, token.type, lineNo, token.typeColumn);
        break;
      case "unit":
        assembler.metadata("UNIT", token.name, token.unit, lineNo, token.unitColumn);
        break;
      case "sample":
        assembler.sample(token, lineNo);
        break;
      case "error":
        assembler.error(token.rule, token.message, lineNo, token.column, token.name);
        if (token.name !== undefined) assembler.taint(token.name);
        break;
    }
  }

  if (format === "text" && !endsWithNewline) {
    assembler.error(
      "missing-newline",
      "the last line does not end with \\n (the text format requires it)",
      lineCount,
      text.length - (text.lastIndexOf("\n") + 1) + 1,
    );
  }
  if (format === "openmetrics" && eofLine === undefined) {
    assembler.error(
      "om-eof",
      "no # EOF line at the end: an OpenMetrics exposition must end with # EOF",
      Math.max(lineCount, 1),
      1,
    );
  }
  // Arrays grown by push keep spare slots: trimmed, as the exposition is held to the end.
  for (const family of assembler.families) family.samples = family.samples.slice();
  return {
    exposition: { format, families: assembler.families, lines: lineCount },
    findings: assembler.findings,
  };
}
