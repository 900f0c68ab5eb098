/**
 * Which tags a quality event reads, and in what order: the tag precedence for the query
 * category and the application type, as data. Both readers are built from these tables — the
 * protobuf-es classifier ({@linkcode pickCategory}, {@linkcode pickApplicationType}) and the
 * fast wire reader (`fast_quality.ts`, which turns them into slots) — so the order is written
 * only here (docs/semantics.md, "Rule: tag precedence").
 *
 * @module
 */

/** The model tag (raw; the metrics normalize it). */
export const MODEL_TAG = "model";

/** Tags the query category is read from, first present wins (an empty value counts). */
export const CATEGORY_TAGS: readonly string[] = Object.freeze([
  "category",
  "query_category",
  "complexity",
]);

/** Tags the application type is read from, first present wins (an empty value counts). */
export const APPLICATION_TYPE_TAGS: readonly string[] = Object.freeze([
  "application_type",
  "app_type",
]);

/** Category used when no category tag is present. */
export const DEFAULT_CATEGORY = "Unknown";

/** Application type used when no application-type tag is present. */
export const DEFAULT_APPLICATION_TYPE = "unknown";

/** Tag map of a `Metrics` message (protobuf `map<string, string>`). */
export type Tags = Readonly<Record<string, string>>;

function firstPresent(tags: Tags, keys: readonly string[], fallback: string): string {
  for (const key of keys) {
    const value = tags[key];
    if (value !== undefined) return value;
  }
  return fallback;
}

/** The raw category: the first of {@linkcode CATEGORY_TAGS} present, else `"Unknown"`. */
export function pickCategory(tags: Tags): string {
  return firstPresent(tags, CATEGORY_TAGS, DEFAULT_CATEGORY);
}

/**
 * The application type: the first of {@linkcode APPLICATION_TYPE_TAGS} present, else
 * `"unknown"`.
 */
export function pickApplicationType(tags: Tags): string {
  return firstPresent(tags, APPLICATION_TYPE_TAGS, DEFAULT_APPLICATION_TYPE);
}
