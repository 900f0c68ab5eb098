/**
 * One scrape: read the registry, encode it in the negotiated format with pacing, and report the
 * encode time back to the metrics (`dashstream_exporter_metrics_endpoint_duration_seconds`).
 *
 * @module
 */

import { encodeOpenMetricsPaced, OPENMETRICS_CONTENT_TYPE } from "./openmetrics.ts";
import type { ExpositionFormat } from "./negotiate.ts";
import { createPace } from "./pacer.ts";
import { encodeProtobuf, PROTOBUF_CONTENT_TYPE } from "./protobuf.ts";
import { readSnapshot, type Registry } from "./prom_registry.ts";
import { encodeText, PROMETHEUS_CONTENT_TYPE } from "./text_format.ts";

/** What {@link render} needs of the metrics; `MetricsCore` is one. */
export interface RenderSource {
  /** The registry to expose. */
  readonly registry: Registry;
  /** Monotonic ms clock for measuring encode time. */
  readonly monotonicClock: () => number;
  /** Lets queued I/O run during a long render. */
  readonly yieldToEventLoop: () => Promise<void>;
  /** Records how long an encode took, in seconds. */
  observeRenderSeconds(seconds: number): void;
}

/** Options for {@link render}. */
export interface RenderOptions {
  /** Encode OpenMetrics 1.0 instead of the Prometheus text format 0.0.4. */
  openMetrics?: boolean;
  /** The format to encode (see negotiateFormat()); overrides `openMetrics`. */
  format?: ExpositionFormat;
}

/** A rendered exposition. */
export interface Rendered<Body extends string | Uint8Array = string | Uint8Array> {
  /** Exposition text, or bytes for the protobuf format. */
  body: Body;
  /** Value for the Content-Type header. */
  contentType: string;
}

/**
 * Encode `source`'s registry: Prometheus text 0.0.4 by default, OpenMetrics 1.0 (ending in
 * `# EOF`), or length-delimited protobuf with native histograms (`format: "protobuf"`). The render yields to the event loop after every ~5 ms of work, so even a
 * multi-megabyte exposition never holds up Kafka consumption for long. The encode time is
 * reported afterwards, so a scrape shows the scrapes before it.
 */
export async function render(
  source: RenderSource,
  options: RenderOptions & { format: "protobuf" },
): Promise<Rendered<Uint8Array>>;
export async function render(
  source: RenderSource,
  options?: RenderOptions & { format?: "text" | "openmetrics" },
): Promise<Rendered<string>>;
export async function render(source: RenderSource, options?: RenderOptions): Promise<Rendered>;
export async function render(source: RenderSource, options: RenderOptions = {}): Promise<Rendered> {
  const now = source.monotonicClock;
  const start = now();
  const pace = createPace({ now, start, yieldToEventLoop: source.yieldToEventLoop });
  const snapshot = await readSnapshot(source.registry);
  const format = options.format ?? (options.openMetrics === true ? "openmetrics" : "text");
  const rendered: Rendered = format === "protobuf"
    ? { body: await encodeProtobuf(snapshot, pace), contentType: PROTOBUF_CONTENT_TYPE }
    : format === "openmetrics"
    ? { body: await encodeOpenMetricsPaced(snapshot, pace), contentType: OPENMETRICS_CONTENT_TYPE }
    : { body: await encodeText(snapshot, pace), contentType: PROMETHEUS_CONTENT_TYPE };
  source.observeRenderSeconds((now() - start) / 1000);
  return rendered;
}
