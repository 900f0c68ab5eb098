/**
 * Test support: builders for DashStream messages as producers send them. Used by this module's
 * tests and usable by other modules' tests; not part of the public API in `mod.ts`.
 *
 * @module
 */

import type { MetricsCore } from "./core.ts";
import { parseExposition } from "./parse_exposition.ts";

export {
  boolValue,
  floatValue,
  intValue,
  metricsMessage,
  type MetricsMessageInit,
  qualityMessage,
  type QualityMessageInit,
  stringValue,
  viaWire,
} from "../event/testing.ts";

/** Render `core` and parse it into `series → value` (see `seriesKey()`). */
export async function scrape(
  core: MetricsCore,
  options: { openMetrics?: boolean } = {},
): Promise<Map<string, number>> {
  const rendered = await core.render(options);
  return parseExposition(rendered.body).samples;
}
