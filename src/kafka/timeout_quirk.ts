/**
 * Works around a kafkajs 2.2.4 bug in its request queue (src/network/requestQueue/index.js,
 * `scheduleCheckPendingRequests`): while not throttled it schedules a timer with the negative
 * delay `throttledUntil - Date.now()` (`throttledUntil` is -1). Timers clamp that to 1 ms
 * anyway, but report it as a TimeoutNegativeWarning on stderr once per process (Bun prints it
 * without going through `process.emitWarning`, so it cannot be filtered there).
 *
 * The fix stays inside kafkajs: its queue's method is replaced by the same steps with the delay
 * clamped to 0. The global `setTimeout` is left alone.
 * @module
 */
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

/** kafkajs' poll interval while requests wait (CHECK_PENDING_REQUESTS_INTERVAL there). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The fields of kafkajs' RequestQueue the method reads and writes. */
interface QueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

let installed = false;

/**
 * Makes every kafkajs request queue of the process schedule its pending-request check with a
 * delay of at least 0. Idempotent; called by createKafka.
 */
export function clampNegativeTimeouts(): void {
  if (installed) return;
  installed = true;
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}

/**
 * kafkajs' `scheduleCheckPendingRequests`, step for step, with the delay clamped to 0: when
 * throttled, check once the throttle ends; else, with requests waiting, check after the poll
 * interval; one timer at a time.
 */
export function scheduleCheckPendingRequests(this: QueueState): void {
  if (this.throttleCheckTimeoutId) return;
  let delay = this.throttledUntil - Date.now();
  if (this.pending.length > 0 && delay <= 0) delay = CHECK_PENDING_REQUESTS_INTERVAL_MS;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, Math.max(0, delay));
}
