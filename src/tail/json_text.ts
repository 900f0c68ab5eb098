/**
 * JSON text for `tail --format json`: like `JSON.stringify`, but 64-bit integers
 * (bigint) are written as exact JSON numbers instead of throwing or losing digits.
 * @module
 */

/** A JSON value whose integers may be bigints. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSON object whose integers may be bigints. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * Serializes `value` on one line, keys in insertion order. Non-finite numbers,
 * which JSON cannot hold, become the strings "NaN", "Infinity" and "-Infinity"
 * (as the protobuf JSON mapping writes them).
 */
export function jsonText(value: JsonValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case "bigint":
      return value.toString();
    case "string":
      return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    parts.push(`${JSON.stringify(key)}:${jsonText(item)}`);
  }
  return `{${parts.join(",")}}`;
}
