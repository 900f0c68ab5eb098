/**
 * `normalize_model`: maps a free-form model tag onto a fixed set of label values so the `model`
 * label cannot explode in cardinality. Rules are the original exporter's, in its order
 * (docs/semantics.md, "Rule: model normalization"): lowercase and trim first, then the first
 * matching rule wins. OpenAI rules match by prefix, the others by substring.
 *
 * @module
 */

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

// The rules, in order: the first that matches wins. OpenAI by prefix, the more specific first;
// Anthropic, Google and local models by substring (codellama before llama, mixtral before
// mistral).
const RULES = [
  { label: "gpt-4o-mini", prefix: ["gpt-4o-mini"], exact: ["gpt4omini"] },
  { label: "gpt-4o", prefix: ["gpt-4o", "gpt4o"] },
  { label: "gpt-4-turbo", prefix: ["gpt-4-turbo", "gpt4turbo"] },
  { label: "gpt-4", prefix: ["gpt-4", "gpt4"] },
  { label: "gpt-3.5-turbo", prefix: ["gpt-3.5-turbo", "gpt35turbo", "gpt-35-turbo"] },
  { label: "gpt-3.5", prefix: ["gpt-3.5", "gpt35"] },
  { label: "o1-preview", prefix: ["o1-preview"] },
  { label: "o1-mini", prefix: ["o1-mini"] },
  { label: "o1", prefix: ["o1"], unless: "o1-" },
  { label: "o3", prefix: ["o3"] },
  { label: "claude-3.5-sonnet", substring: ["claude-3-5-sonnet", "claude-3.5-sonnet"] },
  { label: "claude-3.5-haiku", substring: ["claude-3-5-haiku", "claude-3.5-haiku"] },
  { label: "claude-3-opus", substring: ["claude-3-opus"] },
  { label: "claude-3-sonnet", substring: ["claude-3-sonnet"] },
  { label: "claude-3-haiku", substring: ["claude-3-haiku"] },
  { label: "claude-2", substring: ["claude-2"] },
  { label: "claude-other", substring: ["claude"] },
  { label: "gemini-2", substring: ["gemini-2"] },
  { label: "gemini-1.5-pro", substring: ["gemini-1.5-pro"] },
  { label: "gemini-1.5-flash", substring: ["gemini-1.5-flash"] },
  { label: "gemini-pro", substring: ["gemini-pro", "gemini-1.0"] },
  { label: "gemini-other", substring: ["gemini"] },
  { label: "codellama", substring: ["codellama"] },
  { label: "llama-3", substring: ["llama-3", "llama3"] },
  { label: "llama-2", substring: ["llama-2", "llama2"] },
  { label: "llama-other", substring: ["llama"] },
  { label: "mixtral", substring: ["mixtral"] },
  { label: "mistral", substring: ["mistral"] },
] as const satisfies readonly ModelRule[];

/** The label of a tag no rule matches. */
const OTHER = "other";

/** A normalized model label value. */
export type ModelLabel = (typeof RULES)[number]["label"] | typeof OTHER;

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

/**
 * Apply the normalization rules without memoization. Prefer {@link normalizeModel} on hot paths.
 */
export function normalizeModelUncached(model: string): ModelLabel {
  const m = model.trim().toLowerCase();
  for (const rule of RULES as readonly ModelRule[]) {
    if (matches(rule, m)) return rule.label as ModelLabel;
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
