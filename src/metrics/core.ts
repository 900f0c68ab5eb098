/**
 * `MetricsCore`: owns the exporter's prom-client registry and applies the rules of
 * docs/semantics.md ("Rule: event updates") to decoded messages. Every mode (serve, replay, check) uses it.
 *
 * Pure: no I/O, no globals; time comes from injected clocks.
 *
 * @module
 */

import { Gauge, Registry } from "prom-client";
import type { DashStreamMessage } from "../gen/dashstream_pb.ts";
import { type BucketConfig, defaultBuckets } from "./buckets.ts";
import {
  ADDED_FAILURE_TYPES,
  type BucketKey,
  CATEGORIES,
  DEFAULT_SESSION_TIMEOUT_SECS,
  FAILURE_TYPES,
  GUARD_METRICS,
  METRICS,
  type MetricSpec,
  NATIVE_ZERO_THRESHOLDS,
} from "./catalog.ts";
import { normalizeCategory } from "./category.ts";
import {
  type CounterSeries,
  FastCounter,
  FastHistogram,
  type HistogramSeries,
} from "./fast_metrics.ts";
import {
  DEFAULT_NATIVE_HISTOGRAMS,
  type NativeHistogramSettings,
  schemaForFactor,
} from "./native_buckets.ts";
import { ModelNormalizer, PRECREATED_MODELS } from "./normalize_model.ts";
import { isLibrarian } from "../event/librarian.ts";
import { classify, type QualityEvent } from "../event/quality_event.ts";
import { DEFAULT_MAX_SESSIONS, SessionTracker } from "./session_tracker.ts";
import { CAPPED_FIELDS, type CappedField, capValue } from "./value_cap.ts";
import {
  MAX_LATENCY_MS,
  MAX_RETRY_COUNT,
  MAX_TURN_NUMBER,
  RANGED_FIELDS,
  type RangedField,
  scoreInRange,
} from "./value_range.ts";

/** Labels of `dashflow_build_info`. */
export interface BuildInfo {
  /** Exporter version, e.g. "0.1.0". */
  version: string;
  /** Source commit. */
  commit: string;
  /** Build date. */
  buildDate: string;
  /** Runtime and its version, e.g. "deno 2.9.6"; exposed as label `rust_version`. */
  runtime: string;
}

/** Options for {@link MetricsCore}. */
export interface MetricsCoreOptions {
  /** Labels of `dashflow_build_info`. */
  buildInfo: BuildInfo;
  /** Wall clock in Unix ms, for timestamps and session idleness (default `Date.now`). */
  clock?: () => number;
  /** Monotonic ms clock for measuring encode time (default `performance.now`). */
  monotonicClock?: () => number;
  /** Histogram bounds; missing sets use the defaults. See `readMetricsConfig()`. */
  buckets?: Partial<BucketConfig>;
  /** Session idle timeout in seconds (default 300). */
  sessionTimeoutSecs?: number;
  /** Native buckets of every histogram (default on, factor 1.1, 160 buckets). */
  nativeHistograms?: Partial<NativeHistogramSettings>;
  /** Bound on tracked sessions (default 100000). */
  maxSessions?: number;
  /** Registry to register into (default: a new one; never the global registry). */
  registry?: Registry;
  /**
   * Lets queued I/O run during a long render (default: a `setTimeout(0)` macrotask).
   * A render yields after every ~5 ms of work, so even a multi-megabyte exposition
   * never holds up Kafka consumption for long.
   */
  yieldToEventLoop?: () => Promise<void>;
}

/** `error_type` of `dashstream_exporter_messages_failed_total`. */
export type FailureType =
  | (typeof FAILURE_TYPES)[number]
  | (typeof ADDED_FAILURE_TYPES)[number];

// Every error_type, in pre-creation (exposition) order.
const ALL_FAILURE_TYPES: readonly FailureType[] = [...FAILURE_TYPES, ...ADDED_FAILURE_TYPES];

/** What {@link MetricsCore.applyMessage} did with a message. */
export type ApplyOutcome = "ignored" | "wrong_scope" | "applied";

