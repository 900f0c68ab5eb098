/**
 * Reads one exposition line into a token: a sample, a metadata line, a comment, or an error
 * naming the rule, the column and what was expected. One function per format: the text
 * format (0.0.4) allows blanks and tabs between tokens and a trailing comma in label sets, as
 * Prometheus' parser does; OpenMetrics 1.0 wants exactly one space and nothing extra.
 *
 * @module
 */

import type { Exemplar, ExpositionFormat, Label } from "./exposition.ts";
import {
  parseOpenMetricsTimestamp,
  parseOpenMetricsValue,
  parseTextTimestamp,
  parseTextValue,
} from "./numbers.ts";
import type { RuleId } from "./rules.ts";

/** A sample line, before it is placed in a family. */
export interface SampleToken {
  kind: "sample";
  name: string;
  labels: Label[];
  value: number;
  rawValue: string;
  valueColumn: number;
  timestamp?: number;
  exemplar?: Exemplar;
}

/** What one line holds. */
export type LineToken =
  | { kind: "blank" }
  | { kind: "comment" }
  | { kind: "eof" }
  | { kind: "help"; name: string; text: string }
  | { kind: "type"; name: string; type: string; typeColumn: number }
  | { kind: "unit"; name: string; unit: string; unitColumn: number }
  | SampleToken
  | LexErrorToken;

/** A line that could not be read. */
export interface LexErrorToken {
  kind: "error";
  rule: RuleId;
  message: string;
  /** 1-based column where the problem starts. */
  column: number;
  /** The metric name, when it was read before the error. */
  name?: string;
}

class LexError extends Error {
  constructor(readonly rule: RuleId, message: string, readonly column: number) {
    super(message);
  }
}

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const EXEMPLAR_MAX_RUNES = 128;

function show(char: string | undefined): string {
  return char === undefined ? "end of line" : JSON.stringify(char);
}

class Cursor {
  pos = 0;
  /** The metric name once read, for error tokens. */
  name?: string;

