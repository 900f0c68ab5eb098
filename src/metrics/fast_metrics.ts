/**
 * Allocation-free counters and histograms for the hot path, registered in a prom-client
 * `Registry` and encoded by it like its own metrics.
 *
 * Why: prom-client's `observe()` and labelled `inc()` allocate, hash the label set and validate
 * labels on every call (about 70–190 ns each, most of the exporter's per-event cost). Here a
 * series is a plain object the caller keeps: `observe()` is a short bucket search and three
 * additions, `inc()` one addition.
 *
 * Contract with prom-client: the registry keeps any object with `name`, `help`, `type`,
 * `aggregator`, `get()` and `reset()` (`registerMetric`), renders 0.0.4 text from
 * `getForPromString()` or `get()`, and `getMetricsAsJSON()` returns `get()`. The values have the
 * shape prom-client's own metrics produce (`{ value, labels, metricName, sharedLabels }`).
 * prom-client is pinned to an exact version and the exposition tests assert exact lines, so a
 * change to this contract fails the tests rather than scrapes.
 *
 * @module
 */

import type { Metric, Registry } from "prom-client";

/** Label name → value of one series. */
export type SeriesLabels = Readonly<Record<string, string>>;

/** Options shared by {@link FastCounter} and {@link FastHistogram}. */
export interface FastMetricOptions {
  /** Metric name. */
  name: string;
  /** HELP text. */
  help: string;
  /** Label names (default none). */
  labelNames?: readonly string[];
  /** Registry to register into. */
  registry: Registry;
}

/** Options for {@link FastHistogram}. */
export interface FastHistogramOptions extends FastMetricOptions {
  /** Finite, strictly increasing upper bounds; `+Inf` is implicit. */
  buckets: readonly number[];
}

/** A sample as prom-client's registry reads it. */
export interface FastSample {
  /** Sample value. */
  value: number;
  /** Labels of this sample only (e.g. `le`), or all labels in `get()`. */
  labels: Record<string, string | number>;
  /** Sample name when it is not the metric name. */
  metricName?: string;
  /** Series labels, shared by the samples of one histogram series (text encoding only). */
  sharedLabels?: SeriesLabels;
}

/** A metric snapshot as prom-client's registry reads it. */
export interface FastSnapshot {
  /** Metric name. */
  name: string;
  /** HELP text. */
  help: string;
  /** Metric type. */
  type: "counter" | "histogram";
  /** Cluster aggregation, as prom-client metrics carry it. */
  aggregator: "sum";
  /** Samples. */
  values: FastSample[];
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
  // A typed copy: the scan below then reads plain doubles, whatever array the caller gave.
  readonly #bounds: Float64Array;

  /** Create a hidden, empty series over `bounds`. */
  constructor(labels: SeriesLabels, bounds: readonly number[]) {
    this.labels = labels;
    this.#bounds = Float64Array.from(bounds);
    this.counts = new Float64Array(bounds.length + 1);
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
    // The registry only needs the collector shape documented above.
    options.registry.registerMetric(this as unknown as Metric);
  }

  protected abstract create(labels: SeriesLabels): S;

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

  /** Snapshot for the registry. */
  get(): Promise<FastSnapshot> {
    const values: FastSample[] = [];
    for (const s of this.series) {
      if (s.visible) values.push({ value: s.value, labels: { ...s.labels } });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
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

  /** Create and register the histogram; an unlabelled one is exposed at 0 at once. */
  constructor(options: FastHistogramOptions) {
    // Validated before super() registers the metric, so a bad one is never left registered.
    super(checkHistogramOptions(options));
    this.buckets = Object.freeze([...options.buckets]);
    this.#bucketName = `${this.name}_bucket`;
    this.#sumName = `${this.name}_sum`;
    this.#countName = `${this.name}_count`;
    if (this.labelNames.length === 0) this.zero();
  }

  protected create(labels: SeriesLabels): HistogramSeries {
    return new HistogramSeries(labels, this.buckets);
  }

  /** Snapshot for prom-client's text encoder: bucket labels apart from the series labels. */
  getForPromString(): Promise<FastSnapshot> {
    return Promise.resolve(this.#snapshot(false));
  }

  /** Snapshot with each sample's full label set (`getMetricsAsJSON()`). */
  get(): Promise<FastSnapshot> {
    return Promise.resolve(this.#snapshot(true));
  }

  /** Empty every series (series stay exposed). */
  reset(): void {
    for (const s of this.series) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }

  #snapshot(mergeLabels: boolean): FastSnapshot {
    const values: FastSample[] = [];
    const bounds = this.buckets;
    for (const s of this.series) {
      if (!s.visible) continue;
      // Text encoding takes the series labels as shared labels (formatted once per series);
      // JSON gets each sample's full label set, like prom-client's own get().
      const push = (value: number, metricName: string, extra?: Record<string, string | number>) =>
        values.push(
          mergeLabels
            ? { value, labels: { ...extra, ...s.labels }, metricName }
            : { value, labels: { ...extra }, metricName, sharedLabels: s.labels },
        );
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += s.counts[i];
        push(cumulative, this.#bucketName, { le: bounds[i] });
      }
      push(s.count, this.#bucketName, { le: "+Inf" });
      push(s.sum, this.#sumName);
      push(s.count, this.#countName);
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }
}
