/**
 * Keeps a process's resident memory near a target by collecting garbage early.
 *
 * Why: both engines size their heaps from the machine's RAM, not from a container's limit.
 * Draining a backlog, `serve` makes garbage at tens of MB/s, and on a 24 GiB host the engine
 * lets it pile up well past a 256 MiB limit's comfort before collecting (Bun's resident set
 * reached 270–317 MB unconstrained). A full collection of our live data (a few MB: the
 * metrics core, the session tracker, one fetch) takes milliseconds, so collecting when the
 * resident set first passes the target costs far less than the kernel reclaiming pages
 * under the limit, or the OOM killer.
 * @module
 */

/** Options for {@linkcode MemoryGovernor}. */
export interface MemoryGovernorOptions {
  /** Resident bytes the process aims to stay under; `Infinity`: no collection while working. */
  targetBytes: number;
  /**
   * Resident bytes above which the end of the work collects ({@linkcode MemoryGovernor.idle}).
   * Default half the target; 0 collects after every burst of work.
   */
  idleBytes?: number;
  /** The process's resident set in bytes. */
  residentBytes: () => number;
  /**
   * A full collection; `idle` when the work has stopped (the engine may then also give spare
   * memory back). False if the engine has none (the governor then does nothing).
   */
  collectGarbage: (options: { idle: boolean }) => boolean;
  /** Milliseconds; a clock that steps back does not hold collections off. */
  now: () => number;
  /**
   * Least time between two collections, so a target below what the process needs alive
   * cannot turn into a collection per check. Default 1,000 ms.
   */
  minIntervalMs?: number;
}

/** Counts of what a {@linkcode MemoryGovernor} did, for logs and tests. */
export interface MemoryGovernorStats {
  checks: number;
  collections: number;
}

/**
 * Call {@linkcode check} after each unit of work (a fetched batch): it collects garbage when
 * the resident set is over the target, at most once per `minIntervalMs`. Call
 * {@linkcode idle} now and then (a timer): once work stops after some was done, it collects
 * once, so what a burst left behind is given back instead of held until the next burst.
 */
export class MemoryGovernor {
  readonly #options: Required<Omit<MemoryGovernorOptions, "idleBytes">>;
  readonly #idleBytes: number;
  #lastCollection = -Infinity;
  #enabled = true;
  #workSinceIdle = false;
  #working = false;
  readonly stats: MemoryGovernorStats = { checks: 0, collections: 0 };

  constructor(options: MemoryGovernorOptions) {
    this.#options = { minIntervalMs: 1_000, ...options };
    this.#idleBytes = options.idleBytes ?? options.targetBytes / 2;
  }

  /** Collects if over the target and not collected within the interval. */
  check(): void {
    if (!this.#enabled) return;
    this.stats.checks++;
    this.#workSinceIdle = true;
    const { residentBytes, targetBytes, now, minIntervalMs, collectGarbage } = this.#options;
    if (targetBytes === Infinity || residentBytes() <= targetBytes) return;
    const at = now();
    const since = at - this.#lastCollection;
    if (since >= 0 && since < minIntervalMs) return;
    this.#lastCollection = at;
    this.#enabled = collectGarbage({ idle: false });
    if (this.#enabled) this.stats.collections++;
  }

  /**
   * Collects once when the period that just ended saw no work but the one before did (the
   * caller's period is the idle time that counts), if the resident set is over `idleBytes`
   * (half the target by default): a quiet topic with a small heap is left alone.
   */
  idle(): void {
    if (!this.#enabled) return;
    const wasWorking = this.#working;
    this.#working = this.#workSinceIdle;
    this.#workSinceIdle = false;
    if (!wasWorking || this.#working) return;
    if (this.#options.residentBytes() <= this.#idleBytes) return;
    this.#lastCollection = this.#options.now();
    this.#enabled = this.#options.collectGarbage({ idle: true });
    if (this.#enabled) this.stats.collections++;
  }
}
