/**
 * What showing a record would cost, read from its protobuf bytes before decoding them: a
 * 10 MiB record of 5 million empty events decodes into 5 million objects and a JSON line of
 * 600 MB (every field of every event is written, defaults included), so `tail` measures first
 * and shows such a record by its header alone (docs/semantics.md, "Rule: tail line size").
 * @module
 */

import { create, type DescMessage, fromBinary } from "@bufbuild/protobuf";
import {
  type DashStreamMessage,
  DashStreamMessageSchema,
  HeaderSchema,
} from "../gen/dashstream_pb.ts";

/** The cost scan of {@linkcode measureRenderCost}: an estimate, and what a shallow view needs. */
export interface RenderCost {
  /** Estimated characters of the JSON view; past the limit it stops counting. */
  chars: number;
  /** The top-level field set (the oneof member), if any was read. */
  memberField?: number;
  /** Where the member's header is in the bytes, if it was read. */
  header?: { start: number; end: number };
}

/** Characters per scalar of the JSON view, at most: a 64-bit integer and a comma. */
const SCALAR_CHARS = 21;
/** Per byte of a string or bytes field: text, escapes, base64 (4/3), on average. */
const BYTE_CHARS = 1.4;
/** Per byte of a packed list: one element of 1 byte writes as up to 3 characters. */
const PACKED_CHARS = 3;

/** Characters a message of `desc` writes when empty: every field's name and default. */
const baseChars = new Map<DescMessage, number>();
function emptyChars(desc: DescMessage): number {
  let chars = baseChars.get(desc);
  if (chars === undefined) {
    chars = 2;
    for (const field of desc.fields) chars += field.name.length + 4 + 6;
    baseChars.set(desc, chars);
  }
  return chars;
}

/** A message being scanned: its schema (none: skip its fields) and where its bytes end. */
interface Frame {
  desc: DescMessage | undefined;
  /** For a map entry: the schema of its message value (field 2). */
  mapValue?: DescMessage;
  end: number;
  depth: number;
}

/**
 * Estimates the characters of `tail`'s JSON view of a `DashStreamMessage` encoded in `bytes`,
 * walking the wire format with the schema and allocating nothing per field: every nested
 * message costs its fields' names and defaults, strings and bytes their length. Stops as soon
 * as the estimate passes `limit`. Malformed bytes end the scan (decoding then reports them).
 */
export function measureRenderCost(bytes: Uint8Array, limit: number): RenderCost {
  const out: RenderCost = { chars: emptyChars(DashStreamMessageSchema) };
  // An explicit stack: nesting depth is the sender's choice.
  const stack: Frame[] = [{ desc: DashStreamMessageSchema, end: bytes.length, depth: 0 }];
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) return -1;
      const byte = bytes[pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    return -1;
  };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (pos >= frame.end) {
      stack.pop();
      continue;
    }
    const tag = varint();
    if (tag < 0) return out;
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) {
      if (varint() < 0) return out;
      out.chars += SCALAR_CHARS;
    } else if (wireType === 1 || wireType === 5) {
      pos += wireType === 1 ? 8 : 4;
      out.chars += SCALAR_CHARS;
    } else if (wireType === 2) {
      const length = varint();
      if (length < 0 || pos + length > frame.end) return out;
      const child = childFrame(frame, number, pos + length);
      if (frame.depth === 0 && frame.desc === DashStreamMessageSchema) out.memberField = number;
      if (child !== undefined) {
        if (frame.depth === 1 && number === 1 && child.desc === HeaderSchema) {
          out.header = { start: pos, end: pos + length };
        }
        out.chars += child.desc === undefined ? 8 : emptyChars(child.desc) + 1;
        stack.push(child);
        if (out.chars > limit) return out;
        continue;
      }
      const field = frame.desc?.fields.find((f) => f.number === number);
      out.chars += 8 +
        length *
          (field?.fieldKind === "list" && field.listKind === "scalar" ? PACKED_CHARS : BYTE_CHARS);
      pos += length;
    } else {
      return out; // groups (3, 4) and invalid wire types: not ours to judge
    }
    if (out.chars > limit) return out;
  }
  return out;
}

/** The frame of a length-delimited field that holds a message, or undefined. */
function childFrame(frame: Frame, number: number, end: number): Frame | undefined {
  const depth = frame.depth + 1;
  if (frame.desc === undefined) {
    // A map entry: field 2 holds the value.
    return number === 2 && frame.mapValue !== undefined
      ? { desc: frame.mapValue, end, depth }
      : undefined;
  }
  const field = frame.desc.fields.find((f) => f.number === number);
  if (field === undefined) return undefined;
  if (field.fieldKind === "message") return { desc: field.message, end, depth };
  if (field.fieldKind === "list" && field.listKind === "message") {
    return { desc: field.message, end, depth };
  }
  if (field.fieldKind === "map") {
    return {
      desc: undefined,
      mapValue: field.mapKind === "message" ? field.message : undefined,
      end,
      depth,
    };
  }
  return undefined;
}

/**
 * The message of a record too costly to show: its member (the oneof case) empty but for its
 * header, decoded from the bytes {@linkcode measureRenderCost} located. Never throws: a
 * header that does not decode is left out.
 */
export function shallowMessage(bytes: Uint8Array, cost: RenderCost): DashStreamMessage {
  const field = DashStreamMessageSchema.fields.find((f) => f.number === cost.memberField);
  if (field?.fieldKind !== "message" || field.oneof === undefined) {
    return create(DashStreamMessageSchema);
  }
  let header;
  if (cost.header !== undefined) {
    try {
      header = fromBinary(HeaderSchema, bytes.subarray(cost.header.start, cost.header.end));
    } catch {
      header = undefined;
    }
  }
  const value = create(field.message, header === undefined ? {} : { header } as never);
  return create(DashStreamMessageSchema, {
    message: { case: field.localName, value } as never,
  });
}
