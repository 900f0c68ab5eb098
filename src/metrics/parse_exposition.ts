/**
 * A small parser for Prometheus text 0.0.4 and OpenMetrics 1.0 expositions, for tests and
 * validators: it turns rendered text into `series → value` so assertions can name exact series.
 * It is strict enough to catch malformed output, not a full validator.
 *
 * @module
 */

/** The parsed content of one exposition. */
export interface ParsedExposition {
  /** Sample value per series key, see {@link seriesKey}. */
  samples: Map<string, number>;
  /** `# TYPE` per family name. */
  types: Map<string, string>;
  /** `# HELP` per family name (unescaped). */
  help: Map<string, string>;
  /** Whether the text ended with `# EOF` (OpenMetrics). */
  eof: boolean;
}

/** A malformed exposition line. */
export class ExpositionParseError extends Error {
  /** 1-based line number. */
  readonly line: number;

  /** Create an error for `line` with its text. */
  constructor(line: number, text: string, reason: string) {
    super(`exposition line ${line} is malformed (${reason}): ${JSON.stringify(text)}`);
    this.name = "ExpositionParseError";
    this.line = line;
  }
}

function escapeValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/**
 * The canonical key of a series: `name` alone, or `name{a="x",b="y"}` with labels sorted by
 * name and values escaped as in the text format.
 */
export function seriesKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return name;
  return `${name}{${names.map((n) => `${n}="${escapeValue(labels[n])}"`).join(",")}}`;
}

function parseNumber(text: string): number {
  switch (text) {
    case "+Inf":
    case "Inf":
      return Infinity;
    case "-Inf":
      return -Infinity;
    case "NaN":
    case "Nan":
      return NaN;
  }
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parse an exposition; throws {@link ExpositionParseError} on a malformed line. */
export function parseExposition(text: string): ParsedExposition {
  const result: ParsedExposition = {
    samples: new Map(),
    types: new Map(),
    help: new Map(),
    eof: false,
  };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const at = i + 1;
    if (line === "") continue;
    if (result.eof) throw new ExpositionParseError(at, line, "content after # EOF");
    if (line === "# EOF") {
      result.eof = true;
      continue;
    }
    if (line.startsWith("#")) {
      const meta = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$/.exec(line);
      if (meta === null) continue; // plain comment
      if (meta[1] === "TYPE") result.types.set(meta[2], meta[3] ?? "");
      if (meta[1] === "HELP") result.help.set(meta[2], unescape(meta[3] ?? ""));
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw new ExpositionParseError(at, line, "no metric name");
    let rest = line.slice(name.length);
    const labels: Record<string, string> = {};
    if (rest.startsWith("{")) {
      rest = rest.slice(1);
      while (!rest.startsWith("}")) {
        const label = LABEL.exec(rest)?.[0];
        if (label === undefined) throw new ExpositionParseError(at, line, "bad label name");
        rest = rest.slice(label.length);
        const value = /^="((?:[^"\\\n]|\\.)*)"/.exec(rest);
        if (value === null) throw new ExpositionParseError(at, line, "bad label value");
        if (label in labels) throw new ExpositionParseError(at, line, "duplicate label");
        labels[label] = unescape(value[1]);
        rest = rest.slice(value[0].length);
        if (rest.startsWith(",")) rest = rest.slice(1);
        else if (!rest.startsWith("}")) throw new ExpositionParseError(at, line, "bad label list");
      }
      rest = rest.slice(1);
    }
    const parts = rest.split(" ");
    if (parts[0] !== "" || parts.length < 2 || parts.length > 3) {
      throw new ExpositionParseError(at, line, "expected ' value [timestamp]'");
    }
    const value = parseNumber(parts[1]);
    if (Number.isNaN(value) && parts[1] !== "NaN" && parts[1] !== "Nan") {
      throw new ExpositionParseError(at, line, "bad value");
    }
    const key = seriesKey(name, labels);
    if (result.samples.has(key)) throw new ExpositionParseError(at, line, "duplicate series");
    result.samples.set(key, value);
  }
  return result;
}
