/**
 * The header peek: the header of a `DashStreamMessage` (its `timestamp_us` and `thread_id`)
 * read from the protobuf bytes without building protobuf-es objects and without allocating.
 *
 * Contract (checked against protobuf-es `fromBinary()` by header_peek_test.ts on random and
 * garbled inputs): for bytes `fromBinary()` accepts, {@linkcode HeaderPeek} gives the header of
 * the message's oneof member exactly as protobuf-es does. For bytes it rejects the answer is
 * unspecified (mostly none): whoever decodes the record reports it.
 *
 * To give the same answer it walks the whole message the way protobuf-es 2.x reads it, with
 * field shapes taken from the generated schema (src/gen): one cursor over the whole buffer (a
 * nested message's length only ends its field loop), known fields read as their declared type
 * whatever the wire type, unknown fields skipped by wire type, repeated scalars packed when
 * length-delimited, a repeated oneof member or header merged into the earlier one (last value
 * wins), a different oneof member replacing it, at most 100 nested messages. Unknown groups
 * (never written by DashStream producers) are left to `fromBinary()` itself.
 * @module
 */

import { type DescMessage, fromBinary, ScalarType } from "@bufbuild/protobuf";
import { DashStreamMessageSchema, HeaderSchema } from "../gen/dashstream_pb.ts";
import * as varint from "./varint.ts";

// Local bindings of varint.ts: Bun (JSC) reads an imported binding through the module record at
// every use, which made this walk up to ~20% slower.
const { readTag: readTagAt, readVarint64, varint64 } = varint;

const TIMESTAMP_FIELD = 2; // Header.timestamp_us (int64)
const THREAD_ID_FIELD = 4; // Header.thread_id (string)
const RECURSION_LIMIT = 100; // protobuf-es's default

// How a field is read, by field number of a message shape.
const K_UNKNOWN = 0;
const K_VARINT = 1;
const K_FIXED64 = 2;
const K_FIXED32 = 3;
const K_LEN = 4;
const K_MESSAGE = 5;
// A packable repeated scalar: its kind plus PACKED (K_PACKED_VARINT, or 7 and 8 for fixed64/32).
const K_PACKED_VARINT = 6;
const PACKED = K_PACKED_VARINT - K_VARINT;

interface Shape {
  /** Read kind by field number (K_UNKNOWN beyond its length). */
  readonly kinds: Uint8Array;
  /** The shape of each K_MESSAGE field, by field number. */
  readonly children: number[];
  /** A map entry: read in its parent's message, so it does not count toward the depth. */
  readonly entry: boolean;
}

const shapes: Shape[] = [];
const shapeIndex = new Map<string, number>();

function scalarKind(type: ScalarType): number {
  switch (type) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return K_FIXED64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return K_FIXED32;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return K_LEN;
    default:
      return K_VARINT;
  }
}

function newShape(fields: number, entry: boolean): number {
  shapes.push({ kinds: new Uint8Array(fields + 1), children: [], entry });
  return shapes.length - 1;
}

// The read shape of a message, built once from its descriptor (recursive types included).
function shapeOf(desc: DescMessage): number {
  const known = shapeIndex.get(desc.typeName);
  if (known !== undefined) return known;
  const index = newShape(Math.max(0, ...desc.fields.map((field) => field.number)), false);
  shapeIndex.set(desc.typeName, index);
  const shape = shapes[index];
  for (const field of desc.fields) {
    const no = field.number;
    switch (field.fieldKind) {
      case "scalar":
        shape.kinds[no] = scalarKind(field.scalar);
        break;
      case "enum":
        shape.kinds[no] = K_VARINT;
        break;
      case "message":
        shape.kinds[no] = K_MESSAGE;
        shape.children[no] = shapeOf(field.message);
        break;
      case "list":
        if (field.listKind === "message") {
          shape.kinds[no] = K_MESSAGE;
          shape.children[no] = shapeOf(field.message);
        } else {
          const kind = field.listKind === "enum" ? K_VARINT : scalarKind(field.scalar);
          shape.kinds[no] = kind === K_LEN ? K_LEN : kind + PACKED;
        }
        break;
      case "map": {
        const entry = newShape(2, true);
        shapes[entry].kinds[1] = scalarKind(field.mapKey);
        if (field.mapKind === "message") {
          shapes[entry].kinds[2] = K_MESSAGE;
          shapes[entry].children[2] = shapeOf(field.message);
        } else {
          shapes[entry].kinds[2] = field.mapKind === "enum" ? K_VARINT : scalarKind(field.scalar);
        }
        shape.kinds[no] = K_MESSAGE;
        shape.children[no] = entry;
        break;
      }
    }
  }
  return index;
}

