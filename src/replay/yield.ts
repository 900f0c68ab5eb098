/**
 * Lets the event loop run (signals, HTTP requests, timers) between slices of
 * synchronous work, without the minimum delay of `setTimeout`.
 * @module
 */

import { setImmediate } from "node:timers";

/** Resolves on the next turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
