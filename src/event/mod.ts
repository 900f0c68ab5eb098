/**
 * The decoded quality event and its classification rules, one home each: which records count
 * and which fields are read (`quality_event.ts`, `metric_keys.ts`), tag precedence
 * (`tags.ts`), the librarian rule (`librarian.ts`), and the fast wire reader that produces the
 * same event without protobuf-es (`fast_quality.ts`). Sits above `wire`, below `metrics`.
 * How raw values become label values (model normalization, category normalization) is a metric
 * rule: that stays in `metrics/`.
 *
 * @module
 */

export {
  type Classification,
  classify,
  emptyQualityEvent,
  QUALITY_SCOPE,
  type QualityEvent,
  qualityEventFromMetrics,
} from "./quality_event.ts";
export { METRIC_KEYS } from "./metric_keys.ts";
export {
  APPLICATION_TYPE_TAGS,
  CATEGORY_TAGS,
  DEFAULT_APPLICATION_TYPE,
  DEFAULT_CATEGORY,
  MODEL_TAG,
  pickApplicationType,
  pickCategory,
  type Tags,
} from "./tags.ts";
export { isLibrarian, LIBRARIAN_APP_TYPES } from "./librarian.ts";
export * from "./fast_quality.ts";
