/**
 * Replay's clock: event time, so the same input always gives the same
 * metrics, whenever and however fast it is replayed.
 * @module
 */

import type { InputRecord } from "./record.ts";
import type { RecordHeader } from "./record_header.ts";

/**
 * A clock that only moves forward, to the latest event time seen, the way a
 * live exporter's wall clock only moves forward while records arrive out of
 * order. Hand {@linkcode read} to the metrics core.
 */
export class EventClock {
  #nowMs: number;

  /** Starts at `startMs` (Unix ms). */
  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  /** The time now, Unix ms. */
  get nowMs(): number {
    return this.#nowMs;
  }

  /** Moves to `ms` when it is later; an earlier time or NaN leaves the clock where it is. */
  advance(ms: number): void {
    if (ms > this.#nowMs) this.#nowMs = ms;
  }

  /** The clock as a function, for `MetricsCore`'s `clock` option. */
  readonly read = (): number => this.#nowMs;
}

/**
 * A record's event time in Unix ms: its header timestamp (`header` must have
 * peeked `record`), else the Kafka record timestamp the input recorded, else
 * NaN (the clock then stays where it was).
 */
export function eventTimeMs(header: RecordHeader, record: InputRecord): number {
  const headerMs = header.timeMs;
  if (headerMs === headerMs) return headerMs; // not NaN
  const recordMs = record.timestampMs;
  return recordMs !== undefined && recordMs > 0 ? recordMs : NaN;
}
