/**
 * A protobuf reader for the quality path: from the bytes of a `DashStreamMessage`
 * straight to a {@linkcode QualityEvent}, without building protobuf-es objects and decoding
 * only the strings the metrics need (map keys and the scope are compared as bytes).
 *
 * Contract: when {@linkcode readQuality} returns {@linkcode READ.IGNORED},
 * {@linkcode READ.WRONG_SCOPE} or {@linkcode READ.EVENT}, protobuf-es `fromBinary()` followed by
 * `classify()` gives the same classification and the same event; when it returns
 * {@linkcode READ.ERROR}, `fromBinary()` throws. It returns {@linkcode READ.FALLBACK} for what
 * it does not handle cheaply. On both of the last two the caller runs the reference path, which
 * decides (so an error is always reported exactly as protobuf-es reports it).
 *
 * protobuf-es (2.x `fromBinary`) semantics followed, checked against it by fast_quality_test.ts:
 * - every field is read, including the ones the metrics ignore: strings are validated as UTF-8
 *   (proto3 strings are strict), varints of known fields are at most 10 bytes, tags at most 5
 *   and within uint32, field 0 and wire types 6 and 7 throw, unknown fields are skipped by wire
 *   type (an unknown varint may be any length; wire type 4 throws);
 * - last one wins for scalar fields, map keys and oneof members; a repeated message field
 *   (`metrics`, `header`, a map value) merges into the earlier one;
 * - a map entry without a key has key "", without a value the default value;
 * - one cursor over the whole buffer: every read is bounded by the buffer only, the length of
 *   a nested message only ends its field loop (a field may run past it; the parent then goes on
 *   from there), and reading past the buffer's end throws.
 *
 * Falls back on: any other top-level oneof member (protobuf-es would validate all of that
 * message), a known field with another wire type (protobuf-es reads it as its declared type
 * anyway), and groups.
 *
 * The field loops are generated (`src/gen/quality_reader.ts`) from the description of the kept
 * fields in `quality_reader_fields.ts`; they read fields with `wire/field_reads.ts` (varints and
 * long tags with `wire/varint.ts`, the same code as the header peek's) and write what they find
 * into `quality_scratch.ts`, which this module turns into the event.
 * @module
 */

import * as generated from "../gen/quality_reader.ts";
import * as fieldReads from "../wire/field_reads.ts";
import * as scratch from "./quality_scratch.ts";
import type { QualityEvent } from "./quality_event.ts";
import { DEFAULT_APPLICATION_TYPE, DEFAULT_CATEGORY } from "./tags.ts";

/**
 * What {@linkcode readQuality} found. On `FALLBACK` and `ERROR` the caller decodes the bytes with
 * protobuf-es, which decides (so an error is reported exactly as protobuf-es reports it).
 */
export const READ = {
  /** Not a `metrics` message (no counter). */
  IGNORED: 0,
  /** A `metrics` message whose scope is not "quality". */
  WRONG_SCOPE: 1,
  /** A quality event, written into `out`. */
  EVENT: 2,
  /** Not handled here: decode with protobuf-es instead. */
  FALLBACK: 3,
  /** protobuf-es rejects the bytes: decode with it for the error. */
  ERROR: 4,
} as const;

/** One of the {@linkcode READ} codes. */
export type ReadResult = (typeof READ)[keyof typeof READ];

// Local bindings: Bun (JSC) reads an imported binding through the module record at every use.
const { readDashStreamMessage } = generated;
const { ERR, equalBytes, utf8 } = fieldReads;
const {
  found,
  K_BOOL,
  K_FLOAT,
  K_INT,
  METRIC_SLOT,
  metricKind,
  metricNum,
  resetFound,
  TAG_SLOT,
  tagLength,
  tagStart,
} = scratch;

/**
 * Reads the protobuf bytes of one `DashStreamMessage` — `bytes` from `offset` (default 0) to
 * its end, so a 0x00-framed record is read in place with offset 1 — and, for a quality event,
 * fills `out` with exactly what `classify(fromBinary(...))` would give. Returns a
 * {@linkcode READ} code; `out` is only written for `READ.EVENT`. Never throws.
 */
