/**
 * Token buckets by key: a budget of work per source (or one shared key) that refills at a steady
 * rate and allows a short burst. Used to bound how many password checks the HTTP server does.
 *
 * @module
 */

/** Options for {@linkcode TokenBuckets}. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Most tokens a bucket holds (the burst allowed after a quiet while). */
  burst: number;
  /** Most keys remembered; the oldest is forgotten first (a full bucket again). Default 4096. */
  maxKeys?: number;
  /** Monotonic ms clock; default performance.now. */
  now?: () => number;
}

/** Token buckets by key, bounded in the number of keys. */
export class TokenBuckets {
  readonly #options: Required<TokenBucketOptions>;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: TokenBucketOptions) {
    this.#options = { maxKeys: 4096, now: () => performance.now(), ...options };
  }

  /** True when `key`'s bucket had a token (now taken); false when it is empty. */
  take(key: string): boolean {
    const { ratePerSecond, burst, maxKeys, now } = this.#options;
    const at = now();
    const bucket = this.#buckets.get(key);
    let tokens = burst;
    if (bucket) {
      tokens = Math.min(burst, bucket.tokens + (at - bucket.at) / 1000 * ratePerSecond);
      this.#buckets.delete(key); // re-inserted last: the map's order is least recent first
    } else if (this.#buckets.size >= maxKeys) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    const ok = tokens >= 1;
    this.#buckets.set(key, { tokens: ok ? tokens - 1 : tokens, at });
    return ok;
  }
}