/** A bad {@link MetricsCoreOptions} value. */
export class MetricsConfigError extends Error {
  /** Create the error. */
  constructor(message: string) {
    super(message);
    this.name = "MetricsConfigError";
  }
}

// Inline expiry runs at most this often (clock ms), so the hot path pays one comparison.
const EXPIRY_CHECK_INTERVAL_MS = 1000;
// Model strings (capped: "Rule: value length cap") remembered with their series; cleared when
// full, like ModelNormalizer.
const MODEL_CACHE_ENTRIES = 1024;

/** The `_sum_total`/`_count_total` counters beside a last-value gauge. */
interface MeanSeries {
  readonly sum: CounterSeries;
  readonly count: CounterSeries;
}

/** Counts a score into its pair (the caller checked its range: see "Rule: value ranges"). */
function observeMean(series: MeanSeries, value: number): void {
  series.sum.add(value);
  series.count.inc();
}

interface ModelSeries {
  readonly score: HistogramSeries;
  readonly latency: HistogramSeries;
  readonly queries: CounterSeries;
}

function checkBuckets(key: BucketKey, bounds: readonly number[]): number[] {
  for (let i = 0; i < bounds.length; i++) {
    if (!Number.isFinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1]))) {
      throw new MetricsConfigError(
        `buckets.${key}=[${bounds.join(",")}] is invalid: bounds must be finite and strictly ` +
          `increasing; build them with parseBuckets()/readMetricsConfig().`,
      );
    }
  }
  // Empty: the +Inf bucket only (the original's reading of a list that is just `inf`).
  return [...bounds];
}

/**
 * The exporter's metrics: a prom-client registry with the whole catalog registered, pre-created
 * series at 0, and methods that apply quality events and operational counts to it.
 *
 * Hot-path design: every series an event can touch is created once and kept in a field, and
 * counters and histograms are allocation-free `fast_metrics.ts` series; the last-value gauges
 * (scores, timestamps, librarian iterations) are plain fields copied into prom-client gauges when
 * a scrape collects them; the model label costs one bounded Map lookup per event.
 */
export class MetricsCore {
  /** The registry holding every exporter metric. */
  readonly registry: Registry;
  /** Effective histogram bounds. */
  readonly buckets: Readonly<BucketConfig>;
  /** Effective session idle timeout in seconds. */
  readonly sessionTimeoutSecs: number;
  /** Effective native histogram settings. */
  readonly nativeHistograms: Readonly<NativeHistogramSettings>;

  /** Monotonic ms clock the exposition measures encode time with. */
  readonly monotonicClock: () => number;
  /** Lets queued I/O run during a long render (see src/exposition/render.ts). */
  readonly yieldToEventLoop: () => Promise<void>;

  readonly #clock: () => number;
  readonly #sessions: SessionTracker;
  readonly #models = new ModelNormalizer();
  readonly #seriesByModel = new Map<string, ModelSeries>();
  readonly #seriesByRaw = new Map<string, ModelSeries>();
  #nextExpiryMs = -Infinity;

  // Last-value gauges, published by collect() hooks.
  #qualityScore = 0;
  #accuracy = 0;
  #relevance = 0;
  #completeness = 0;
  #lastEventSecs = 0;
  #gaugesUpdateSecs = 0;
  #librarianIterations = 0;

