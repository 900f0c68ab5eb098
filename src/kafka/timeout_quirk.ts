let installed = false;

/**
 * Works around a kafkajs 2.2.4 bug: its request queue schedules a timer with a
 * negative delay (`throttledUntil - Date.now()` while not throttled, see
 * src/network/requestQueue/index.js), which timers clamp to 1 ms anyway but
 * report as a TimeoutNegativeWarning on stderr, once per process. Clamping
 * negative delays to 0 keeps the behaviour and drops the noise on both runtimes
 * (Bun prints the warning without going through process.emitWarning).
 * Installed once per process, by createKafka.
 */
export function clampNegativeTimeouts(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.setTimeout as (...args: unknown[]) => unknown;
  const wrapper = (handler: unknown, timeout?: unknown, ...args: unknown[]) =>
    original(handler, typeof timeout === "number" && timeout < 0 ? 0 : timeout, ...args);
  globalThis.setTimeout = Object.assign(wrapper, original) as unknown as typeof setTimeout;
}
