/**
 * Native (exponential) histogram buckets kept beside a classic histogram series, as Prometheus
 * reads them from the protobuf exposition. Placement, resolution and the bucket limit:
 * docs/semantics.md, "Rule: native histogram buckets".
 *
 * Hot path: `observe()` finds the bucket from the float's bits (frexp-style, through one shared
 * scratch buffer) and a search over at most 2^schema precomputed bounds — no `Math.log2`, no
 * allocation. Counts live in a dense window of at most `maxBuckets` slots per sign, allocated
 * once; the window only moves (copyWithin) or, past the lowest resolution, grows.
 *
 * @module
 */

/** Lowest and highest schema Prometheus accepts. */
export const MIN_SCHEMA = -4;
/** Highest schema Prometheus accepts. */
export const MAX_SCHEMA = 8;

/** Default bucket factor (as client_golang's): each bucket at most 10 % wider than the last. */
export const DEFAULT_BUCKET_FACTOR = 1.1;
/** Default bound on populated-range buckets per series before the resolution is halved. */
export const DEFAULT_MAX_BUCKETS = 160;
/** Default zero threshold (client_golang's): exact zeros and subnormal noise only. */
export const DEFAULT_ZERO_THRESHOLD = 2 ** -128;

/** Settings of the native buckets of every histogram. */
export interface NativeHistogramSettings {
  /** Expose native buckets at all (the protobuf format only; default true). */
  enabled: boolean;
  /** Largest growth factor from one bucket to the next, > 1 (default 1.1: schema 3). */
  bucketFactor: number;
  /** Bound on the buckets a series spans before the resolution is halved (default 160). */
  maxBuckets: number;
}

/** The defaults of {@link NativeHistogramSettings}. */
export const DEFAULT_NATIVE_HISTOGRAMS: Readonly<NativeHistogramSettings> = Object.freeze({
  enabled: true,
  bucketFactor: DEFAULT_BUCKET_FACTOR,
  maxBuckets: DEFAULT_MAX_BUCKETS,
});

/** Options for {@link NativeBuckets}. */
export interface NativeBucketsOptions {
  /** Starting schema, from {@link schemaForFactor}. */
  schema: number;
  /** Bound on the buckets spanned (both signs together) before the resolution is halved. */
  maxBuckets: number;
  /** Values with |v| at or below it count in the zero bucket (default 2^-128). */
  zeroThreshold?: number;
}

/**
 * The coarsest schema whose bucket growth factor 2^(2^-schema) does not exceed `factor` (as
 * client_golang picks it): 1.1 gives schema 3, buckets about 9 % wide.
 */
export function schemaForFactor(factor: number): number {
  if (!(factor > 1) || !Number.isFinite(factor)) {
    throw new RangeError(
      `native histogram bucket factor ${factor} is invalid; pass a number above 1 (e.g. 1.1).`,
    );
  }
  for (let schema = MIN_SCHEMA; schema < MAX_SCHEMA; schema++) {
    if (2 ** (2 ** -schema) <= factor) return schema;
  }
  return MAX_SCHEMA;
}

/** Upper bound of bucket `index` at `schema`: 2^(index · 2^-schema). */
export function bucketUpperBound(schema: number, index: number): number {
  return 2 ** (index * 2 ** -schema);
}

// BOUNDS[s][i] = 2^(i/2^s) / 2 for s in 1..8: the bucket bounds of the fraction in [0.5, 1).
const BOUNDS: Float64Array[] = [];
for (let s = 1; s <= MAX_SCHEMA; s++) {
  const n = 1 << s;
  const bounds = new Float64Array(n);
  for (let i = 0; i < n; i++) bounds[i] = 2 ** (i / n) / 2;
  BOUNDS[s] = bounds;
}

