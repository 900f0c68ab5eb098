/**
 * A hand-written protobuf reader for the quality path: from the bytes of a `DashStreamMessage`
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
 * Varints and long tags are read by `wire/varint.ts`, the same code as the header peek's.
 *
 * Parsing state lives in module scratch: calls must not interleave (they cannot: it is
 * synchronous and calls nothing that could call back).
 * @module
 */

import { METRIC_KEYS } from "./metric_keys.ts";
import { QUALITY_SCOPE, type QualityEvent } from "./quality_event.ts";
import * as varint from "../wire/varint.ts";
import {
  APPLICATION_TYPE_TAGS,
  CATEGORY_TAGS,
  DEFAULT_APPLICATION_TYPE,
  DEFAULT_CATEGORY,
  MODEL_TAG,
} from "./tags.ts";

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

// Local bindings of varint.ts: Bun (JSC) reads an imported binding through the module record at
// every use (it made the header peek's walk up to ~20% slower).
const { readTag, readVarint64, varint64 } = varint;

// Failure codes, returned by the helpers where a position is expected.
const ERR = -1;
const FALLBACK = -2;

// Metric keys the exporter reads, by slot.
const M_QUALITY_SCORE = 0;
const M_PASSED = 1;
const M_LATENCY_MS = 2;
const M_RETRY_COUNT = 3;
const M_TURN_NUMBER = 4;
const M_ACCURACY = 5;
const M_RELEVANCE = 6;
const M_COMPLETENESS = 7;
const METRIC_SLOTS = 8;

// Tag keys the exporter reads, by slot: the model, then the category tags and the application
// type tags in their precedence order (tags.ts), so the first present slot of a range wins.
const T_MODEL = 0;
const T_CATEGORY_FIRST = 1;
const T_CATEGORY_END = T_CATEGORY_FIRST + CATEGORY_TAGS.length;
const T_APPLICATION_TYPE_END = T_CATEGORY_END + APPLICATION_TYPE_TAGS.length;
const TAG_SLOTS = T_APPLICATION_TYPE_END;

// MetricValue oneof cases.
const K_NONE = 0;
const K_INT = 1;
const K_FLOAT = 2;
const K_STRING = 3;
const K_BOOL = 4;
const K_BYTES = 5;

const encoder = new TextEncoder();
const METRIC_KEY_BYTES: readonly Uint8Array[] = [
  METRIC_KEYS.qualityScore,
  METRIC_KEYS.passed,
  METRIC_KEYS.latencyMs,
  METRIC_KEYS.retryCount,
  METRIC_KEYS.turnNumber,
  METRIC_KEYS.accuracy,
  METRIC_KEYS.relevance,
  METRIC_KEYS.completeness,
].map((key) => encoder.encode(key));
const TAG_KEY_BYTES: readonly Uint8Array[] = [MODEL_TAG, ...CATEGORY_TAGS, ...APPLICATION_TYPE_TAGS]
  .map((key) => encoder.encode(key));
const QUALITY = encoder.encode(QUALITY_SCOPE);