  constructor(readonly text: string, readonly format: ExpositionFormat) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  get column(): number {
    return this.pos + 1;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  fail(rule: RuleId, message: string, column = this.column): never {
    throw new LexError(rule, message, column);
  }

  isBlank(char: string | undefined): boolean {
    return char === " " || (char === "\t" && this.format === "text");
  }

  /** Skips blanks (spaces, and tabs in the text format); returns how many. */
  skipBlanks(): number {
    const start = this.pos;
    while (this.isBlank(this.peek())) this.pos++;
    return this.pos - start;
  }

  /** Reads up to the next blank or the end of the line. */
  token(): string {
    const start = this.pos;
    while (!this.done && !this.isBlank(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  read(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (match === null) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  expect(char: string, rule: RuleId, what: string): void {
    if (this.peek() !== char) this.fail(rule, `expected ${what}, found ${show(this.peek())}`);
    this.pos++;
  }

  /** OpenMetrics: exactly one space. */
  expectSpace(what: string): void {
    if (this.peek() !== " ") {
      this.fail("syntax", `expected one space before ${what}, found ${show(this.peek())}`);
    }
    this.pos++;
    if (this.peek() === " ") this.fail("syntax", `more than one space before ${what}`);
  }

  metricName(): string {
    const name = this.read(METRIC_NAME);
    if (name === undefined) {
      this.fail(
        "invalid-metric-name",
        `expected a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), found ${show(this.peek())}`,
      );
    }
    return name;
  }

  /** Reads `"..."` (the opening quote is next) and undoes the escapes. */
  quoted(): string {
    const open = this.column;
    this.pos++;
    // Fast path: no escape before the closing quote.
    const close = this.text.indexOf('"', this.pos);
    const backslash = this.text.indexOf("\\", this.pos);
    if (close !== -1 && (backslash === -1 || backslash > close)) {
      const value = this.text.slice(this.pos, close);
      this.pos = close + 1;
      return value;
    }
    let out = "";
    while (true) {
      const char = this.peek();
      if (char === undefined) {
        this.fail("label-syntax", 'unterminated label value: no closing "', open);
      }
      this.pos++;
      if (char === '"') return out;
      if (char !== "\\") {
        out += char;
        continue;
      }
      const next = this.peek();
      this.pos++;
      if (next === "\\") out += "\\";
      else if (next === '"') out += '"';
      else if (next === "n") out += "\n";
      else {
        this.fail(
          "invalid-escape",
          `invalid escape \\${next ?? ""} in a label value: only \\\\, \\" and \\n are allowed`,
          this.column - 2,
        );
      }
    }
  }

  /** Reads `{name="value",...}` (the `{` is next). */
  labels(): Label[] {
    const om = this.format === "openmetrics";
    const open = this.column;
    this.pos++;
    const labels: Label[] = [];
    const seen = new Set<string>();
    while (true) {
      if (!om) this.skipBlanks();
      if (this.done) this.fail("label-syntax", "unterminated label set: no closing }", open);
      if (this.peek() === "}") {
        if (om && labels.length > 0) {
          this.fail("label-syntax", "trailing comma in the label set (not allowed in OpenMetrics)");
        }
        this.pos++;
        return labels;
      }
      const column = this.column;
      const name = this.read(LABEL_NAME);
      if (name === undefined) {
        this.fail(
          "label-syntax",
          `expected a label name ([a-zA-Z_][a-zA-Z0-9_]*), found ${show(this.peek())}`,
        );
      }
      if (!om) this.skipBlanks();
      this.expect("=", "label-syntax", `= after label name ${name}`);
      if (!om) this.skipBlanks();
      if (this.peek() !== '"') {
        this.fail(
          "label-syntax",
          `expected " to open the value of label ${name}, found ${show(this.peek())}`,
        );
      }
      const value = this.quoted();
      if (seen.has(name)) this.fail("duplicate-label", `label ${name} appears twice`, column);
      seen.add(name);
      labels.push({ name, value });
      if (!om) this.skipBlanks();
      const next = this.peek();
      if (next === ",") {
        this.pos++;
        continue;
      }
      if (next === "}") {
        this.pos++;
        return labels;
      }
      this.fail(
        "label-syntax",
        `expected , or } after the value of label ${name}, found ${show(next)}`,
      );
    }
  }

  /** The rest of a `# HELP` line, unescaped. */
  helpText(): string {
    let out = "";
    while (!this.done) {
      const char = this.text[this.pos++];
      if (char !== "\\") {
        out += char;
        continue;
      }
      const next = this.text[this.pos++];
      if (next === "\\") out += "\\";
      else if (next === "n") out += "\n";
      else if (next === '"' && this.format === "openmetrics") out += '"';
      else {
        const allowed = this.format === "openmetrics" ? '\\\\, \\" and \\n' : "\\\\ and \\n";
        this.fail(
          "invalid-escape",
          `invalid escape \\${next ?? ""} in HELP text: only ${allowed} are allowed`,
          this.pos - 1,
        );
      }
    }
    return out;
  }
}

/** Reads one line of `format`. Never throws: a bad line gives an `error` token. */
export function lexLine(line: string, format: ExpositionFormat): LineToken {
  const cursor = new Cursor(line, format);
  try {
    if (line.endsWith("\r")) {
      cursor.fail(
        "syntax",
        "line ends with \\r (CRLF line endings): lines must end with \\n only",
        line.length,
      );
    }
    return format === "text" ? lexText(cursor) : lexOpenMetrics(cursor);
  } catch (error) {
    if (!(error instanceof LexError)) throw error;
    const token: LexErrorToken = {
      kind: "error",
      rule: error.rule,
      message: error.message,
      column: error.column,
    };
    if (cursor.name !== undefined) token.name = cursor.name;
    return token;
  }
}

function lexText(c: Cursor): LineToken {
  c.skipBlanks();
  if (c.done) return { kind: "blank" };
  if (c.peek() === "#") {
    c.pos++;
    c.skipBlanks();
    const word = c.token();
    if (word !== "HELP" && word !== "TYPE") return { kind: "comment" };
    if (c.skipBlanks() === 0) c.fail("syntax", `expected a metric name after # ${word}`);
    c.name = c.metricName();
    if (word === "HELP") {
      if (!c.done && c.skipBlanks() === 0) {
        c.fail("invalid-metric-name", `invalid character ${show(c.peek())} in metric name`);
      }
      return { kind: "help", name: c.name, text: c.helpText() };
    }
    if (!c.done && c.skipBlanks() === 0) {
      c.fail("invalid-metric-name", `invalid character ${show(c.peek())} in metric name`);
    }
    const typeColumn = c.column;
    const type = c.text.slice(c.pos);
    if (type === "") c.fail("invalid-type", `# TYPE ${c.name} has no type`);
    return { kind: "type", name: c.name, type, typeColumn };
  }
  c.name = c.metricName();
  const blanks = c.skipBlanks();
  let labels: Label[] = [];
  if (c.peek() === "{") {
    labels = c.labels();
    c.skipBlanks();
  } else if (blanks === 0 && !c.done) {
    c.fail("invalid-metric-name", `invalid character ${show(c.peek())} in metric name`);
  }
  if (blanks === 0 && labels.length === 0 && c.done) {
    c.fail("syntax", `missing value after ${c.name}`);
  }
  return sampleRest(c, labels);
}

function sampleRest(c: Cursor, labels: Label[]): SampleToken {
  const om = c.format === "openmetrics";
  const valueColumn = c.column;
  const rawValue = c.token();
  if (rawValue === "") c.fail("syntax", `missing value after ${c.name}`);
  const value = om ? parseOpenMetricsValue(rawValue) : parseTextValue(rawValue);
  if (value === undefined) {
    const expected = om
      ? "a number, +Inf, -Inf or NaN"
      : "a number, +Inf, -Inf or NaN (Go float syntax, no hex)";
    c.fail("invalid-value", `value ${JSON.stringify(rawValue)} is not ${expected}`, valueColumn);
  }
  const sample: SampleToken = {
    kind: "sample",
    name: c.name!,
    labels,
    value,
    rawValue,
    valueColumn,
  };
  if (c.done) return sample;
  if (om) {
    c.expectSpace("the timestamp or exemplar");
    if (c.peek() !== "#") {
      sample.timestamp = timestamp(c);
      if (c.done) return sample;
      c.expectSpace("the exemplar");
    }
    sample.exemplar = exemplar(c);
    return sample;
  }
  c.skipBlanks();
  if (c.done) c.fail("syntax", "trailing whitespace after the value", c.column - 1);
  sample.timestamp = timestamp(c);
  if (c.done) return sample;
  c.skipBlanks();
  if (c.done) c.fail("syntax", "trailing whitespace after the timestamp", c.column - 1);
  c.fail("syntax", `unexpected text after the timestamp: ${JSON.stringify(c.text.slice(c.pos))}`);
}

function timestamp(c: Cursor): number {
  const column = c.column;
  const raw = c.token();
  if (raw === "") c.fail("syntax", "trailing whitespace after the value", column - 1);
  const om = c.format === "openmetrics";
  const value = om ? parseOpenMetricsTimestamp(raw) : parseTextTimestamp(raw);
  if (value === undefined) {
    const expected = om ? "a number of seconds" : "an integer of milliseconds";
    c.fail("invalid-timestamp", `timestamp ${JSON.stringify(raw)} is not ${expected}`, column);
  }
  return value;
}

function exemplar(c: Cursor): Exemplar {
  const column = c.column;
  c.expect("#", "om-exemplar", "# to start an exemplar");
  c.expectSpace("the exemplar's labels");
  if (c.peek() !== "{") {
    c.fail("om-exemplar", `expected { to open the exemplar's labels, found ${show(c.peek())}`);
  }
  const labelStart = c.pos;
  const labels = c.labels();
  const runes = [...labels.map((l) => l.name + l.value).join("")].length;
  if (runes > EXEMPLAR_MAX_RUNES) {
    c.fail(
      "om-exemplar",
      `exemplar labels have ${runes} characters, more than the ${EXEMPLAR_MAX_RUNES} allowed`,
      labelStart + 1,
    );
  }
  c.expectSpace("the exemplar's value");
  const valueColumn = c.column;
  const raw = c.token();
  const value = parseOpenMetricsValue(raw);
  if (value === undefined) {
    c.fail("om-exemplar", `exemplar value ${JSON.stringify(raw)} is not a number`, valueColumn);
  }
  const result: Exemplar = { labels, value, column };
  if (c.done) return result;
  c.expectSpace("the exemplar's timestamp");
  result.timestamp = timestamp(c);
  if (!c.done) {
    c.fail("syntax", `unexpected text after the exemplar: ${JSON.stringify(c.text.slice(c.pos))}`);
  }
  return result;
}

function lexOpenMetrics(c: Cursor): LineToken {
  const line = c.text;
  if (line === "") c.fail("syntax", "blank line (not allowed in OpenMetrics)", 1);
  if (line[0] === "#") {
    if (line === "# EOF") return { kind: "eof" };
    const meta = /^# (HELP|TYPE|UNIT) /.exec(line);
    if (meta === null) {
      c.fail(
        "syntax",
        "comment line: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF",
        1,
      );
    }
    c.pos = meta[0].length;
    c.name = c.metricName();
    const word = meta[1];
    if (word === "HELP") {
      if (c.done) return { kind: "help", name: c.name, text: "" };
      c.expectSpace("the help text");
      return { kind: "help", name: c.name, text: c.helpText() };
    }
    if (c.done) {
      if (word === "UNIT") return { kind: "unit", name: c.name, unit: "", unitColumn: c.column };
      c.fail("invalid-type", `# TYPE ${c.name} has no type`);
    }
    if (c.peek() !== " ") {
      c.fail("invalid-metric-name", `invalid character ${show(c.peek())} in metric name`);
    }
    c.pos++;
    const column = c.column;
    const rest = line.slice(c.pos);
    if (word === "TYPE") return { kind: "type", name: c.name, type: rest, typeColumn: column };
    if (!/^[a-zA-Z0-9_:]*$/.test(rest)) {
      c.fail("om-unit", `unit ${JSON.stringify(rest)} is not made of [a-zA-Z0-9_:]`, column);
    }
    return { kind: "unit", name: c.name, unit: rest, unitColumn: column };
  }
  if (line[0] === " " || line[0] === "\t") {
    c.fail("syntax", "leading whitespace (not allowed in OpenMetrics)", 1);
  }
  c.name = c.metricName();
  let labels: Label[] = [];
  if (c.peek() === "{") labels = c.labels();
  if (c.done) c.fail("syntax", `missing value after ${c.name}`);
  if (c.peek() !== " " && labels.length === 0 && c.peek() !== "{") {
    c.fail("invalid-metric-name", `invalid character ${show(c.peek())} in metric name`);
  }
  c.expectSpace("the value");
  return sampleRest(c, labels);
}
