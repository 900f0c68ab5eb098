/**
 * Rates over the last minute from two monotonic counters, sampled into a small ring buffer:
 * for the landing page, not for Prometheus (which computes its own rates from the counters).
 *
 * @module
 */

/** Counter values at one moment. */
export interface Counts {
  received: number;
  failed: number;
}

/** What {@linkcode RollingWindow.over} returns. */
export interface WindowRates {
  /** Records received per second over the window (or since the first sample, if younger). */
  ratePerSecond: number;
  /** Records failed within the window. */
  failures: number;
  /** How far back the comparison reaches, in ms (less than the window while it fills). */
  spanMs: number;
}

/** Options for {@linkcode RollingWindow}. */
export interface RollingWindowOptions {
  /** The window's length (default 60 000 ms). */
  windowMs?: number;
  /** How often the owner calls {@linkcode RollingWindow.sample} (default 5 000 ms). */
  intervalMs?: number;
}

interface Sample extends Counts {
  atMs: number;
}

/**
 * A ring of counter samples one interval apart, just long enough to reach one window back.
 * The owner samples on a timer; a read compares the current counts with the oldest sample
 * still inside the window, so a read between samples is exact up to one interval.
 */
export class RollingWindow {
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #ring: (Sample | undefined)[];
  #next = 0;

  /** Starts with a sample of `initial` at `now()`. */
  constructor(now: () => number, initial: Counts, options: RollingWindowOptions = {}) {
    this.#now = now;
    this.#windowMs = options.windowMs ?? 60_000;
    const intervalMs = options.intervalMs ?? 5_000;
    // One slot more than the window holds, so the oldest kept sample is a full window old.
    this.#ring = new Array(Math.ceil(this.#windowMs / intervalMs) + 1).fill(undefined);
    this.sample(initial);
  }

  /** Records the counters' values now, overwriting the oldest sample. */
  sample(counts: Counts): void {
    this.#ring[this.#next] = {
      atMs: this.#now(),
      received: counts.received,
      failed: counts.failed,
    };
    this.#next = (this.#next + 1) % this.#ring.length;
  }

  /** Rates between the oldest sample inside the window and `current`. */
  over(current: Counts): WindowRates {
    const nowMs = this.#now();
    let base: Sample | undefined;
    for (const s of this.#ring) {
      if (s === undefined || nowMs - s.atMs > this.#windowMs) continue;
      if (base === undefined || s.atMs < base.atMs) base = s;
    }
    if (base === undefined) return { ratePerSecond: 0, failures: 0, spanMs: 0 };
    const spanMs = nowMs - base.atMs;
    // Counters never go down; a smaller value means a reset, which counts from zero.
    const received = Math.max(0, current.received - base.received);
    const failures = Math.max(0, current.failed - base.failed);
    return { ratePerSecond: spanMs > 0 ? received / (spanMs / 1000) : 0, failures, spanMs };
  }
}
