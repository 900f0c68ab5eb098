/**
 * `--rate N`: records go out at N per second on average, scheduled against
 * the start time (record i is due at start + i/N), so waits never add up to
 * drift and a slow stretch is caught up afterwards.
 * @module
 */

/** Options for {@linkcode Pacer}. */
export interface PacerOptions {
  /** Monotonic ms clock (default `performance.now`). */
  now?: () => number;
}

/** Schedules records at a fixed rate from the moment it is created. */
export class Pacer {
  /** Records per second. */
  readonly perSecond: number;
  readonly #now: () => number;
  readonly #startMs: number;

  /** Starts the schedule now; `perSecond` must be positive. */
  constructor(perSecond: number, options: PacerOptions = {}) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
      throw new RangeError(`Pacer perSecond=${perSecond} is invalid; pass a positive number`);
    }
    this.perSecond = perSecond;
    this.#now = options.now ?? (() => performance.now());
    this.#startMs = this.#now();
  }

  /** How many records are due by now, in total since the start (at least 1). */
  due(): number {
    return Math.floor(((this.#now() - this.#startMs) * this.perSecond) / 1000) + 1;
  }

  /** Ms to wait until the record with 0-based number `n` is due (0 when it already is). */
  waitMs(n: number): number {
    const dueMs = this.#startMs + (n * 1000) / this.perSecond;
    return Math.max(0, dueMs - this.#now());
  }
}
