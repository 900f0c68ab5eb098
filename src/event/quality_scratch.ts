/**
 * What the quality readers have found in the message so far: the generated field loops
 * (`src/gen/quality_reader.ts`, from `quality_reader_fields.ts`) write it, `fast_quality.ts`
 * resets it per message and turns it into a `QualityEvent`. Also the slots the kept metric and
 * tag keys are found by.
 *
 * Module scratch, not objects per message: the readers run for every record, so they allocate
 * nothing. Calls must not interleave (they cannot: reading is synchronous and calls nothing that
 * could call back).
 * @module
 */

import { METRIC_KEYS } from "./metric_keys.ts";
import { QUALITY_SCOPE } from "./quality_event.ts";
import { APPLICATION_TYPE_TAGS, CATEGORY_TAGS, MODEL_TAG } from "./tags.ts";
import * as fieldReads from "../wire/field_reads.ts";

// Local binding: Bun (JSC) reads an imported binding through the module record at every use.
const { equalBytes } = fieldReads;

/** The slot of each `metrics` key read: its place in `METRIC_KEYS`. */
export const METRIC_SLOT = Object.fromEntries(
  Object.keys(METRIC_KEYS).map((field, slot) => [field, slot]),
) as Readonly<Record<keyof typeof METRIC_KEYS, number>>;
const METRIC_SLOTS = Object.keys(METRIC_KEYS).length;

/**
 * The tag slots: the model, then the category tags and the application type tags in their
 * precedence order (tags.ts), so the first present slot of a range wins. A range runs from its
 * first slot up to (not including) its end.
 */
export const TAG_SLOT = {
  model: 0,
  categoryFirst: 1,
  categoryEnd: 1 + CATEGORY_TAGS.length,
  applicationTypeEnd: 1 + CATEGORY_TAGS.length + APPLICATION_TYPE_TAGS.length,
} as const;
const TAG_SLOTS = TAG_SLOT.applicationTypeEnd;

/** The `MetricValue` oneof cases: none set, int, float, string, bool, bytes. */
export const [K_NONE, K_INT, K_FLOAT, K_STRING, K_BOOL, K_BYTES] = [0, 1, 2, 3, 4, 5] as const;

const encoder = new TextEncoder();
const METRIC_KEY_BYTES: readonly Uint8Array[] = Object.values(METRIC_KEYS)
  .map((key) => encoder.encode(key));
const TAG_KEY_BYTES: readonly Uint8Array[] = [MODEL_TAG, ...CATEGORY_TAGS, ...APPLICATION_TYPE_TAGS]
  .map((key) => encoder.encode(key));
/** The scope of a quality event, as bytes (compared without decoding). */
export const QUALITY: Uint8Array = encoder.encode(QUALITY_SCOPE);

// Key lookup by length and first byte (one table read, then one byte comparison): built from
// the key lists, so a key added there is read here with no other change.
const SLOT_KEY_MAX = 31;
function slotTable(keys: readonly Uint8Array[]): Int8Array {
  const table = new Int8Array((SLOT_KEY_MAX + 1) << 8).fill(-1);
  keys.forEach((key, slot) => {
    const at = (key.length << 8) | key[0];
    if (key.length === 0 || key.length > SLOT_KEY_MAX || table[at] >= 0) {
      throw new Error(
        `quality_scratch: key slot table cannot hold key ${new TextDecoder().decode(key)} ` +
          `(empty, over ${SLOT_KEY_MAX} bytes, or same length and first byte as another key); ` +
          "extend slotTable()",
      );
    }
    table[at] = slot;
  });
  return table;
}
const METRIC_SLOT_TABLE = slotTable(METRIC_KEY_BYTES);
const TAG_SLOT_TABLE = slotTable(TAG_KEY_BYTES);

/** The metric slot of the key `size` bytes long at `start`, or -1 for a key not read. */
export function metricSlot(bytes: Uint8Array, start: number, size: number): number {
  return keySlot(METRIC_SLOT_TABLE, METRIC_KEY_BYTES, bytes, start, size);
}

/** The tag slot of the key `size` bytes long at `start`, or -1 for a key not read. */
export function tagSlot(bytes: Uint8Array, start: number, size: number): number {
  return keySlot(TAG_SLOT_TABLE, TAG_KEY_BYTES, bytes, start, size);
}

function keySlot(
  table: Int8Array,
  keys: readonly Uint8Array[],
  bytes: Uint8Array,
  start: number,
  size: number,
): number {
  if (size === 0 || size > SLOT_KEY_MAX) return -1;
  const slot = table[(size << 8) | bytes[start]];
  return slot >= 0 && equalBytes(bytes, start, size, keys[slot]) ? slot : -1;
}

/** Per metric slot: the `MetricValue` case last read for it (`K_NONE`: absent). */
export const metricKind = new Uint8Array(METRIC_SLOTS);
/** Per metric slot: its number (a bool as 0 or 1). */
export const metricNum = new Float64Array(METRIC_SLOTS);
/** Per tag slot: where its value starts in the buffer. */
export const tagStart = new Int32Array(TAG_SLOTS);
/** Per tag slot: its value's length in bytes; -1 when the tag is absent. */
export const tagLength = new Int32Array(TAG_SLOTS);

/** The rest of what the message says so far. */
export const found = {
  /** A `metrics` member was read. */
  sawMetrics: false,
  /** Its scope is "quality". */
  scopeIsQuality: false,
  /** It has a header. */
  hasHeader: false,
  /** Where the header's thread id starts in the buffer. */
  threadStart: 0,
  /** The thread id's length in bytes. */
  threadLength: 0,
  /** The case of the `MetricValue` being read (a repeated value field merges into it). */
  valueKind: K_NONE as number,
  /** Its number. */
  valueNum: 0,
};

/** Forgets the last message: call before reading the next. */
export function resetFound(): void {
  for (let i = 0; i < METRIC_SLOTS; i++) metricKind[i] = K_NONE;
  for (let i = 0; i < TAG_SLOTS; i++) tagLength[i] = -1;
  found.sawMetrics = false;
  found.scopeIsQuality = false;
  found.hasHeader = false;
  found.threadLength = 0;
}