export function readQuality(bytes: Uint8Array, out: QualityEvent, offset = 0): ReadResult {
  resetFound();
  const pos = readDashStreamMessage(bytes, offset, bytes.length);
  if (pos < 0) return pos === ERR ? READ.ERROR : READ.FALLBACK;
  if (!found.sawMetrics) return READ.IGNORED;
  if (!found.scopeIsQuality) return READ.WRONG_SCOPE;
  writeEvent(bytes, out);
  return READ.EVENT;
}

function writeEvent(bytes: Uint8Array, out: QualityEvent): void {
  out.qualityScore = metric(METRIC_SLOT.qualityScore, K_FLOAT);
  out.passed = metric(METRIC_SLOT.passed, K_BOOL) !== 0;
  out.latencyMs = metric(METRIC_SLOT.latencyMs, K_INT);
  out.retryCount = metric(METRIC_SLOT.retryCount, K_INT);
  out.turnNumber = metric(METRIC_SLOT.turnNumber, K_INT);
  out.accuracy = metric(METRIC_SLOT.accuracy, K_FLOAT);
  out.relevance = metric(METRIC_SLOT.relevance, K_FLOAT);
  out.completeness = metric(METRIC_SLOT.completeness, K_FLOAT);
  out.model = tagLength[TAG_SLOT.model] >= 0 ? tagText(bytes, TAG_SLOT.model) : "";
  out.category = firstTag(bytes, TAG_SLOT.categoryFirst, TAG_SLOT.categoryEnd, DEFAULT_CATEGORY);
  out.applicationType = firstTag(
    bytes,
    TAG_SLOT.categoryEnd,
    TAG_SLOT.applicationTypeEnd,
    DEFAULT_APPLICATION_TYPE,
  );
  out.sessionId = found.hasHeader ? text(bytes, found.threadStart, found.threadLength) : "";
  out.hasHeader = found.hasHeader;
}

// The number read for a metric slot when it was sent as `kind` (a bool as 0 or 1), else 0.
function metric(slot: number, kind: number): number {
  return metricKind[slot] === kind ? metricNum[slot] : 0;
}

// The first present tag of the slots `from` until `end`, else `fallback`.
function firstTag(bytes: Uint8Array, from: number, end: number, fallback: string): string {
  for (let slot = from; slot < end; slot++) {
    if (tagLength[slot] >= 0) return tagText(bytes, slot);
  }
  return fallback;
}

function tagText(bytes: Uint8Array, slot: number): string {
  return text(bytes, tagStart[slot], tagLength[slot]);
}

// Recently decoded strings by content: models, categories, application types and session ids
// repeat from event to event, so most lookups hit and return the very same string (whose hash
// the metrics core's Map lookups then reuse). Slots are chosen by the length and four sampled
// bytes; a hit is confirmed byte by byte.
const CACHE_SLOTS = 1024;
const MAX_CACHED_LENGTH = 64;
const cachedText: string[] = new Array(CACHE_SLOTS).fill("");
const cachedBytes: Uint8Array[] = new Array(CACHE_SLOTS).fill(new Uint8Array(0));
const chars: number[] = [];

/** The (already validated) UTF-8 string at `start`, `size` bytes long. */
function text(bytes: Uint8Array, start: number, size: number): string {
  if (size === 0) return "";
  if (size > MAX_CACHED_LENGTH) return utf8.decode(bytes.subarray(start, start + size));
  const last = start + size - 1;
  let hash = Math.imul(size, 0x9e3779b1) ^ bytes[start] ^ (bytes[last] << 8) ^
    (bytes[start + (size >> 2)] << 16) ^ (bytes[last - (size >> 2)] << 24);
  hash ^= hash >>> 13;
  const slot = Math.imul(hash, 0x5bd1e995) >>> 22; // top 10 bits: 0..1023
  const known = cachedBytes[slot];
  if (equalBytes(bytes, start, size, known)) return cachedText[slot];
  const decoded = decodeText(bytes, start, size);
  // A copy, never a view (a Buffer's slice() is one): the caller may reuse its buffer.
  const copy = new Uint8Array(size);
  for (let i = 0; i < size; i++) copy[i] = bytes[start + i];
  cachedBytes[slot] = copy;
  cachedText[slot] = decoded;
  return decoded;
}

function decodeText(bytes: Uint8Array, start: number, size: number): string {
  chars.length = size;
  for (let i = 0; i < size; i++) {
    const b = bytes[start + i];
    if (b >= 0x80) return utf8.decode(bytes.subarray(start, start + size));
    chars[i] = b;
  }
  return String.fromCharCode.apply(null, chars);
}
