/**
 * Allocation-free counters and histograms for the hot path, registered in a prom-client
 * `Registry` and encoded by it like its own metrics.
 *
 * Why: prom-client's `observe()` and labelled `inc()` allocate, hash the label set and validate
 * labels on every call (about 70–190 ns each, most of the exporter's per-event cost). Here a
 * series is a plain object the caller keeps: `observe()` is a short bucket search and three
 * additions, `inc()` one addition.
 *
 * Contract with prom-client: its `Registry` keeps any object with `name`, `help`, `type`,
 * `aggregator`, `get()` and `reset()` (`registerMetric`), and reads it back with `get()`. `get()`
 * returns a family in the shape of prom-client's own metrics (`{ name, help, type, values }`,
 * each value `{ value, labels, metricName? }`), which is the exposition's snapshot type
 * (src/exposition/snapshot.ts; src/exposition/prom_registry.ts reads it). prom-client is pinned
 * to an exact version and the exposition tests assert exact lines, so a change to this contract
 * fails the tests rather than scrapes.
 *
 * @module
 */

import { NativeBuckets, type NativeBucketsOptions, type NativeSnapshot } from "./native_buckets.ts";

/** Label name → value of one series. */
export type SeriesLabels = Readonly<Record<string, string>>;

/**
 * The registry a fast metric registers into: a prom-client `Registry` is one (it keeps any
 * object with the collector members, see the module doc).
 */
export interface MetricRegistry {
  /** Adds `metric`; throws when another metric of that name is registered. */
  registerMetric(metric: { get(): Promise<unknown>; reset(): void }): void;
}

/** Options shared by {@link FastCounter} and {@link FastHistogram}. */
export interface FastMetricOptions {
  /** Metric name. */
  name: string;
  /** HELP text. */
  help: string;
  /** Label names (default none). */
  labelNames?: readonly string[];
  /** Registry to register into. */
  registry: MetricRegistry;
}

/** Options for {@link FastHistogram}. */
export interface FastHistogramOptions extends FastMetricOptions {
  /** Finite, strictly increasing upper bounds; `+Inf` is implicit. */
  buckets: readonly number[];
  /** Native buckets beside the classic ones (default none; see native_buckets.ts). */
  native?: NativeBucketsOptions;
}

function labelsOf(labelNames: readonly string[], values: readonly string[], name: string) {
  if (values.length !== labelNames.length) {
    throw new TypeError(
      `${name} takes ${labelNames.length} label value(s) (${labelNames.join(", ")}), got ` +
        `${values.length}: ${JSON.stringify(values)}; pass one value per label name.`,
    );
  }
  const labels: Record<string, string> = {};
  for (let i = 0; i < labelNames.length; i++) labels[labelNames[i]] = values[i];
  return Object.freeze(labels);
}

// Label values are joined with a separator that cannot occur in UTF-16 text from producers.
const KEY_SEPARATOR = "\u0000";

/** One counter series. */
export class CounterSeries {
  /** Current value. */
  value = 0;
  /** Whether the series is exposed (after its first `inc()` or `zero()`). */
  visible = false;
  /** Labels of the series. */
  readonly labels: SeriesLabels;

  /** Create a hidden series at 0. */
  constructor(labels: SeriesLabels) {
    this.labels = labels;
  }

  /** Add 1. */
  inc(): void {
    this.value++;
    this.visible = true;
  }

  /** Add `amount` (the caller keeps it finite and not negative). */
  add(amount: number): void {
    this.value += amount;
    this.visible = true;
  }
}

/** One histogram series. */
export class HistogramSeries {
  /** Non-cumulative count per bucket; the last slot is the `+Inf` overflow. */
  readonly counts: Float64Array;
  /** Sum of observations. */
  sum = 0;
  /** Number of observations. */
  count = 0;
  /** Whether the series is exposed (after its first observation or `zero()`). */
  visible = false;
  /** Labels of the series. */
  readonly labels: SeriesLabels;
  /** Native buckets fed by the same observations, when the histogram has them. */
  readonly native: NativeBuckets | undefined;
  // A typed copy: the scan below then reads plain doubles, whatever array the caller gave.
  readonly #bounds: Float64Array;

  /** Create a hidden, empty series over `bounds` (with native buckets when `native` is given). */
  constructor(labels: SeriesLabels, bounds: readonly number[], native?: NativeBucketsOptions) {
    this.labels = labels;
    this.#bounds = Float64Array.from(bounds);
    this.counts = new Float64Array(bounds.length + 1);
    this.native = native === undefined ? undefined : new NativeBuckets(native);
  }

  /** Observe `value`; non-finite values are ignored (they would poison `_sum` for good). */
  observe(value: number): void {
    if (value - value !== 0) return; // NaN or ±Infinity
    const bounds = this.#bounds;
    const n = bounds.length;
    let i = 0;
    while (i < n && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
    this.visible = true;
    // The one observe path: native buckets count exactly what the classic ones count.
    if (this.native !== undefined) this.native.observe(value);
  }
}

abstract class FastMetric<S extends { visible: boolean; readonly labels: SeriesLabels }> {
  /** Metric name. */
  readonly name: string;
  /** HELP text. */
  readonly help: string;
  /** Cluster aggregation, as prom-client metrics carry it. */
  readonly aggregator = "sum" as const;
  /** Label names. */
  readonly labelNames: readonly string[];
  protected readonly series: S[] = [];
  readonly #byKey = new Map<string, S>();

