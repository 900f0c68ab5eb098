/**
 * Every rule `check` applies, with its default severity and a one-line description. The rules
 * are data, in `rules.json` beside this module: groups (syntax, metadata, structure, protobuf,
 * OpenMetrics, lint, expectations, scrapes, the target), each a map from rule id to severity and
 * summary. The rule table of docs/check.md and `check --help` are written from this list; a
 * finding names its rule so CI output can be grepped and explained.
 *
 * @module
 */

import catalog from "./rules.json" with { type: "json" };
import type { Severity } from "./finding.ts";

/** One rule. */
export interface Rule {
  /** Default severity of its findings. */
  readonly severity: Severity;
  /** What it checks. */
  readonly summary: string;
}

// Every key of every group's `rules` (distributes over the groups' union).
type KeysOf<T> = T extends unknown ? keyof T : never;

/** Identifier of a rule. */
export type RuleId = KeysOf<(typeof catalog)[number]["rules"]>;

const SEVERITIES: readonly string[] = ["error", "warning", "notice"] satisfies Severity[];

/**
 * The rules in catalog order, checked once at load: a severity other than error, warning or
 * notice, an empty summary or a rule listed twice is a bug in `rules.json`.
 */
export const RULES: Readonly<Record<RuleId, Rule>> = Object.freeze(flatten(catalog));

function flatten(groups: readonly { group: string; rules: object }[]): Record<RuleId, Rule> {
  const rules: Record<string, Rule> = {};
  for (const { group, rules: members } of groups) {
    for (const [id, rule] of Object.entries(members) as [string, Partial<Rule>][]) {
      if (
        !SEVERITIES.includes(rule.severity ?? "") || typeof rule.summary !== "string" ||
        rule.summary === "" || Object.hasOwn(rules, id)
      ) {
        throw new Error(
          `src/check/rules.json, group "${group}": rule "${id}" is ${JSON.stringify(rule)}; ` +
            `each rule needs a unique id, a severity (${SEVERITIES.join(", ")}) and a summary`,
        );
      }
      rules[id] = Object.freeze({ severity: rule.severity as Severity, summary: rule.summary });
    }
  }
  return rules as Record<RuleId, Rule>;
}
