/**
 * Test support: a metrics core on test clocks, for the metrics and exposition tests.
 *
 * @module
 */

import { type MetricsConfig, readMetricsConfig } from "../../src/metrics/buckets.ts";
import { MetricsCore, type MetricsCoreOptions } from "../../src/metrics/core.ts";

/** Where {@link newTestCore}'s wall clock starts, in Unix ms. */
export const TEST_T0 = 1_700_000_000_000;

/**
 * A core for tests: its wall clock reads `clock.now` (starting at {@link TEST_T0}; move it to
 * let time pass) and its monotonic clock stays at 0.
 */
export function newTestCore(
  options: Partial<MetricsCoreOptions> = {},
): { core: MetricsCore; clock: { now: number } } {
  const clock = { now: TEST_T0 };
  const core = new MetricsCore({
    buildInfo: {
      version: "1.2.3",
      commit: "abc123",
      buildDate: "2025-01-02",
      runtime: "deno 2.9.6",
    },
    clock: () => clock.now,
    monotonicClock: () => 0,
    ...options,
  });
  return { core, clock };
}

/** {@linkcode readMetricsConfig} of `env`, and the warnings it gave (one per rejected value). */
export function readMetricsConfigWarnings(
  env: Readonly<Record<string, string>>,
): { config: MetricsConfig; warnings: string[] } {
  const warnings: string[] = [];
  const config = readMetricsConfig(env, { warn: (m) => warnings.push(m) });
  return { config, warnings };
}
