/**
 * How the raw query category of a quality event (`event/tags.ts` says which tag it comes from)
 * is normalized for the `category` label of `dashstream_quality_monitor_queries_failed_total`.
 *
 * @module
 */

import type { CATEGORIES } from "./catalog.ts";

/** A normalized category label value. */
export type Category = (typeof CATEGORIES)[number];

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