const TOP_SHAPE = shapeOf(DashStreamMessageSchema);
const HEADER_SHAPE = shapeOf(HeaderSchema);

// What a walk is reading: the message itself, its oneof member, the member's header, or other.
const ROLE_OTHER = 0;
const ROLE_TOP = 1;
const ROLE_MEMBER = 2;
const ROLE_HEADER = 3;

// Walk results.
const OK = 0;
const ERR = 1;
const UNSURE = 2;

// Walk state (calls are synchronous and never nest).
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let fieldNo = 0;
let wireType = 0;
let lo = 0; // the last length (readLength())
let member = 0;
let timeLo = 0;
let timeHi = 0;
let threadStart = -1;
let threadEnd = -1;
// Bytes the length varint of the last LEN field took (where its content starts).
let lengthBytes = 0;

/**
 * Reads message headers; reuse one instance (each {@linkcode read} overwrites it). The thread
 * id is decoded only when asked for.
 */
export class HeaderPeek {
  /** `header.timestamp_us` in ms, or NaN when there is no header, or it is zero or negative. */
  timeMs = NaN;
  #bytes: Uint8Array = new Uint8Array(0);
  #threadStart = -1;
  #threadEnd = -1;
  #thread: string | undefined;

  /** Reads the header of the message in `bytes` from `start` (default 0) to its end. */
  read(bytes: Uint8Array, start = 0): void {
    this.#bytes = bytes;
    this.#thread = undefined;
    buf = bytes;
    pos = start;
    member = 0;
    clearHeader();
    const result = walk(TOP_SHAPE, bytes.length, 0, ROLE_TOP);
    buf = EMPTY;
    if (result === OK) {
      this.timeMs = timeMs(timeLo, timeHi);
      this.#threadStart = threadStart;
      this.#threadEnd = threadEnd;
    } else {
      this.#threadStart = this.#threadEnd = -1;
      this.timeMs = NaN;
      if (result === UNSURE) this.#readSlowly(bytes.subarray(start));
    }
  }

  /** Forgets the last message: no time, no thread id. */
  clear(): void {
    this.timeMs = NaN;
    this.#bytes = EMPTY;
    this.#threadStart = this.#threadEnd = -1;
    this.#thread = undefined;
  }