// One scratch double, read back as its two 32-bit words: frexp without Math.log2.
const SCRATCH = new Float64Array(1);
const WORDS = new Uint32Array(SCRATCH.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: 1
// Results of frexp(), in module slots so the call allocates nothing.
let frac = 0;
let exp = 0;

// Splits a finite v > 0 into frac · 2^exp with frac in [0.5, 1), as C's frexp.
function frexp(v: number): void {
  SCRATCH[0] = v;
  let hi = WORDS[HI];
  let biased = (hi >>> 20) & 0x7ff;
  let shift = 0;
  if (biased === 0) { // subnormal: scale into the normal range first
    SCRATCH[0] = v * 2 ** 64;
    hi = WORDS[HI];
    biased = (hi >>> 20) & 0x7ff;
    shift = 64;
  }
  exp = biased - 1022 - shift;
  WORDS[HI] = (hi & 0x800fffff) | (1022 << 20);
  frac = SCRATCH[0];
}

/**
 * Index of the native bucket holding `magnitude` (finite, > 0) at `schema`: bucket i spans
 * (2^((i-1)·2^-schema), 2^(i·2^-schema)], upper bound inclusive, as Prometheus places values.
 */
export function bucketIndex(magnitude: number, schema: number): number {
  frexp(magnitude);
  if (schema > 0) {
    const bounds = BOUNDS[schema];
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) { // smallest i with bounds[i] >= frac
      const mid = (lo + hi) >>> 1;
      if (bounds[mid] < frac) lo = mid + 1;
      else hi = mid;
    }
    return lo + (exp - 1) * bounds.length;
  }
  let key = frac === 0.5 ? exp - 1 : exp;
  if (schema < 0) key = (key + (1 << -schema) - 1) >> -schema;
  return key;
}

/** One sign's buckets as exposed: the index of the first and the count of each from there. */
export interface NativeBucketRun {
  /** Index of `counts[0]`. */
  offset: number;
  /** Count per bucket, consecutive indices (zeros inside the run included). */
  counts: number[];
}

/** What a scrape reads of a series' native buckets (the snapshot carries it). */
export interface NativeSnapshot {
  /** Current schema (lowered from the starting one when the limit was hit). */
  schema: number;
  /** Breadth of the zero bucket. */
  zeroThreshold: number;
  /** Observations with |v| ≤ zeroThreshold. */
  zeroCount: number;
  /** Buckets of positive values. */
  positive: NativeBucketRun;
  /** Buckets of negative values (by magnitude). */
  negative: NativeBucketRun;
}

// The populated window of one sign: counts[i] is bucket base + i; [lo, hi] is populated.
class Window {
  counts: Float64Array;
  base = 0;
  lo = 1;
  hi = 0; // lo > hi: empty

  constructor(capacity: number) {
    this.counts = new Float64Array(capacity);
  }

  get span(): number {
    return this.lo > this.hi ? 0 : this.hi - this.lo + 1;
  }

  // The span once `key` is in.
  spanWith(key: number): number {
    if (this.lo > this.hi) return 1;
    return (key > this.hi ? key : this.hi) - (key < this.lo ? key : this.lo) + 1;
  }

  add(key: number): void {
    if (this.lo > this.hi) {
      // First value: centre the storage on it, the usual spread goes both ways.
      this.base = key - (this.counts.length >> 1);
      this.lo = this.hi = key;
    } else if (key < this.lo || key > this.hi) {
      const lo = key < this.lo ? key : this.lo;
      const hi = key > this.hi ? key : this.hi;
      if (lo < this.base || hi >= this.base + this.counts.length) this.#rebase(lo, hi);
      this.lo = lo;
      this.hi = hi;
    }
    this.counts[key - this.base]++;
  }

