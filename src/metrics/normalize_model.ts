/**
 * `normalize_model`: maps a free-form model tag onto a fixed set of label values so the `model`
 * label cannot explode in cardinality. Rules are the original exporter's, in its order
 * (docs/semantics.md, "Rule: model normalization"): lowercase and trim first, then the first
 * matching rule wins. OpenAI rules match by prefix, the others by substring.
 *
 * @module
 */

import { MAX_VALUE_BYTES } from "./value_cap.ts";

/** Every value {@link normalizeModel} can return. */
export const MODEL_LABELS = Object.freeze(
  [
    "gpt-4o-mini",
    "gpt-4o",
    "gpt-4-turbo",
    "gpt-4",
    "gpt-3.5-turbo",
    "gpt-3.5",
    "o1-preview",
    "o1-mini",
    "o1",
    "o3",
    "claude-3.5-sonnet",
    "claude-3.5-haiku",
    "claude-3-opus",
    "claude-3-sonnet",
    "claude-3-haiku",
    "claude-2",
    "claude-other",
    "gemini-2",
    "gemini-1.5-pro",
    "gemini-1.5-flash",
    "gemini-pro",
    "gemini-other",
    "codellama",
    "llama-3",
    "llama-2",
    "llama-other",
    "mixtral",
    "mistral",
    "other",
  ] as const,
);

/** A normalized model label value. */
export type ModelLabel = (typeof MODEL_LABELS)[number];

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
  const has = (needle: string) => m.includes(needle);
  const starts = (prefix: string) => m.startsWith(prefix);

  // OpenAI, by prefix; the more specific prefixes first.
  if (starts("gpt-4o-mini") || m === "gpt4omini") return "gpt-4o-mini";
  if (starts("gpt-4o") || starts("gpt4o")) return "gpt-4o";
  if (starts("gpt-4-turbo") || starts("gpt4turbo")) return "gpt-4-turbo";
  if (starts("gpt-4") || starts("gpt4")) return "gpt-4";
  if (starts("gpt-3.5-turbo") || starts("gpt35turbo") || starts("gpt-35-turbo")) {
    return "gpt-3.5-turbo";
  }
  if (starts("gpt-3.5") || starts("gpt35")) return "gpt-3.5";
  if (starts("o1-preview")) return "o1-preview";
  if (starts("o1-mini")) return "o1-mini";
  if (starts("o1") && !starts("o1-")) return "o1";
  if (starts("o3")) return "o3";

  // Anthropic, by substring.
  if (has("claude-3-5-sonnet") || has("claude-3.5-sonnet")) return "claude-3.5-sonnet";
  if (has("claude-3-5-haiku") || has("claude-3.5-haiku")) return "claude-3.5-haiku";
  if (has("claude-3-opus")) return "claude-3-opus";
  if (has("claude-3-sonnet")) return "claude-3-sonnet";
  if (has("claude-3-haiku")) return "claude-3-haiku";
  if (has("claude-2")) return "claude-2";
  if (has("claude")) return "claude-other";

  // Google, by substring.
  if (has("gemini-2")) return "gemini-2";
  if (has("gemini-1.5-pro")) return "gemini-1.5-pro";
  if (has("gemini-1.5-flash")) return "gemini-1.5-flash";
  if (has("gemini-pro") || has("gemini-1.0")) return "gemini-pro";
  if (has("gemini")) return "gemini-other";

  // Local models, by substring; codellama before llama, mixtral before mistral.
  if (has("codellama")) return "codellama";
  if (has("llama-3") || has("llama3")) return "llama-3";
  if (has("llama-2") || has("llama2")) return "llama-2";
  if (has("llama")) return "llama-other";
  if (has("mixtral")) return "mixtral";
  if (has("mistral")) return "mistral";

  return "other";
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