  readonly #qualityScoreMean: MeanSeries;
  readonly #accuracyMean: MeanSeries;
  readonly #relevanceMean: MeanSeries;
  readonly #completenessMean: MeanSeries;
  readonly #queriesTotal: CounterSeries;
  readonly #queriesPassed: CounterSeries;
  readonly #failedByCategory: Readonly<Record<string, CounterSeries>>;
  readonly #latency: HistogramSeries;
  readonly #retryPassed: HistogramSeries;
  readonly #retryFailed: HistogramSeries;
  readonly #scoreByModel: FastHistogram;
  readonly #queriesByModel: FastCounter;
  readonly #latencyByModel: FastHistogram;
  readonly #turnsBySession: HistogramSeries;
  readonly #librarianRequests: CounterSeries;
  readonly #librarianPassed: CounterSeries;
  readonly #librarianFailed: CounterSeries;
  readonly #librarianDuration: HistogramSeries;
  readonly #endpointDuration: HistogramSeries;
  readonly #received: CounterSeries;
  readonly #failedByType: Readonly<Record<FailureType, CounterSeries>>;
  readonly #consumerErrors: CounterSeries;
  readonly #offsetStoreErrors: CounterSeries;
  readonly #wrongScope: CounterSeries;
  readonly #missingHeader: CounterSeries;
  readonly #consumerLag: Gauge;
  readonly #payloadMissing: CounterSeries;
  readonly #truncated: Readonly<Record<CappedField, CounterSeries>>;
  readonly #rejected: Readonly<Record<RangedField, CounterSeries>>;

