/**
 * `normalize_model`: maps a free-form model tag onto a fixed set of label values so the `model`
 * label cannot explode in cardinality. Rules are the original exporter's, in its order
 * (docs/semantics.md, "Rule: model normalization"): lowercase and trim first, then the first
 * matching rule wins. OpenAI rules match by prefix, the others by substring.
 *
 * @module
 */

import rules from "./normalize_model.json" with { type: "json" };
import { MAX_VALUE_BYTES } from "./value_cap.ts";

/**
 * How a rule matches the lowercased, trimmed tag: `prefix` (any of them), `exact` (any of them),
 * `substring` (any of them); `unless` is a prefix that keeps the rule from matching.
 */
interface ModelRule {
  readonly label: string;
  readonly prefix?: readonly string[];
  readonly exact?: readonly string[];
  readonly substring?: readonly string[];
  readonly unless?: string;
}

const MATCH_LISTS = ["prefix", "exact", "substring"] as const;

// The rules, in order, are data in normalize_model.json: the first that matches wins. OpenAI by
// prefix, the more specific first; Anthropic, Google and local models by substring (codellama
// before llama, mixtral before mistral). Checked once at load.
const RULES: readonly ModelRule[] = Object.freeze(rules.map(checkedRule));

/** The label of a tag no rule matches. */
const OTHER = "other";

/** A normalized model label value: one of {@link MODEL_LABELS}. */
export type ModelLabel = string;

/** Every value {@link normalizeModel} can return: each rule's label in rule order, then "other". */
export const MODEL_LABELS: readonly ModelLabel[] = Object.freeze([
  ...RULES.map((rule) => rule.label),
  OTHER,
]);

/** Models pre-created at 0 in `dashstream_queries_by_model_total`, in the spec's order. */
export const PRECREATED_MODELS: readonly ModelLabel[] = Object.freeze([
  "gpt-4",
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4-turbo",
  "gpt-3.5-turbo",
  "o1-preview",
  "o1-mini",
  "claude-3.5-sonnet",
  "claude-3.5-haiku",
  "claude-3-opus",
  "gemini-1.5-pro",
  "gemini-1.5-flash",
  "llama-3",
  "mistral",
]);

for (const model of PRECREATED_MODELS) {
  if (!MODEL_LABELS.includes(model)) {
    throw new Error(`pre-created model "${model}" is no label of src/metrics/normalize_model.json`);
  }
}

/** A rule of normalize_model.json, or an error naming it and what a rule must hold. */
function checkedRule(rule: Record<string, unknown>, index: number): ModelRule {
  const strings = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" && x !== "");
  const ok = typeof rule.label === "string" && rule.label !== "" &&
    Object.keys(rule).every((key) =>
      key === "label" || (key === "unless" && typeof rule.unless === "string") ||
      (MATCH_LISTS.includes(key as never) && strings(rule[key]))
    ) && MATCH_LISTS.some((key) => key in rule);
  if (!ok) {
    throw new Error(
      `src/metrics/normalize_model.json, rule ${index + 1}: ${JSON.stringify(rule)} is not a ` +
        `rule; each needs a label and one or more of ${MATCH_LISTS.join(", ")} (non-empty ` +
        `lists of strings), and may have an "unless" prefix`,
    );
  }
  return Object.freeze(rule) as unknown as ModelRule;
}

/**
 * Apply the normalization rules without memoization. Prefer {@link normalizeModel} on hot paths.
 */
export function normalizeModelUncached(model: string): ModelLabel {
  const m = model.trim().toLowerCase();
  for (const rule of RULES) {
    if (matches(rule, m)) return rule.label;
  }
  return OTHER;
}

function matches(rule: ModelRule, m: string): boolean {
  if (rule.unless !== undefined && m.startsWith(rule.unless)) return false;
  return (rule.prefix?.some((prefix) => m.startsWith(prefix)) ||
    rule.exact?.includes(m) ||
    rule.substring?.some((needle) => m.includes(needle))) ?? false;
}

/** Options for {@link ModelNormalizer}. */
export interface ModelNormalizerOptions {
  /** Cache entries kept before the cache is cleared (default 1024). */
  maxEntries?: number;
}

/**
 * Memoizing {@link normalizeModelUncached}. The cache is cleared when full, and only strings of
 * at most `MAX_VALUE_BYTES` code units are cached (longer ones are normalized each time; the
 * metrics core caps them before they get here, docs/semantics.md "Rule: value length cap"), so
 * any number of distinct raw model strings costs a bounded number of bytes.
 */
export class ModelNormalizer {
  readonly #cache = new Map<string, ModelLabel>();
  readonly #maxEntries: number;

  /** Create a normalizer with its own bounded cache. */
  constructor(options: ModelNormalizerOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 1024);
  }

  /** Number of cached raw strings. */
  get size(): number {
    return this.#cache.size;
  }

  /** Normalize `model`, from the cache when seen before. */
  normalize(model: string): ModelLabel {
    let label = this.#cache.get(model);
    if (label === undefined) {
      label = normalizeModelUncached(model);
      if (model.length > MAX_VALUE_BYTES) return label;
      if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
      this.#cache.set(model, label);
    }
    return label;
  }
}

const shared = new ModelNormalizer();

/**
 * Normalize a model tag (e.g. `" GPT-4o-Mini-2024-07-18 "` → `"gpt-4o-mini"`). Memoized in a
 * module-wide cache of at most 1024 entries.
 */
export function normalizeModel(model: string): ModelLabel {
  return shared.normalize(model);
}
