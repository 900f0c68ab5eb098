/**
 * Which of the two replay input formats a buffer holds, told by its content.
 * @module
 */

/**
 * `delimited`: varint length + record value, repeated (what `tail --output`
 * writes). `jsonl`: one JSON object per line, a record envelope or a
 * DashStreamMessage in canonical JSON.
 */
export type InputFormat = "delimited" | "jsonl";

/** The values `--format` accepts. */
export const FORMAT_CHOICES = ["auto", "delimited", "jsonl"] as const;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * Tells the format by content: JSON Lines when the input starts (after
 * optional whitespace or a UTF-8 BOM) with `{` followed, after optional
 * whitespace, by `"` or `}`, as every JSON object does; otherwise
 * size-delimited. A delimited file does not look like that: its first byte
 * is a length and its second the record's framing byte (0x00 or 0x01), and
 * only an unframed 123-byte record whose first field is a tool execution
 * could fool the test (`--format` overrides it). A JSON Lines file whose
 * first line is then not valid JSON fails with a JSON error naming that line.
 * Empty input is delimited (no records).
 */
export function detectFormat(bytes: Uint8Array): InputFormat {
  let pos = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
  while (pos < bytes.length && isSpace(bytes[pos])) pos++;
  if (bytes[pos] !== 0x7b) return "delimited";
  pos++;
  while (pos < bytes.length && isSpace(bytes[pos])) pos++;
  return bytes[pos] === 0x22 || bytes[pos] === 0x7d ? "jsonl" : "delimited";
}