  // Moves (or, past the capacity, grows) the storage so [lo, hi] fits with slack both sides.
  #rebase(lo: number, hi: number): void {
    const old = this.counts;
    const need = hi - lo + 1;
    const size = need > old.length ? Math.max(need, old.length * 2) : old.length;
    const base = lo - ((size - need) >> 1);
    const from = this.lo - this.base;
    const length = this.hi - this.lo + 1;
    const to = this.lo - base;
    if (size !== old.length) {
      this.counts = new Float64Array(size);
      this.counts.set(old.subarray(from, from + length), to);
    } else {
      old.copyWithin(to, from, from + length);
      old.fill(0, 0, to);
      old.fill(0, to + length);
    }
    this.base = base;
  }

  // Halves the resolution: bucket k becomes ceil(k / 2), merging pairs, in place.
  halve(): void {
    if (this.lo > this.hi) return;
    const counts = this.counts;
    const newLo = (this.lo + 1) >> 1;
    for (let k = this.lo; k <= this.hi; k++) {
      const p = k - this.base;
      const v = counts[p];
      counts[p] = 0;
      counts[((k + 1) >> 1) - newLo] += v; // never after p: earlier slots only
    }
    this.base = newLo;
    this.lo = newLo;
    this.hi = (this.hi + 1) >> 1;
  }

  clear(): void {
    this.counts.fill(0);
    this.lo = 1;
    this.hi = 0;
  }

  run(): NativeBucketRun {
    if (this.lo > this.hi) return { offset: 0, counts: [] };
    const from = this.lo - this.base;
    return {
      offset: this.lo,
      counts: Array.from(this.counts.subarray(from, from + this.hi - this.lo + 1)),
    };
  }
}

/**
 * The native buckets of one histogram series: a zero bucket and one window per sign. Fed by
 * the series' own `observe()` (src/metrics/fast_metrics.ts), the one place values are observed.
 */
export class NativeBuckets {
  /** Current schema. */
  schema: number;
  /** Observations in the zero bucket. */
  zeroCount = 0;
  readonly #startSchema: number;
  readonly #maxBuckets: number;
  readonly #zeroThreshold: number;
  readonly #positive: Window;
  readonly #negative: Window;

  /** Empty buckets at `options.schema`. */
  constructor(options: NativeBucketsOptions) {
    const { schema, maxBuckets } = options;
    const zeroThreshold = options.zeroThreshold ?? DEFAULT_ZERO_THRESHOLD;
    if (!Number.isInteger(schema) || schema < MIN_SCHEMA || schema > MAX_SCHEMA) {
      throw new RangeError(`native histogram schema ${schema} is invalid; pass -4..8.`);
    }
    if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 1) {
      throw new RangeError(
        `native histogram bucket limit ${maxBuckets} is invalid; pass a whole number >= 1.`,
      );
    }
    if (!(zeroThreshold >= 0) || !Number.isFinite(zeroThreshold)) {
      throw new RangeError(`zero threshold ${zeroThreshold} is invalid; pass a number >= 0.`);
    }
    this.schema = this.#startSchema = schema;
    this.#maxBuckets = maxBuckets;
    this.#zeroThreshold = zeroThreshold;
    this.#positive = new Window(maxBuckets);
    this.#negative = new Window(maxBuckets);
  }

  /** Count a finite `value` (the caller drops NaN and ±Infinity). */
  observe(value: number): void {
    const negative = value < 0;
    const magnitude = negative ? -value : value;
    if (magnitude <= this.#zeroThreshold) {
      this.zeroCount++;
      return;
    }
    const own = negative ? this.#negative : this.#positive;
    const key = bucketIndex(magnitude, this.schema);
    // The usual case: a bucket inside the populated range.
    if (key >= own.lo && key <= own.hi) {
      own.counts[key - own.base]++;
      return;
    }
    this.#widen(own, negative ? this.#positive : this.#negative, key);
  }

  // A bucket outside the populated range: halve the resolution until the range with it fits
  // the limit (or the schema is at its lowest), then count it.
  #widen(own: Window, other: Window, key: number): void {
    while (own.spanWith(key) + other.span > this.#maxBuckets && this.schema > MIN_SCHEMA) {
      own.halve();
      other.halve();
      this.schema--;
      key = (key + 1) >> 1;
    }
    own.add(key);
  }

  /** Empty every bucket and return to the starting schema. */
  reset(): void {
    this.schema = this.#startSchema;
    this.zeroCount = 0;
    this.#positive.clear();
    this.#negative.clear();
  }

  /** The buckets as a scrape exposes them. */
  snapshot(): NativeSnapshot {
    return {
      schema: this.schema,
      zeroThreshold: this.#zeroThreshold,
      zeroCount: this.zeroCount,
      positive: this.#positive.run(),
      negative: this.#negative.run(),
    };
  }
}
