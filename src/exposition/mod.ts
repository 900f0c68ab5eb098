/**
 * The exposition: turns the metrics registry into the bytes of a scrape. One snapshot type, the
 * Prometheus text format 0.0.4, OpenMetrics 1.0, the delimited protobuf format, pacing of long renders and content
 * negotiation. prom_registry.ts is the only file that relies on prom-client's internals.
 *
 * @module
 */

export {
  acceptsGzip,
  type ExpositionFormat,
  negotiateFormat,
  wantsOpenMetrics,
} from "./negotiate.ts";
export {
  encodeOpenMetrics,
  encodeOpenMetricsPaced,
  formatOpenMetricsNumber,
  OPENMETRICS_CONTENT_TYPE,
} from "./openmetrics.ts";
export { createPace, type Pace, pacedJoin, type PaceOptions } from "./pacer.ts";
export { readSnapshot } from "./prom_registry.ts";
export {
  encodeProtobuf,
  PROTOBUF_CONTENT_TYPE,
  type SpansAndDeltas,
  toMetricFamily,
  toSpansAndDeltas,
} from "./protobuf.ts";
export { render, type Rendered, type RenderOptions, type RenderSource } from "./render.ts";
export {
  createSharedRender,
  type ScrapeRequest,
  type SharedExposition,
  type SharedRenderOptions,
} from "./shared_render.ts";
export {
  type NativeBucketRun,
  type NativeSnapshot,
  type Snapshot,
  type SnapshotFamily,
  type SnapshotValue,
} from "./snapshot.ts";
export { encodeText, escapeLabelText, PROMETHEUS_CONTENT_TYPE, renderText } from "./text_format.ts";
