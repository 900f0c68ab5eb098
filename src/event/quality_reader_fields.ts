/**
 * The fields the fast quality reader keeps, message by message: the description
 * `scripts/gen_quality_reader.ts` writes the field loops of `src/gen/quality_reader.ts` from.
 * Edit this file, then run `deno task gen:reader`; never edit the generated file
 * (`tests/gen_test.ts` fails when the two disagree).
 *
 * Why generated: the loops run for every field of every record, and each must read its tag
 * inline and its nested messages without a helper call (a shared loop or helper cost 5–30% on
 * Bun: docs/benchmarks.md, "the quality reader's field loops generated"). The loop is written
 * once, in the generator; the code that runs is the hand-inlined reader it replaced.
 *
 * What every generated loop does, as protobuf-es 2.x `fromBinary()` does (docs/wire_format.md):
 * a one-byte tag is read inline and a longer one by `wire/varint.ts`; each kept field is read as
 * described here; any other field goes to `otherField()` (`wire/field_reads.ts`), which refuses
 * field 0 and wire types 6 and 7, falls back on a field numbered up to the highest number the
 * schema declares for the message (one not kept, or kept but sent with another wire type), and
 * skips one beyond. A nested message's length only ends its own loop.
 *
 * Code lines below run inside the loop with `bytes`, `pos` (after the field, once read) and the
 * names exported by `quality_scratch.ts`, `wire/field_reads.ts` and `wire/varint.ts`; they may
 * `return ERR`. `then` lines run right after the read, before its failure is returned.
 * @module
 */

/** How a kept field is read; the generator checks it fits the field's type in the schema. */
export type FieldRead =
  /** A nested message, read by another reader of {@linkcode READERS}. */
  | { readonly as: "message"; readonly reader: string; readonly then?: readonly string[] }
  /** A string: its UTF-8 is checked, it ends at `pos` and is `span.length` bytes long. */
  | { readonly as: "string"; readonly then?: readonly string[] }
  /**
   * A string whose bytes `code` looks at before they are checked: it starts at `start`, ends at
   * `pos` and is `span.length` bytes long; `code` checks its UTF-8 where that matters.
   */
  | { readonly as: "raw string"; readonly code: readonly string[] }
  /** Bytes, skipped. */
  | { readonly as: "bytes"; readonly then?: readonly string[] }
  /** A varint scalar, skipped (at most 10 bytes). */
  | { readonly as: "varint" }
  /** Written out: `code` reads the field (of the wire type the schema declares) from `pos`. */
  | { readonly as: "code"; readonly code: readonly string[] };

/** One field the reader keeps. */
export interface KeptField {
  /** Its number in `proto/dashstream.proto`. */
  readonly number: number;
  /** Its name there. */
  readonly name: string;
  /** How it is read. */
  readonly read: FieldRead;
  /** A short note for the generated comment. */
  readonly note?: string;
}

/** The field loop of one message. */
export interface MessageReader {
  /** The generated function's name. */
  readonly name: string;
  /** What it reads, for the generated comment. */
  readonly doc: string;
  /**
   * The message it reads, as `proto/dashstream.proto` names it ("Header"), or a map field's entry
   * ("Metrics.tags"). The generator checks every kept field against it: number, name and type.
   */
  readonly message: string;
  /** Code before the loop (declarations of what the loop fills in). */
  readonly before?: readonly string[];
  /** Code after the loop, when the message was read whole. */
  readonly after?: readonly string[];
  /** The fields kept; every other field is validated and skipped, or falls back. */
  readonly fields: readonly KeptField[];
}