  constructor(options: FastMetricOptions) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = Object.freeze([...(options.labelNames ?? [])]);
    options.registry.registerMetric(this);
  }

  /** Metric type. */
  abstract readonly type: "counter" | "histogram";

  protected abstract create(labels: SeriesLabels): S;

  /** The family the registry reads (see the module doc), sampling every visible series. */
  abstract get(): Promise<unknown>;

  /** Empty every series (series stay exposed). */
  abstract reset(): void;

  protected family<V>(values: V[]) {
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }

  /** The series for these label values (one per label name), created hidden on first use. */
  labels(...values: string[]): S {
    const key = values.join(KEY_SEPARATOR);
    let series = this.#byKey.get(key);
    if (series === undefined) {
      series = this.create(labelsOf(this.labelNames, values, this.name));
      this.#byKey.set(key, series);
      this.series.push(series);
    }
    return series;
  }

  /** Expose the series for these label values at 0 before anything is recorded in it. */
  zero(...values: string[]): S {
    const series = this.labels(...values);
    series.visible = true;
    return series;
  }
}

/** A counter whose series are {@link CounterSeries}. */
export class FastCounter extends FastMetric<CounterSeries> {
  /** Metric type. */
  readonly type = "counter" as const;

  /** Create and register the counter; an unlabelled one is exposed at 0 at once. */
  constructor(options: FastMetricOptions) {
    super(options);
    if (this.labelNames.length === 0) this.zero();
  }

  protected create(labels: SeriesLabels): CounterSeries {
    return new CounterSeries(labels);
  }

  /** The family the registry reads: one sample per visible series. */
  get() {
    const visible = this.series.filter((s) => s.visible);
    return this.family(visible.map((s) => ({ value: s.value, labels: { ...s.labels } })));
  }

  /** Set every series to 0 (series stay exposed). */
  reset(): void {
    for (const s of this.series) s.value = 0;
  }
}

function checkHistogramOptions(options: FastHistogramOptions): FastHistogramOptions {
  const bounds = options.buckets;
  for (let i = 0; i < bounds.length; i++) {
    if (!Number.isFinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1]))) {
      throw new RangeError(
        `${options.name} buckets [${bounds.join(",")}] are invalid; pass finite, strictly ` +
          `increasing bounds.`,
      );
    }
  }
  if (options.labelNames?.includes("le")) {
    throw new TypeError(`${options.name}: label "le" is reserved for histogram bounds; rename it.`);
  }
  return options;
}

/** A histogram whose series are {@link HistogramSeries}. */
export class FastHistogram extends FastMetric<HistogramSeries> {
  /** Metric type. */
  readonly type = "histogram" as const;
  /** Upper bounds, without `+Inf`. */
  readonly buckets: readonly number[];
  readonly #bucketName: string;
  readonly #sumName: string;
  readonly #countName: string;
  readonly #native: NativeBucketsOptions | undefined;

  /** Create and register the histogram; an unlabelled one is exposed at 0 at once. */
  constructor(options: FastHistogramOptions) {
    // Validated before super() registers the metric, so a bad one is never left registered.
    super(checkHistogramOptions(options));
    this.buckets = Object.freeze([...options.buckets]);
    this.#native = options.native;
    this.#bucketName = `${this.name}_bucket`;
    this.#sumName = `${this.name}_sum`;
    this.#countName = `${this.name}_count`;
    if (this.labelNames.length === 0) this.zero();
  }

  protected create(labels: SeriesLabels): HistogramSeries {
    return new HistogramSeries(labels, this.buckets, this.#native);
  }

  /**
   * The family the registry reads: per visible series, its cumulative buckets (`le` first, then
   * the series labels, as prom-client's own histogram), `_sum` and `_count`. With native
   * buckets, the family also carries `native`: one entry per visible series, in series order
   * (only the protobuf encoder reads it; the text formats stay as they are).
   */
  get() {
    const values = [];
    const native: NativeSnapshot[] = [];
    const bounds = this.buckets;
    for (const s of this.series) {
      if (!s.visible) continue;
      if (s.native !== undefined) native.push(s.native.snapshot());
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += s.counts[i];
        values.push(this.#sample(cumulative, this.#bucketName, { le: bounds[i], ...s.labels }));
      }
      values.push(this.#sample(s.count, this.#bucketName, { le: "+Inf", ...s.labels }));
      values.push(this.#sample(s.sum, this.#sumName, { ...s.labels }));
      values.push(this.#sample(s.count, this.#countName, { ...s.labels }));
    }
    const family = this.family(values);
    return this.#native === undefined ? family : family.then((f) => ({ ...f, native }));
  }

  /** Empty every series (series stay exposed). */
  reset(): void {
    for (const s of this.series) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
      s.native?.reset();
    }
  }

  #sample(value: number, metricName: string, labels: Record<string, string | number>) {
    return { value, labels, metricName };
  }
}
