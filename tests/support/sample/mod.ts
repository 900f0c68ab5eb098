/**
 * Deterministic sample DashStream traffic and message builders for the demo
 * producer, tests and benchmarks.
 * @module
 */

export * from "./builders.ts";
export * from "./metrics_message.ts";
export { formatUuid, Prng } from "./prng.ts";
export * from "./quality_events.ts";
export { emptyEventsRecord, zstdZeroBomb } from "./hostile.ts";
export * from "./demo_traffic.ts";
