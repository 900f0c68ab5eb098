/**
 * The records of a replay input, in either format, with bad input either
 * thrown or handed to a callback (`--skip-bad`).
 * @module
 */

import { readDelimited, RecordFileError } from "../wire/record_file.ts";
import { InputError } from "./errors.ts";
import type { InputFormat } from "./format.ts";
import { readJsonLines } from "./jsonl.ts";
import type { InputRecord } from "./record.ts";

/** Options for {@linkcode readRecords}. */
export interface ReadRecordsOptions {
  /**
   * Takes bad input instead of throwing it. JSON Lines goes on with the next
   * line; a size-delimited input stops, since nothing after a bad length
   * prefix can be trusted to start a record.
   */
  onBad?: (error: InputError) => void;
}

/**
 * Yields every record of `bytes` read as `format`. Record values are views
 * into `bytes` for size-delimited input. Throws {@linkcode InputError} for
 * bad input unless `onBad` is given.
 */
export function readRecords(
  bytes: Uint8Array,
  format: InputFormat,
  options: ReadRecordsOptions = {},
): Generator<InputRecord> {
  return format === "jsonl" ? readJsonLines(bytes, options) : readDelimitedRecords(bytes, options);
}

function* readDelimitedRecords(
  bytes: Uint8Array,
  options: ReadRecordsOptions,
): Generator<InputRecord> {
  try {
    yield* readDelimited(bytes);
  } catch (error) {
    if (!(error instanceof RecordFileError)) throw error;
    const bad = new InputError(error.problem, error.index, error.offset, inputDetail(error));
    if (options.onBad === undefined) throw bad;
    options.onBad(bad);
  }
}

// RecordFileError's message already starts with "record N at byte offset O: ".
function inputDetail(error: RecordFileError): string {
  return error.message.replace(/^record \d+ at byte offset \d+: /, "");
}

/**
 * Reads the whole input once without using it: throws the first
 * {@linkcode InputError}, else returns the number of records.
 */
export function countRecords(bytes: Uint8Array, format: InputFormat): number {
  let count = 0;
  for (const _record of readRecords(bytes, format)) count++;
  return count;
}
