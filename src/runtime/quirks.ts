/**
 * Works around a kafkajs 2.2.4 bug: its request queue schedules a timer with a
 * negative delay (`throttledUntil - Date.now()` while not throttled, see
 * src/network/requestQueue/index.js), which timers clamp to 1 ms anyway but
 * report as a TimeoutNegativeWarning on stderr, once per process. Clamping
 * negative delays to 0 here keeps the behaviour and drops the noise on both
 * runtimes (Bun prints the warning without going through process.emitWarning).
 */
export function clampNegativeTimeouts(): void {
  const original = globalThis.setTimeout as (...args: unknown[]) => unknown;
  const clamped = (handler: unknown, timeout?: unknown, ...args: unknown[]) =>
    original(handler, typeof timeout === "number" && timeout < 0 ? 0 : timeout, ...args);
  globalThis.setTimeout = Object.assign(clamped, original) as unknown as typeof setTimeout;
}