  /** The header's thread id, or undefined when there is none or it is empty. */
  threadId(): string | undefined {
    if (this.#thread !== undefined) return this.#thread;
    if (this.#threadEnd <= this.#threadStart) return undefined;
    return new TextDecoder().decode(this.#bytes.subarray(this.#threadStart, this.#threadEnd));
  }

  // What the walk does not mirror, protobuf-es reads.
  #readSlowly(bytes: Uint8Array): void {
    let header;
    try {
      header = fromBinary(DashStreamMessageSchema, bytes).message.value?.header;
    } catch {
      return;
    }
    if (header === undefined) return;
    const us = header.timestampUs;
    this.timeMs = us > 0n ? Number(us) / 1000 : NaN;
    this.#thread = header.threadId === "" ? undefined : header.threadId;
  }
}

const EMPTY = new Uint8Array(0);

function clearHeader(): void {
  timeLo = timeHi = 0;
  threadStart = threadEnd = -1;
}

// int64 as protobuf-es gives it (two's complement), in ms; NaN unless positive. One rounding,
// as Number(bigint) rounds.
function timeMs(low: number, high: number): number {
  if (high < 0 || (high === 0 && low === 0)) return NaN;
  return (high * 4294967296 + (low >>> 0)) / 1000;
}

// One message's fields from `pos` while `pos < end` (fields may run past `end`, as in
// protobuf-es). `depth` counts the messages around this one.
function walk(shapeAt: number, end: number, depth: number, role: number): number {
  const shape = shapes[shapeAt];
  if (!shape.entry && ++depth > RECURSION_LIMIT) return ERR;
  const kinds = shape.kinds;
  while (pos < end) {
    if (!readTag()) return ERR;
    const no = fieldNo;
    const kind = no < kinds.length ? kinds[no] : K_UNKNOWN;
    if (kind === K_MESSAGE) {
      if (!readLength()) return ERR;
      const child = shape.children[no];
      let childRole = ROLE_OTHER;
      if (role === ROLE_TOP) { // every message field of DashStreamMessage is a oneof member
        if (no !== member) clearHeader();
        member = no;
        childRole = ROLE_MEMBER;
      } else if (role === ROLE_MEMBER && child === HEADER_SHAPE) {
        childRole = ROLE_HEADER;
      }
      const result = walk(child, pos + lo, depth, childRole);
      if (result !== OK) return result;
    } else if (kind === K_UNKNOWN) {
      const result = skipUnknown();
      if (result !== OK) return result;
    } else if (kind >= K_PACKED_VARINT && wireType === 2) {
      if (!readLength()) return ERR;
      const packedEnd = pos + lo;
      while (pos < packedEnd) {
        if (!readScalar(kind - PACKED)) return ERR;
      }
    } else {
      const start = pos;
      if (!readScalar(kind >= K_PACKED_VARINT ? kind - PACKED : kind)) return ERR;
      if (role === ROLE_HEADER) {
        if (no === TIMESTAMP_FIELD && kind === K_VARINT) {
          timeLo = varint64.lo;
          timeHi = varint64.hi;
        } else if (no === THREAD_ID_FIELD && kind === K_LEN) {
          threadStart = start + lengthBytes;
          threadEnd = pos;
        }
      }
    }
  }
  return OK;
}

function readScalar(kind: number): boolean {
  switch (kind) {
    case K_VARINT:
      return readVarint();
    case K_FIXED64:
      pos += 8;
      return pos <= buf.length;
    case K_FIXED32:
      pos += 4;
      return pos <= buf.length;
    default: { // K_LEN
      const start = pos;
      if (!readLength()) return false;
      lengthBytes = pos - start;
      pos += lo;
      return pos <= buf.length;
    }
  }
}

// protobuf-es `skip()`: an unknown varint may be any length; wire type 4 is an error.
function skipUnknown(): number {
  switch (wireType) {
    case 0:
      while (pos < buf.length) {
        if (buf[pos++] < 0x80) return OK;
      }
      return ERR;
    case 1:
      pos += 8;
      return pos <= buf.length ? OK : ERR;
    case 2:
      if (!readLength()) return ERR;
      pos += lo;
      return pos <= buf.length ? OK : ERR;
    case 5:
      pos += 4;
      return pos <= buf.length ? OK : ERR;
    case 3:
      return UNSURE; // a group: protobuf-es skips it with its own rules
    default:
      return ERR;
  }
}

// protobuf-es `tag()` (varint.ts), into `fieldNo` and `wireType`. A one-byte tag (most) is read
// here: a call per field made the walk ~10% slower on Bun.
function readTag(): boolean {
  if (pos < buf.length && buf[pos] < 0x80) {
    const tag = buf[pos++];
    fieldNo = tag >>> 3;
    wireType = tag & 7;
    return fieldNo > 0 && wireType <= 5;
  }
  const next = readTagAt(buf, pos);
  if (next < 0) return false;
  pos = next;
  fieldNo = varint64.lo >>> 3;
  wireType = varint64.lo & 7;
  return true;
}

// protobuf-es `uint32()` for a length: up to 10 bytes, the low 32 bits, into `lo`.
function readLength(): boolean {
  if (pos < buf.length && buf[pos] < 0x80) { // one byte: most lengths
    lo = buf[pos++];
    return true;
  }
  if (!readVarint()) return false;
  lo = varint64.lo >>> 0;
  return true;
}

// A varint, into varint64 (varint.ts).
function readVarint(): boolean {
  pos = readVarint64(buf, pos);
  return pos >= 0;
}
