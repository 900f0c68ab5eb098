/**
 * Lint rules in the spirit of `promtool check metrics` (Prometheus' promlint): naming and
 * metadata problems that do not make an exposition invalid. Findings are warnings; their
 * messages match promtool's where promtool has the rule.
 *
 * Like promtool, families without samples are not linted.
 *
 * @module
 */

import type { Exposition, Family } from "./exposition.ts";
import { type AddFinding, collectFindings, type Finding } from "./finding.ts";
import type { RuleId } from "./rules.ts";

// Units and the base unit each should be expressed in (promlint's table).
const UNITS: readonly [string, string][] = [
  ["amperes", "amperes"],
  ["bytes", "bytes"],
  ["candela", "candela"],
  ["grams", "grams"],
  ["celsius", "celsius"],
  ["kelvin", "kelvin"],
  ["kelvins", "kelvins"],
  ["meters", "meters"],
  ["metres", "metres"],
  ["moles", "moles"],
  ["seconds", "seconds"],
  ["joules", "joules"],
  ["minutes", "seconds"],
  ["hours", "seconds"],
  ["days", "seconds"],
  ["fahrenheit", "celsius"],
  ["rankine", "kelvin"],
  ["inches", "meters"],
  ["yards", "meters"],
  ["miles", "meters"],
  ["bits", "bytes"],
  ["calories", "joules"],
  ["pounds", "grams"],
  ["ounces", "grams"],
];

const UNIT_PREFIXES = [
  "pico",
  "nano",
  "micro",
  "milli",
  "centi",
  "deci",
  "deca",
  "hecto",
  "kilo",
  "kibi",
  "mega",
  "mibi",
  "giga",
  "gibi",
  "tera",
  "tebi",
  "peta",
  "pebi",
  "",
];

const UNIT_ABBREVIATIONS = [
  "s",
  "ms",
  "us",
  "ns",
  "sec",
  "b",
  "kb",
  "mb",
  "gb",
  "tb",
  "pb",
  "m",
  "h",
  "d",
];

const TYPE_WORDS = ["counter", "gauge", "histogram", "summary"];

const CAMEL_CASE = /[a-z][A-Z]/;

// Every prefixed unit word and its base unit, in promlint's order of search: built once, not
// per family (a hostile exposition has hundreds of thousands of families).
const UNIT_WORDS: readonly [string, string][] = UNITS.flatMap(([unit, base]) =>
  UNIT_PREFIXES.map((prefix): [string, string] => [prefix + unit, base])
);

/** The unit word in `name` and its base unit, as promlint finds them. */
function metricUnit(name: string): readonly [string, string] | undefined {
  const words = name.split("_");
  for (const entry of UNIT_WORDS) {
    if (words.includes(entry[0])) return entry;
  }
  return undefined;
}

function hasWord(name: string, word: string): boolean {
  return name.includes(`_${word}_`) || name.endsWith(`_${word}`);
}

/**
 * Lints every family that has samples. `name` in the findings is the family's name as the text
 * format writes it (OpenMetrics counters with `_total`).
 */
export function lintExposition(exposition: Exposition): Finding[] {
  return collectFindings((add) => lintInto(exposition, add));
}

/**
 * {@link lintExposition}, handing each finding to `add` as it is found: a hostile exposition
 * yields findings by the hundred thousand, and the caller decides which to hold.
 */
export function lintInto(exposition: Exposition, add: AddFinding): void {
  for (const family of exposition.families) {
    if (family.samples.length === 0) continue;
    const name = exposition.format === "openmetrics" && family.type === "counter"
      ? `${family.name}_total`
      : family.name;
    const line = family.typeLine ?? family.helpLine ?? family.line;
    lintFamily(
      family,
      name,
      (rule, message) => add({ severity: "warning", rule, message, metric: name, line }),
    );
  }
}

function lintFamily(family: Family, name: string, add: (rule: RuleId, message: string) => void) {
  const type = family.type;
  const labelNames = new Set<string>();
  for (const sample of family.samples) {
    for (const label of sample.labels) labelNames.add(label.name);
  }
  const untyped = type === "untyped" || type === "unknown";
  if (family.help === undefined) add("lint-help", `${name}: no help text`);

  const unit = metricUnit(name);
  if (unit !== undefined && unit[0] !== unit[1]) {
    add("lint-base-unit", `${name}: use base unit "${unit[1]}" instead of "${unit[0]}"`);
  }

  const total = name.endsWith("_total");
  if (type === "counter" && !total) {
    add("lint-counter-total", `${name}: counter metrics should have "_total" suffix`);
  } else if (!untyped && type !== "counter" && total) {
    add("lint-non-counter-total", `${name}: non-counter metrics should not have "_total" suffix`);
  }

  if (!untyped) {
    const histogram = type === "histogram" || type === "gaugehistogram";
    const summary = type === "summary";
    if (!histogram && name.endsWith("_bucket")) {
      add(
        "lint-reserved-suffix",
        `${name}: non-histogram metrics should not have "_bucket" suffix`,
      );
    }
    for (const suffix of ["_count", "_sum"]) {
      if (!histogram && !summary && name.endsWith(suffix)) {
        add(
          "lint-reserved-suffix",
          `${name}: non-histogram and non-summary metrics should not have "${suffix}" suffix`,
        );
      }
    }
    if (!histogram && labelNames.has("le")) {
      add("lint-reserved-suffix", `${name}: non-histogram metrics should not have "le" label`);
    }
    if (!summary && labelNames.has("quantile")) {
      add("lint-reserved-suffix", `${name}: non-summary metrics should not have "quantile" label`);
    }
  }

  const lower = name.toLowerCase();
  for (const word of TYPE_WORDS) {
    if (hasWord(lower, word)) {
      add("lint-type-in-name", `${name}: metric name should not include type '${word}'`);
    }
  }
  if (name.includes(":")) add("lint-colon", `${name}: metric names should not contain ':'`);
  if (CAMEL_CASE.test(name)) {
    add(
      "lint-camel-case",
      `${name}: metric names should be written in 'snake_case' not 'camelCase'`,
    );
  }
  for (const label of labelNames) {
    if (CAMEL_CASE.test(label)) {
      add(
        "lint-camel-case",
        `${name}: label names should be written in 'snake_case' not 'camelCase' (${label})`,
      );
    }
    if (label.startsWith("__")) {
      add(
        "lint-reserved-label",
        `${name}: label ${label} starts with __, which Prometheus reserves for internal use`,
      );
    }
  }
  if (UNIT_ABBREVIATIONS.some((abbreviation) => hasWord(lower, abbreviation))) {
    add("lint-unit-abbreviation", `${name}: metric names should not contain abbreviated units`);
  }
}
