import process from "node:process";

/**
 * Silences one known-harmless warning: kafkajs 2.2.4's request queue schedules a
 * timer with a negative delay (src/network/requestQueue/index.js), which Node's
 * timers clamp to 1 ms and report as TimeoutNegativeWarning on stderr.
 * Every other warning still goes through.
 */
export function silenceKnownWarnings(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name = warning instanceof Error ? warning.name : rest[0];
    const type = typeof name === "object" && name !== null
      ? (name as { type?: string }).type
      : name;
    if (type === "TimeoutNegativeWarning") return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
