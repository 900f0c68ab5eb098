/**
 * A decoded `DashStreamMessage` as plain JSON for `tail --format json`: every
 * field under its proto name (snake_case) in declaration order, present even
 * when it holds its default, so field names are stable; enums by their proto
 * value name; 64-bit integers exact; ids as UUIDs or hex; the header timestamp
 * also as RFC 3339; JSON payloads embedded. Written from the schema, so every
 * message type of the spec (and any field added to it later) is covered.
 * @module
 */

import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import type { DashStreamMessage } from "../gen/dashstream_pb.ts";
import { DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { hex, idText, payloadValue } from "./bytes_text.ts";
import type { JsonObject, JsonValue } from "./json_text.ts";
import { isoFromMicros } from "./time_text.ts";

const PACKAGE = "dashstream.v1";

/** Bytes fields holding ids: a UUID when 16 bytes, else hex. */
const ID_FIELDS = new Set([
  `${PACKAGE}.Header.message_id`,
  `${PACKAGE}.Header.parent_id`,
  `${PACKAGE}.StateDiff.base_checkpoint_id`,
  `${PACKAGE}.Checkpoint.checkpoint_id`,
]);

/** Bytes fields holding hashes: hex. */
const HEX_FIELDS = new Set([
  `${PACKAGE}.StateDiff.state_hash`,
  `${PACKAGE}.Checkpoint.checksum`,
]);

/** int64 µs timestamps that also get an RFC 3339 sibling, named here. */
const MICROS_FIELDS: Record<string, string> = {
  [`${PACKAGE}.Header.timestamp_us`]: "timestamp",
};

const DIFF_VALUE = `${PACKAGE}.DiffOperation.value`;
const VALUE_ENCODING_JSON = 0;

/**
 * The JSON view of the oneof member set in `msg` (the Event, Metrics, ...
 * message itself), or `{}` when none is set.
 */
export function messageJson(msg: DashStreamMessage): JsonObject {
  const member = msg.message;
  if (member.case === undefined) return {};
  const field = DashStreamMessageSchema.fields.find((f) => f.localName === member.case);
  if (field?.fieldKind !== "message") return {};
  return objectJson(field.message, member.value as unknown as Record<string, unknown>);
}

function objectJson(desc: DescMessage, message: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const member of desc.members) {
    if (member.kind === "oneof") {
      // A oneof shows as the one field set, under that field's name.
      const chosen = message[member.localName] as { case?: string; value?: unknown };
      const field = member.fields.find((f) => f.localName === chosen.case);
      if (field !== undefined) out[field.name] = fieldJson(field, chosen.value, message);
      continue;
    }
    out[member.name] = fieldJson(member, message[member.localName], message);
    const sibling = MICROS_FIELDS[`${desc.typeName}.${member.name}`];
    if (sibling !== undefined) out[sibling] = isoFromMicros(message[member.localName] as bigint);
  }
  return out;
}

function fieldJson(field: DescField, value: unknown, parent: Record<string, unknown>): JsonValue {
  switch (field.fieldKind) {
    case "scalar":
      return scalarJson(field, field.scalar, value, parent);
    case "enum":
      return enumJson(field.enum, value as number);
    case "message":
      return value === undefined
        ? null
        : objectJson(field.message, value as Record<string, unknown>);
    case "list":
      return (value as unknown[]).map((item) => {
        if (field.listKind === "message") {
          return objectJson(field.message, item as Record<string, unknown>);
        }
        if (field.listKind === "enum") return enumJson(field.enum, item as number);
        return scalarJson(field, field.scalar, item, parent);
      });
    case "map": {
      const entries = Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const out: JsonObject = {};
      for (const [key, item] of entries) {
        if (field.mapKind === "message") {
          out[key] = objectJson(field.message, item as Record<string, unknown>);
        } else if (field.mapKind === "enum") {
          out[key] = enumJson(field.enum, item as number);
        } else {
          out[key] = scalarJson(field, field.scalar, item, parent);
        }
      }
      return out;
    }
  }
}

function scalarJson(
  field: DescField,
  scalar: ScalarType,
  value: unknown,
  parent: Record<string, unknown>,
): JsonValue {
  switch (scalar) {
    case ScalarType.BYTES: {
      const bytes = value as Uint8Array;
      const name = `${field.parent.typeName}.${field.name}`;
      if (ID_FIELDS.has(name)) return idText(bytes);
      if (HEX_FIELDS.has(name)) return hex(bytes);
      return payloadValue(bytes, {
        anyJson: name === DIFF_VALUE && parent.encoding === VALUE_ENCODING_JSON,
      });
    }
    case ScalarType.FLOAT:
      return shortestFloat32(value as number);
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return typeof value === "bigint" ? value : BigInt(value as string);
    default:
      return value as JsonValue;
  }
}

/** An enum value by its proto name; a number unknown to the schema stays a number. */
function enumJson(desc: DescEnum, value: number): JsonValue {
  return desc.value[value]?.name ?? value;
}

/**
 * The shortest decimal that reads back as the same float32, so a float field
 * holding 0.1 prints 0.1, not 0.10000000149011612.
 */
export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
