/**
 * The one place that relies on prom-client's internals, and the only exposition file that
 * imports prom-client: reading a registry into a {@link Snapshot}. `getMetricsAsJSON()` calls every registered collector's `get()` (prom-client's
 * own metrics and the fast metrics of src/metrics alike) and returns the values with their
 * `metricName`, which prom-client's declared types leave out. prom-client is pinned to an exact
 * version and the exposition tests compare against its own encoder, so a change here fails the
 * tests rather than scrapes.
 *
 * @module
 */

import type { Registry } from "prom-client";
import type { Snapshot } from "./snapshot.ts";

/** prom-client's registry type, for the other exposition files (they import it from here). */
export type { Registry };

/** Reads every family of `registry`, in registration order (a registry without default labels). */
export async function readSnapshot(registry: Registry): Promise<Snapshot> {
  // Runtime values carry metricName (bucket/sum/count) beyond prom-client's declared type.
  return await registry.getMetricsAsJSON() as unknown as Snapshot;
}
