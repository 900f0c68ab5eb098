/**
 * JSON Lines replay input: each non-blank line is a record envelope
 * (`{"value": base64, ...}`) or a DashStreamMessage in canonical JSON.
 * @module
 */

import type { JsonValue } from "@bufbuild/protobuf";
import { CanonicalJsonError, canonicalJsonToRecord } from "./canonical_json.ts";
import { EnvelopeError, isEnvelope, parseEnvelope } from "./envelope.ts";
import { InputError } from "./errors.ts";
import type { InputRecord } from "./record.ts";

/** Options for {@linkcode readJsonLines}. */
export interface ReadJsonLinesOptions {
  /**
   * Called for a line that is not a record, which is then skipped. Without
   * it, such a line throws {@linkcode InputError}.
   */
  onBad?: (error: InputError) => void;
}

const NEWLINE = 0x0a;

/**
 * Yields the records of a JSON Lines input. Blank lines are skipped and not
 * numbered; record numbers count the others. A bad line (not JSON, a bad
 * envelope field, or JSON that is no DashStreamMessage) throws
 * {@linkcode InputError} naming the record, its byte offset and line, unless
 * `onBad` takes it.
 */
export function* readJsonLines(
  bytes: Uint8Array,
  options: ReadJsonLinesOptions = {},
): Generator<InputRecord> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let pos = 0;
  let line = 0;
  let index = 0;
  while (pos < bytes.length) {
    let end = bytes.indexOf(NEWLINE, pos);
    if (end < 0) end = bytes.length;
    const start = pos;
    pos = end + 1;
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(start, end));
    } catch {
      index++;
      const error = new InputError("bad_json", index, start, `line ${line} is not UTF-8 text`);
      if (options.onBad === undefined) throw error;
      options.onBad(error);
      continue;
    }
    if (text.trim() === "") continue;
    index++;
    try {
      yield parseLine(text, index, start);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      const bad = new InputError(error.problem, index, start, `line ${line} ${error.message}`);
      if (options.onBad === undefined) throw bad;
      options.onBad(bad);
    }
  }
}

class LineError extends Error {
  constructor(readonly problem: "bad_json" | "bad_envelope" | "bad_message", message: string) {
    super(message);
  }
}

function parseLine(text: string, index: number, offset: number): InputRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LineError("bad_json", `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new LineError(
      "bad_json",
      `is JSON but not an object (${Array.isArray(json) ? "an array" : typeof json}); ` +
        'each line is {"value": base64, ...} or a DashStreamMessage',
    );
  }
  const object = json as Record<string, unknown>;
  if (isEnvelope(object)) {
    try {
      return { index, offset, ...parseEnvelope(object) };
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      throw new LineError("bad_envelope", `is a record envelope with ${error.message}`);
    }
  }
  try {
    return { index, offset, value: canonicalJsonToRecord(object as JsonValue) };
  } catch (error) {
    if (!(error instanceof CanonicalJsonError)) throw error;
    throw new LineError(
      "bad_message",
      'is neither a record envelope (it has no "value" field) nor a DashStreamMessage in ' +
        `protobuf's canonical JSON: ${error.message}`,
    );
  }
}