/** The readers, the entry point first (it is the one exported). */
export const READERS: readonly MessageReader[] = [
  {
    name: "readDashStreamMessage",
    message: "DashStreamMessage",
    doc: "`DashStreamMessage`: only the `metrics` member (6); any other member of the oneof " +
      "falls back (protobuf-es would validate all of that message).",
    fields: [
      {
        number: 6,
        name: "metrics",
        read: { as: "message", reader: "readMetrics", then: ["found.sawMetrics = true;"] },
      },
    ],
  },
  {
    name: "readMetrics",
    message: "Metrics",
    doc: "`Metrics`: header 1, scope 2, scope_id 3, metrics 4 (map entries), tags 5 (map entries).",
    fields: [
      {
        number: 1,
        name: "header",
        read: { as: "message", reader: "readHeader", then: ["found.hasHeader = true;"] },
      },
      {
        number: 2,
        name: "scope",
        note: "compared as bytes; only another scope needs the UTF-8 check",
        read: {
          as: "raw string",
          code: [
            "found.scopeIsQuality = equalBytes(bytes, start, span.length, QUALITY);",
            "if (!found.scopeIsQuality && !validUtf8(bytes, start, pos)) return ERR;",
          ],
        },
      },
      { number: 3, name: "scope_id", read: { as: "string" } },
      {
        number: 4,
        name: "metrics",
        note: "a map entry",
        read: { as: "message", reader: "readMetricEntry" },
      },
      {
        number: 5,
        name: "tags",
        note: "a map entry",
        read: { as: "message", reader: "readTagEntry" },
      },
    ],
  },
  {
    name: "readHeader",
    message: "Header",
    doc: "`Header`: only thread_id (4) is kept; every other field is still validated.",
    fields: [
      { number: 1, name: "message_id", read: { as: "bytes" } },
      { number: 2, name: "timestamp_us", read: { as: "varint" } },
      { number: 3, name: "tenant_id", read: { as: "string" } },
      {
        number: 4,
        name: "thread_id",
        read: {
          as: "string",
          then: ["found.threadStart = pos - span.length;", "found.threadLength = span.length;"],
        },
      },
      { number: 5, name: "sequence", read: { as: "varint" } },
      { number: 6, name: "type", read: { as: "varint" } },
      { number: 7, name: "parent_id", read: { as: "bytes" } },
      { number: 8, name: "compression", read: { as: "varint" } },
      { number: 9, name: "schema_version", read: { as: "varint" } },
    ],
  },
  {
    name: "readMetricEntry",
    message: "Metrics.metrics",
    doc: "A `metrics` map entry: key 1 (string), value 2 (MetricValue).",
    before: [
      'let slot = -1; // a missing key is "", not one the exporter reads',
      "found.valueKind = K_NONE;",
      "found.valueNum = 0;",
    ],
    fields: [
      {
        number: 1,
        name: "key",
        note: "a known key is ASCII, so it needs no UTF-8 check",
        read: {
          as: "raw string",
          code: [
            "slot = metricSlot(bytes, start, span.length);",
            "if (slot < 0 && !validUtf8(bytes, start, pos)) return ERR;",
          ],
        },
      },
      { number: 2, name: "value", read: { as: "message", reader: "readMetricValue" } },
    ],
    after: [
      "if (slot >= 0) {",
      "  metricKind[slot] = found.valueKind;",
      "  metricNum[slot] = found.valueNum;",
      "}",
    ],
  },
  {
    name: "readMetricValue",
    message: "MetricValue",
    doc: "`MetricValue`: oneof int 1, float 2, string 3, bool 4, bytes 5; unit 6; type 7.",
    fields: [
      {
        number: 1,
        name: "int_value",
        note: "as Number(bigint) gives it; negatives read as 0",
        read: {
          as: "code",
          code: [
            "pos = readVarint64(bytes, pos);",
            "found.valueKind = K_INT;",
            "found.valueNum = varint64.hi < 0 ? 0 : varint64.hi * 4294967296 + (varint64.lo >>> 0);",
          ],
        },
      },
      {
        number: 2,
        name: "float_value",
        read: {
          as: "code",
          code: [
            "if (pos + 8 > bytes.length) return ERR;",
            "found.valueKind = K_FLOAT;",
            "found.valueNum = readDouble(bytes, pos);",
            "pos += 8;",
          ],
        },
      },
      {
        number: 3,
        name: "string_value",
        read: { as: "string", then: ["found.valueKind = K_STRING;"] },
      },
      {
        number: 4,
        name: "bool_value",
        read: {
          as: "code",
          code: [
            "pos = readVarint64(bytes, pos);",
            "found.valueKind = K_BOOL;",
            "found.valueNum = varint64.lo !== 0 || varint64.hi !== 0 ? 1 : 0;",
          ],
        },
      },
      {
        number: 5,
        name: "bytes_value",
        read: { as: "bytes", then: ["found.valueKind = K_BYTES;"] },
      },
      { number: 6, name: "unit", read: { as: "string" } },
      { number: 7, name: "type", read: { as: "varint" } },
    ],
  },
  {
    name: "readTagEntry",
    message: "Metrics.tags",
    doc: 'A `tags` map entry: key 1, value 2 (both strings; a missing value is "", still present).',
    before: ["let slot = -1;", "let valueStart = 0;", "let valueSize = 0;"],
    fields: [
      {
        number: 1,
        name: "key",
        read: {
          as: "raw string",
          code: [
            "slot = tagSlot(bytes, start, span.length);",
            "if (slot < 0 && !validUtf8(bytes, start, pos)) return ERR;",
          ],
        },
      },
      {
        number: 2,
        name: "value",
        read: {
          as: "string",
          then: ["valueStart = pos - span.length;", "valueSize = span.length;"],
        },
      },
    ],
    after: [
      "if (slot >= 0) {",
      "  tagStart[slot] = valueStart;",
      "  tagLength[slot] = valueSize;",
      "}",
    ],
  },
];
