/**
 * Query category and application type: which tag they are read from, and how the category is
 * normalized for the `category` label of `dashstream_quality_monitor_queries_failed_total`.
 *
 * @module
 */

import type { CATEGORIES } from "./catalog.ts";

/** A normalized category label value. */
export type Category = (typeof CATEGORIES)[number];

/** Category used when no category tag is present. */
export const DEFAULT_CATEGORY = "Unknown";

/** Application type used when no application-type tag is present. */
export const DEFAULT_APPLICATION_TYPE = "unknown";

/**
 * Normalize a raw category. Exactly three spellings per word map: all lowercase, all uppercase
 * and capitalized (`simple`/`SIMPLE`/`Simple` → `Simple`; likewise Medium, Complex, Edge).
 * Anything else, including other mixed case such as `sImPlE` and values with surrounding
 * whitespace, is `Unknown`. This is the original exporter's behaviour, kept so this exporter is
 * a drop-in: the same input lands in the same series.
 */
export function normalizeCategory(raw: string): Category {
  switch (raw) {
    case "simple":
    case "SIMPLE":
    case "Simple":
      return "Simple";
    case "medium":
    case "MEDIUM":
    case "Medium":
      return "Medium";
    case "complex":
    case "COMPLEX":
    case "Complex":
      return "Complex";
    case "edge":
    case "EDGE":
    case "Edge":
      return "Edge";
    default:
      return "Unknown";
  }
}

/** Tag map of a `Metrics` message (protobuf `map<string, string>`). */
export type Tags = Readonly<Record<string, string>>;

/**
 * The raw category: the first of `tags.category`, `tags.query_category`, `tags.complexity` that
 * is present (an empty string counts as present), else `"Unknown"`.
 */
export function pickCategory(tags: Tags): string {
  return tags.category ?? tags.query_category ?? tags.complexity ?? DEFAULT_CATEGORY;
}

/**
 * The application type: the first of `tags.application_type`, `tags.app_type` that is present
 * (an empty string counts as present), else `"unknown"`.
 */
export function pickApplicationType(tags: Tags): string {
  return tags.application_type ?? tags.app_type ?? DEFAULT_APPLICATION_TYPE;
}