  /** Register the catalog in a fresh (or the given) registry and pre-create its series. */
  constructor(options: MetricsCoreOptions) {
    this.#clock = options.clock ?? Date.now;
    this.monotonicClock = options.monotonicClock ?? (() => performance.now());
    this.yieldToEventLoop = options.yieldToEventLoop ??
      (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    const registry = options.registry ?? new Registry();
    if (registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) {
      throw new MetricsConfigError(
        `the registry has content type ${registry.contentType}; MetricsCore needs a ` +
          `${Registry.PROMETHEUS_CONTENT_TYPE} registry (it encodes OpenMetrics itself). Pass ` +
          `new Registry() or omit the option.`,
      );
    }
    this.registry = registry;

    const buckets = defaultBuckets();
    for (const key of Object.keys(buckets) as BucketKey[]) {
      const given = options.buckets?.[key];
      if (given !== undefined) buckets[key] = checkBuckets(key, given);
    }
    this.buckets = Object.freeze(buckets);

    const timeoutSecs = options.sessionTimeoutSecs ?? DEFAULT_SESSION_TIMEOUT_SECS;
    // 0, as in the original: a session is observed at the first sweep after its last event.
    if (!(timeoutSecs >= 0) || !Number.isFinite(timeoutSecs)) {
      throw new MetricsConfigError(
        `sessionTimeoutSecs=${timeoutSecs} is invalid; pass a number of seconds, 0 or more.`,
      );
    }
    this.sessionTimeoutSecs = timeoutSecs;
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
      throw new MetricsConfigError(
        `maxSessions=${maxSessions} is invalid; pass a whole number >= 1 (default ` +
          `${DEFAULT_MAX_SESSIONS}).`,
      );
    }
    const nativeSettings = { ...DEFAULT_NATIVE_HISTOGRAMS, ...options.nativeHistograms };
    let nativeSchema = 0;
    try {
      nativeSchema = schemaForFactor(nativeSettings.bucketFactor);
    } catch (error) {
      throw new MetricsConfigError((error as Error).message);
    }
    const { maxBuckets } = nativeSettings;
    if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 1) {
      throw new MetricsConfigError(
        `nativeHistograms.maxBuckets=${maxBuckets} is invalid; pass a whole number >= 1.`,
      );
    }
    this.nativeHistograms = Object.freeze(nativeSettings);
    // Options are all checked before anything is registered: a bad one leaves no trace.
    this.#sessions = new SessionTracker({
      timeoutMs: timeoutSecs * 1000,
      maxSessions,
      observe: (maxTurn) => this.#turnsBySession.observe(maxTurn),
    });

    // Counters and histograms are FastCounter/FastHistogram (allocation-free on the hot path);
    // gauges are prom-client's, the last-value ones filled by collect() hooks at scrape time.
    const counter = (spec: MetricSpec) =>
      new FastCounter({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registry });
    const histogram = (spec: MetricSpec) =>
      new FastHistogram({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames,
        buckets: buckets[spec.buckets as BucketKey],
        registry,
        ...(nativeSettings.enabled
          ? {
            native: {
              schema: nativeSchema,
              maxBuckets,
              zeroThreshold: NATIVE_ZERO_THRESHOLDS[spec.buckets as BucketKey],
            },
          }
          : {}),
      });
    const gauge = (spec: MetricSpec, read?: () => number) => {
      const g: Gauge = new Gauge({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames,
        registers: [registry],
        ...(read === undefined ? {} : { collect: () => g.set(read()) }),
      });
      return g;
    };

    const mean = (sum: MetricSpec, count: MetricSpec): MeanSeries => ({
      sum: counter(sum).labels(),
      count: counter(count).labels(),
    });

    // Registered in catalog order, which is the exposition order.
    const m = METRICS;
    gauge(m.buildInfo).set({
      version: options.buildInfo.version,
      commit: options.buildInfo.commit,
      build_date: options.buildInfo.buildDate,
      rust_version: options.buildInfo.runtime,
    }, 1);
    gauge(m.qualityScore, () => this.#qualityScore);
    this.#qualityScoreMean = mean(m.qualityScoreSum, m.qualityScoreCount);
    this.#queriesTotal = counter(m.queriesTotal).labels();
    this.#queriesPassed = counter(m.queriesPassed).labels();
    const failed = counter(m.queriesFailed);
    const failedByCategory: Record<string, CounterSeries> = {};
    for (const category of CATEGORIES) failedByCategory[category] = failed.zero(category);
    this.#failedByCategory = failedByCategory;
    this.#latency = histogram(m.queryLatencyMs).labels();
    const retry = histogram(m.retryCount);
    // Not required by the spec; both statuses are pre-created so the series exist from start.
    this.#retryPassed = retry.zero("passed");
    this.#retryFailed = retry.zero("failed");
    gauge(m.accuracy, () => this.#accuracy);
    gauge(m.relevance, () => this.#relevance);
    gauge(m.completeness, () => this.#completeness);
    this.#accuracyMean = mean(m.accuracySum, m.accuracyCount);
    this.#relevanceMean = mean(m.relevanceSum, m.relevanceCount);
    this.#completenessMean = mean(m.completenessSum, m.completenessCount);
    this.#scoreByModel = histogram(m.qualityScoreByModel);
    this.#queriesByModel = counter(m.queriesByModel);
    this.#latencyByModel = histogram(m.latencyByModelMs);
    for (const model of PRECREATED_MODELS) this.#queriesByModel.zero(model);
    this.#turnsBySession = histogram(m.turnsBySession).labels();
    this.#librarianRequests = counter(m.librarianRequests).labels();
    gauge(m.librarianIterations, () => this.#librarianIterations);
    const tests = counter(m.librarianTests);
    this.#librarianPassed = tests.zero("passed");
    this.#librarianFailed = tests.zero("failed");
    this.#librarianDuration = histogram(m.librarianDurationSeconds).labels();
    gauge(m.processStartTime).set(this.#clock() / 1000);
    this.#endpointDuration = histogram(m.metricsEndpointDuration).labels();
    this.#received = counter(m.messagesReceived).labels();
    const failures = counter(m.messagesFailed);
    const failedByType = {} as Record<FailureType, CounterSeries>;
    for (const type of ALL_FAILURE_TYPES) failedByType[type] = failures.zero(type);
    this.#failedByType = failedByType;
    this.#consumerErrors = counter(m.consumerErrors).labels();
    this.#offsetStoreErrors = counter(m.offsetStoreErrors).labels();
    gauge(m.lastEventTimestamp, () => this.#lastEventSecs);
    this.#wrongScope = counter(m.wrongScope).labels();
    this.#missingHeader = counter(m.missingHeader).labels();
    gauge(m.gaugesLastUpdate, () => this.#gaugesUpdateSecs);
    this.#consumerLag = gauge(m.consumerLag);
    this.#payloadMissing = counter(m.payloadMissing).labels();

    // The input guards' counters, after the catalog (they are not part of it).
    const truncated = counter(GUARD_METRICS.valuesTruncated);
    const truncatedBy = {} as Record<CappedField, CounterSeries>;
    for (const field of CAPPED_FIELDS) truncatedBy[field] = truncated.zero(field);
    this.#truncated = truncatedBy;
    const rejected = counter(GUARD_METRICS.valuesRejected);
    const rejectedBy = {} as Record<RangedField, CounterSeries>;
    for (const field of RANGED_FIELDS) rejectedBy[field] = rejected.zero(field);
    this.#rejected = rejectedBy;
  }

  /** Bound on tracked sessions. */
  get maxSessions(): number {
    return this.#sessions.maxSessions;
  }

  /** Number of sessions tracked now. */
  get trackedSessions(): number {
    return this.#sessions.size;
  }

  /**
   * Totals for the landing page: records received, records failed (all error types) and the
   * last quality event's time in epoch seconds (0 before the first). Read, never exposed anew.
   */
  get activity(): { received: number; failed: number; lastEventSecs: number } {
    let failed = 0;
    for (const type of ALL_FAILURE_TYPES) failed += this.#failedByType[type].value;
    return { received: this.#received.value, failed, lastEventSecs: this.#lastEventSecs };
  }

  /** A Kafka record arrived (`messages_received_total` +1). */
  recordReceived(): void {
    this.#received.inc();
  }

  /** A Kafka record had no value (`kafka_payload_missing_total` +1). */
  recordPayloadMissing(): void {
    this.#payloadMissing.inc();
  }

  /** A record failed (`messages_failed_total{error_type}` +1). */
  recordFailure(type: FailureType): void {
    (this.#failedByType[type] ?? this.#failedByType.unknown).inc();
  }

  /** The Kafka consumer reported an error (`kafka_consumer_errors_total` +1). */
  recordConsumerError(): void {
    this.#consumerErrors.inc();
  }

  /** Storing or committing an offset failed (`offset_store_errors_total` +1). */
  recordOffsetStoreError(): void {
    this.#offsetStoreErrors.inc();
  }

  /** A metrics message with a scope other than "quality" (`messages_wrong_scope_total` +1). */
  recordWrongScope(): void {
    this.#wrongScope.inc();
  }

  /** Set the summed consumer lag; negative or non-finite values are set as 0. */
  setConsumerLag(lag: number): void {
    this.#consumerLag.set(lag > 0 && Number.isFinite(lag) ? lag : 0);
  }

  /**
   * Apply one decoded message: non-metrics messages are ignored (no counter), a wrong scope is
   * counted and skipped, a quality event is applied (a missing header is counted there).
   */
  applyMessage(msg: DashStreamMessage): ApplyOutcome {
    const result = classify(msg);
    if (result.kind === "ignored") return "ignored";
    if (result.kind === "wrong_scope") {
      this.#wrongScope.inc();
      return "wrong_scope";
    }
    this.applyQuality(result.event);
    return "applied";
  }

  /**
   * Apply one accepted quality event (fields as `classify()` reads them). A numeric value outside
   * its field's range (NaN and ±Infinity included) is kept in gauges but neither observed nor
   * summed, and is counted instead ("Rule: value ranges"); the model tag and the session id are
   * capped in length before they are kept ("Rule: value length cap").
   */
  applyQuality(ev: QualityEvent): void {
    const nowMs = this.#clock();
    const nowSecs = nowMs / 1000;
    if (nowMs >= this.#nextExpiryMs || nowMs < this.#nextExpiryMs - EXPIRY_CHECK_INTERVAL_MS) {
      this.#nextExpiryMs = nowMs + EXPIRY_CHECK_INTERVAL_MS;
      this.#sessions.expire(nowMs);
    }

    if (!ev.hasHeader) this.#missingHeader.inc();
    this.#lastEventSecs = nowSecs;
    this.#gaugesUpdateSecs = nowSecs;
    this.#queriesTotal.inc();

    const passed = ev.passed;
    if (passed) this.#queriesPassed.inc();
    else this.#failedByCategory[normalizeCategory(ev.category)].inc();

    const score = ev.qualityScore;
    this.#qualityScore = score;
    this.#accuracy = ev.accuracy;
    this.#relevance = ev.relevance;
    this.#completeness = ev.completeness;
    // Beside each last-value gauge, a sum and a count that add up over replicas.
    const scoreOk = this.#scoreInRange(score, "quality_score");
    if (scoreOk) observeMean(this.#qualityScoreMean, score);
    if (this.#scoreInRange(ev.accuracy, "accuracy")) observeMean(this.#accuracyMean, ev.accuracy);
    if (this.#scoreInRange(ev.relevance, "relevance")) {
      observeMean(this.#relevanceMean, ev.relevance);
    }
    if (this.#scoreInRange(ev.completeness, "completeness")) {
      observeMean(this.#completenessMean, ev.completeness);
    }

    const latencyMs = ev.latencyMs;
    const latencyOk = this.#intInRange(latencyMs, MAX_LATENCY_MS, "latency_ms");
    if (latencyOk) this.#latency.observe(latencyMs);
    if (this.#intInRange(ev.retryCount, MAX_RETRY_COUNT, "retry_count")) {
      (passed ? this.#retryPassed : this.#retryFailed).observe(ev.retryCount);
    }

    if (ev.model !== "") {
      let series = this.#seriesByRaw.get(ev.model);
      if (series === undefined) {
        const model = this.#capped(ev.model, "model");
        series = this.#modelSeries(this.#models.normalize(model));
        if (this.#seriesByRaw.size >= MODEL_CACHE_ENTRIES) this.#seriesByRaw.clear();
        this.#seriesByRaw.set(model, series);
      }
      if (scoreOk) series.score.observe(score);
      series.queries.inc();
      if (latencyOk) series.latency.observe(latencyMs);
    }

    const turn = ev.turnNumber;
    if (turn > 0 && this.#intInRange(turn, MAX_TURN_NUMBER, "turn_number")) {
      if (ev.sessionId === "") this.#turnsBySession.observe(turn);
      else this.#sessions.touch(this.#capped(ev.sessionId, "thread_id"), turn, nowMs);
    }

    if (isLibrarian(ev.applicationType)) {
      this.#librarianRequests.inc();
      if (turn > 0) this.#librarianIterations = turn;
      (passed ? this.#librarianPassed : this.#librarianFailed).inc();
      if (latencyOk) this.#librarianDuration.observe(latencyMs / 1000);
    }
  }

  // A score within range is observed; one past it (or not finite) is counted instead.
  #scoreInRange(value: number, field: RangedField): boolean {
    if (scoreInRange(value)) return true;
    this.#rejected[field].inc();
    return false;
  }

  // A count within 0..max is observed; one past it is counted instead.
  #intInRange(value: number, max: number, field: RangedField): boolean {
    if (value >= 0 && value <= max) return true;
    this.#rejected[field].inc();
    return false;
  }

  // The value as kept: cut to MAX_VALUE_BYTES (and the cut counted) when longer.
  #capped(value: string, field: CappedField): string {
    const capped = capValue(value);
    if (capped !== value) this.#truncated[field].inc();
    return capped;
  }

  /** Observe and drop sessions idle longer than the timeout. Returns how many. */
  expireSessions(): number {
    const nowMs = this.#clock();
    this.#nextExpiryMs = nowMs + EXPIRY_CHECK_INTERVAL_MS;
    return this.#sessions.expire(nowMs);
  }

  /** Observe and drop every tracked session (shutdown). Returns how many. */
  flushSessions(): number {
    return this.#sessions.flush();
  }

  /**
   * An encode of the registry took `seconds` (negative readings count as 0): observed into
   * `dashstream_exporter_metrics_endpoint_duration_seconds`. Called by the exposition after
   * each render, so a scrape shows the scrapes before it.
   */
  observeRenderSeconds(seconds: number): void {
    this.#endpointDuration.observe(seconds > 0 ? seconds : 0);
  }

  // One set of cached children per normalized model label (at most MODEL_LABELS.length).
  #modelSeries(label: string): ModelSeries {
    let series = this.#seriesByModel.get(label);
    if (series === undefined) {
      series = {
        score: this.#scoreByModel.labels(label),
        latency: this.#latencyByModel.labels(label),
        queries: this.#queriesByModel.labels(label),
      };
      this.#seriesByModel.set(label, series);
    }
    return series;
  }
}
