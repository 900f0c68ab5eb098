/**
 * The one failure a replay input can have: a record that cannot be read out of
 * the file (not a record whose value fails to decode: that is counted, as
 * `serve` counts it).
 * @module
 */

import { RecordFileError } from "../wire/record_file.ts";

/** What is wrong with the input at some record. */
export type InputProblem =
  /** Size-delimited: the input ends inside a length prefix. */
  | "truncated_length"
  /** Size-delimited: a length prefix longer than 5 bytes or over 2 GiB. */
  | "corrupt_length"
  /** Size-delimited: a record declares more bytes than remain. */
  | "truncated_record"
  /** JSON Lines: the line is not JSON, or not a JSON object. */
  | "bad_json"
  /** JSON Lines: a record envelope with a bad field (value not base64, ...). */
  | "bad_envelope"
  /** JSON Lines: neither an envelope nor a DashStreamMessage in canonical JSON. */
  | "bad_message";

/**
 * A record of the replay input could not be read. The message names the
 * record number (1-based; blank JSON lines are not records) and the byte offset
 * where it starts (in the decompressed input for gzip files). A
 * {@linkcode RecordFileError}, so a `RunError`: exit code 1.
 */
export class InputError extends RecordFileError<InputProblem> {
  override name = "InputError";
}