// Key lookup by length and first byte (one table read, then one byte comparison): built from
// the key lists, so a key added there is read here with no other change.
const SLOT_KEY_MAX = 31;
function slotTable(keys: readonly Uint8Array[]): Int8Array {
  const table = new Int8Array((SLOT_KEY_MAX + 1) << 8).fill(-1);
  keys.forEach((key, slot) => {
    const at = (key.length << 8) | key[0];
    if (key.length === 0 || key.length > SLOT_KEY_MAX || table[at] >= 0) {
      throw new Error(
        `fast_quality: key slot table cannot hold key ${new TextDecoder().decode(key)} ` +
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

// The settings protobuf-es uses: strict UTF-8, a leading U+FEFF kept as text.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// What the message says so far; reset per message.
const metricKind = new Uint8Array(METRIC_SLOTS);
const metricNum = new Float64Array(METRIC_SLOTS);
const tagStart = new Int32Array(TAG_SLOTS);
const tagLength = new Int32Array(TAG_SLOTS); // -1: absent
let hasHeader = false;
let threadStart = 0;
let threadLength = 0;
let scopeIsQuality = false;
// The MetricValue being read (a repeated value field within one entry merges into it).
let valueKind = K_NONE;
let valueNum = 0;
// Second result of the helpers that return a position (varint.ts's have theirs in varint64).
let length = 0;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Reads the protobuf bytes of one `DashStreamMessage` — `bytes` from `offset` (default 0) to
 * its end, so a 0x00-framed record is read in place with offset 1 — and, for a quality event,
 * fills `out` with exactly what `classify(fromBinary(...))` would give. Returns a
 * {@linkcode READ} code; `out` is only written for `READ.EVENT`. Never throws.
 */
export function readQuality(bytes: Uint8Array, out: QualityEvent, offset = 0): ReadResult {
  for (let i = 0; i < METRIC_SLOTS; i++) metricKind[i] = K_NONE;
  for (let i = 0; i < TAG_SLOTS; i++) tagLength[i] = -1;
  hasHeader = false;
  threadLength = 0;
  scopeIsQuality = false;
  const end = bytes.length;
  let sawMetrics = false;
  let pos = offset;
  while (pos < end) {
    // Each field loop reads a one-byte tag (every field below 16) inline: a call per field costs
    // ~10% on Bun. Field 0 and wire types 6 and 7 then fall to otherField(), which refuses them;
    // a longer tag is read and checked by varint.ts, as the header peek reads it.
    let tag = bytes[pos];
    if (tag < 0x80) pos++;
    else {
      pos = readTag(bytes, pos);
      if (pos < 0) return READ.ERROR;
      tag = varint64.lo;
    }
    if (tag === 0x32) { // metrics
      pos = readLength(bytes, pos);
      if (pos < 0) return READ.ERROR;
      const metricsEnd = pos + length;
      // A message running past the buffer always ends in a read past it (protobuf-es throws).
      if (metricsEnd > end) return READ.ERROR;
      pos = readMetrics(bytes, pos, metricsEnd);
      if (pos < 0) return pos === ERR ? READ.ERROR : READ.FALLBACK;
      sawMetrics = true;
    } else {
      // Another oneof member falls back: protobuf-es validates all of that message.
      pos = otherField(bytes, pos, tag, 9);
      if (pos < 0) return pos === ERR ? READ.ERROR : READ.FALLBACK;
    }
  }
  if (!sawMetrics) return READ.IGNORED;
  if (!scopeIsQuality) return READ.WRONG_SCOPE;
  writeEvent(bytes, out);
  return READ.EVENT;
}

function writeEvent(bytes: Uint8Array, out: QualityEvent): void {
  out.qualityScore = metricKind[M_QUALITY_SCORE] === K_FLOAT ? metricNum[M_QUALITY_SCORE] : 0;
  out.passed = metricKind[M_PASSED] === K_BOOL && metricNum[M_PASSED] !== 0;
  out.latencyMs = metricKind[M_LATENCY_MS] === K_INT ? metricNum[M_LATENCY_MS] : 0;
  out.retryCount = metricKind[M_RETRY_COUNT] === K_INT ? metricNum[M_RETRY_COUNT] : 0;
  out.turnNumber = metricKind[M_TURN_NUMBER] === K_INT ? metricNum[M_TURN_NUMBER] : 0;
  out.accuracy = metricKind[M_ACCURACY] === K_FLOAT ? metricNum[M_ACCURACY] : 0;
  out.relevance = metricKind[M_RELEVANCE] === K_FLOAT ? metricNum[M_RELEVANCE] : 0;
  out.completeness = metricKind[M_COMPLETENESS] === K_FLOAT ? metricNum[M_COMPLETENESS] : 0;
  out.model = tagLength[T_MODEL] >= 0 ? tagText(bytes, T_MODEL) : "";
  out.category = firstTag(bytes, T_CATEGORY_FIRST, T_CATEGORY_END, DEFAULT_CATEGORY);
  out.applicationType = firstTag(
    bytes,
    T_CATEGORY_END,
    T_APPLICATION_TYPE_END,
    DEFAULT_APPLICATION_TYPE,
  );
  out.sessionId = hasHeader ? text(bytes, threadStart, threadLength) : "";
  out.hasHeader = hasHeader;
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

// `Metrics`: header 1, scope 2, scope_id 3, metrics 4 (map entries), tags 5 (map entries).
function readMetrics(bytes: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    let tag = bytes[pos];
    if (tag < 0x80) pos++;
    else {
      pos = readTag(bytes, pos);
      if (pos < 0) return pos;
      tag = varint64.lo;
    }
    switch (tag) {
      case 0x0a: // header
        pos = readLength(bytes, pos);
        if (pos < 0) return pos;
        if (pos + length > bytes.length) return ERR;
        pos = readHeader(bytes, pos, pos + length);
        hasHeader = true;
        break;
      case 0x12: { // scope
        pos = readLength(bytes, pos);
        if (pos < 0) return pos;
        const start = pos;
        pos += length;
        if (pos > bytes.length) return ERR;
        scopeIsQuality = equalBytes(bytes, start, length, QUALITY);
        if (!scopeIsQuality && !validUtf8(bytes, start, pos)) return ERR;
        break;
      }
      case 0x1a: // scope_id
        pos = readString(bytes, pos);
        break;
      case 0x22: // metrics entry
        pos = readLength(bytes, pos);
        if (pos < 0) return pos;
        if (pos + length > bytes.length) return ERR;
        pos = readMetricEntry(bytes, pos, pos + length);
        break;
      case 0x2a: // tags entry
        pos = readLength(bytes, pos);
        if (pos < 0) return pos;
        if (pos + length > bytes.length) return ERR;
        pos = readTagEntry(bytes, pos, pos + length);
        break;
      default:
        pos = otherField(bytes, pos, tag, 5);
    }
    if (pos < 0) return pos;
  }
  return pos;
}

// `Header`: only thread_id (4) is kept; every other field is still validated.
function readHeader(bytes: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    let tag = bytes[pos];
    if (tag < 0x80) pos++;
    else {
      pos = readTag(bytes, pos);
      if (pos < 0) return pos;
      tag = varint64.lo;
    }
    switch (tag) {
      case 0x0a: // message_id
      case 0x3a: // parent_id
        pos = skipBytes(bytes, pos);
        break;
      case 0x10: // timestamp_us
      case 0x28: // sequence
      case 0x30: // type
      case 0x40: // compression
      case 0x48: // schema_version
        pos = skipKnownVarint(bytes, pos);
        break;
      case 0x1a: // tenant_id
        pos = readString(bytes, pos);
        break;
      case 0x22: // thread_id
        pos = readString(bytes, pos);
        threadStart = pos - length;
        threadLength = length;
        break;
      default:
        pos = otherField(bytes, pos, tag, 9);
    }
    if (pos < 0) return pos;
  }
  return pos;
}

// A `metrics` map entry: key 1 (string), value 2 (MetricValue).
function readMetricEntry(bytes: Uint8Array, pos: number, end: number): number {
  let slot = -1; // a missing key is "", not one the exporter reads
  valueKind = K_NONE;
  valueNum = 0;
  while (pos < end) {
    let tag = bytes[pos];
    if (tag < 0x80) pos++;
    else {
      pos = readTag(bytes, pos);
      if (pos < 0) return pos;
      tag = varint64.lo;
    }
    if (tag === 0x0a) { // key: a known key is ASCII, so it needs no UTF-8 check
      pos = readLength(bytes, pos);
      if (pos < 0) return pos;
      const start = pos;
      pos += length;
      if (pos > bytes.length) return ERR;
      slot = metricSlot(bytes, start, length);
      if (slot < 0 && !validUtf8(bytes, start, pos)) return ERR;
    } else if (tag === 0x12) { // value
      pos = readLength(bytes, pos);
      if (pos < 0) return pos;
      if (pos + length > bytes.length) return ERR;
      pos = readMetricValue(bytes, pos, pos + length);
      if (pos < 0) return pos;
    } else {
      pos = otherField(bytes, pos, tag, 2);
      if (pos < 0) return pos;
    }
  }
  if (slot >= 0) {
    metricKind[slot] = valueKind;
    metricNum[slot] = valueNum;
  }
  return pos;
}

// `MetricValue`: oneof int 1, float 2, string 3, bool 4, bytes 5; unit 6; type 7.
function readMetricValue(bytes: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    let tag = bytes[pos];
    if (tag < 0x80) pos++;
    else {
      pos = readTag(bytes, pos);
      if (pos < 0) return pos;
      tag = varint64.lo;
    }
    switch (tag) {
      case 0x08: // int_value: as Number(bigint) gives it; negatives read as 0
        pos = readVarint64(bytes, pos);
        valueKind = K_INT;
        valueNum = varint64.hi < 0 ? 0 : varint64.hi * 4294967296 + (varint64.lo >>> 0);
        break;
      case 0x11: // float_value
        if (pos + 8 > bytes.length) return ERR;
        valueKind = K_FLOAT;
        valueNum = readDouble(bytes, pos);
        pos += 8;
        break;
      case 0x1a: // string_value
        pos = readString(bytes, pos);
        valueKind = K_STRING;
        break;
      case 0x20: // bool_value
        pos = readVarint64(bytes, pos);
        valueKind = K_BOOL;
        valueNum = varint64.lo !== 0 || varint64.hi !== 0 ? 1 : 0;
        break;
      case 0x2a: // bytes_value
        pos = skipBytes(bytes, pos);
        valueKind = K_BYTES;
        break;
      case 0x32: // unit
        pos = readString(bytes, pos);
        break;
      case 0x38: // type
        pos = skipKnownVarint(bytes, pos);
        break;
      default:
        pos = otherField(bytes, pos, tag, 7);
    }
    if (pos < 0) return pos;
  }
  return pos;
}

// A `tags` map entry: key 1, value 2 (both strings; a missing value is "", still present).
function readTagEntry(bytes: Uint8Array, pos: number, end: number): number {
  let slot = -1;
  let start = 0;
  let size = 0;
  while (pos < end) {
    let tag = bytes[pos];
    if (tag < 0x80) pos++;
    else {
      pos = readTag(bytes, pos);
      if (pos < 0) return pos;
      tag = varint64.lo;
    }
    if (tag === 0x0a) { // key
      pos = readLength(bytes, pos);
      if (pos < 0) return pos;
      const keyStart = pos;
      pos += length;
      if (pos > bytes.length) return ERR;
      slot = tagSlot(bytes, keyStart, length);
      if (slot < 0 && !validUtf8(bytes, keyStart, pos)) return ERR;
    } else if (tag === 0x12) { // value
      pos = readString(bytes, pos);
      if (pos < 0) return pos;
      start = pos - length;
      size = length;
    } else {
      pos = otherField(bytes, pos, tag, 2);
      if (pos < 0) return pos;
    }
  }
  if (slot >= 0) {
    tagStart[slot] = start;
    tagLength[slot] = size;
  }
  return pos;
}

function metricSlot(bytes: Uint8Array, start: number, size: number): number {
  return keySlot(METRIC_SLOT_TABLE, METRIC_KEY_BYTES, bytes, start, size);
}

function tagSlot(bytes: Uint8Array, start: number, size: number): number {
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

function equalBytes(bytes: Uint8Array, start: number, size: number, key: Uint8Array): boolean {
  if (size !== key.length) return false;
  for (let i = 0; i < size; i++) {
    if (bytes[start + i] !== key[i]) return false;
  }
  return true;
}

/**
 * Any field but the expected ones of a message whose fields are numbered 1..`lastKnown`: an
 * invalid tag is an error, a known field with another wire type (which protobuf-es reads as its
 * declared type anyway) falls back, an unknown field is skipped.
 */
function otherField(bytes: Uint8Array, pos: number, tag: number, lastKnown: number): number {
  const field = tag >>> 3;
  if (field === 0 || (tag & 7) > 5) return ERR;
  if (field <= lastKnown) return FALLBACK;
  switch (tag & 7) {
    case 0: // a varint of any length
      while (pos < bytes.length) {
        if (bytes[pos++] < 0x80) return pos;
      }
      return ERR;
    case 1:
      pos += 8;
      return pos > bytes.length ? ERR : pos;
    case 2:
      return skipBytes(bytes, pos);
    case 5:
      pos += 4;
      return pos > bytes.length ? ERR : pos;
    case 3:
      return FALLBACK; // a group: rare, protobuf-es skips it with its own rules
    default:
      return ERR; // 4: an end-group tag without its start
  }
}

/** A varint of a known scalar field: at most 10 bytes, as protobuf-es reads it. */
function skipKnownVarint(bytes: Uint8Array, pos: number): number {
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) return ERR;
    if (bytes[pos++] < 0x80) return pos;
  }
  return ERR;
}

/** A length-delimited field whose content is not read (bytes, or an unknown field). */
function skipBytes(bytes: Uint8Array, pos: number): number {
  pos = readLength(bytes, pos);
  if (pos < 0) return pos;
  pos += length;
  return pos > bytes.length ? ERR : pos;
}

/** A string field: its UTF-8 is validated; it ends at the result, `length` bytes long. */
function readString(bytes: Uint8Array, pos: number): number {
  pos = readLength(bytes, pos);
  if (pos < 0) return pos;
  const start = pos;
  pos += length;
  if (pos > bytes.length) return ERR;
  return validUtf8(bytes, start, pos) ? pos : ERR;
}

// A 32-bit view of the last buffer a long string was checked in (the zstd decoder's memory,
// or a Kafka fetch buffer), so long strings are checked four bytes at a time.
const LONG_STRING = 64;
let words: Int32Array = new Int32Array(0);
let wordsBuffer: ArrayBufferLike | undefined;

function validUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let bits = 0;
  let i = start;
  // (Offsets past 2^31 would overflow the 32-bit arithmetic: those take the byte loop.)
  if (end - i >= LONG_STRING && bytes.byteOffset + end < 0x80000000) {
    const buffer = bytes.buffer;
    if (buffer !== wordsBuffer) {
      words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
      wordsBuffer = buffer;
    }
    const base = bytes.byteOffset;
    while (((base + i) & 3) !== 0) bits |= bytes[i++];
    const last = (base + end) >>> 2;
    let wordBits = 0;
    for (let w = (base + i) >>> 2; w < last; w++) wordBits |= words[w];
    if ((wordBits & 0x80808080) !== 0) bits = 0x80;
    i = (last << 2) - base;
  }
  for (; i < end; i++) bits |= bytes[i];
  if (bits < 0x80) return true;
  try {
    utf8.decode(bytes.subarray(start, end));
    return true;
  } catch {
    return false;
  }
}

/** A length varint (protobuf-es `uint32()`: up to 10 bytes, low 32 bits), into `length`. */
function readLength(bytes: Uint8Array, pos: number): number {
  if (pos < bytes.length && bytes[pos] < 0x80) { // one byte: most lengths
    length = bytes[pos];
    return pos + 1;
  }
  pos = readVarint64(bytes, pos);
  length = varint64.lo >>> 0;
  return pos;
}

function readDouble(bytes: Uint8Array, pos: number): number {
  if (LITTLE_ENDIAN) {
    for (let i = 0; i < 8; i++) f64Bytes[i] = bytes[pos + i];
  } else {
    for (let i = 0; i < 8; i++) f64Bytes[7 - i] = bytes[pos + i];
  }
  return f64[0];
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
