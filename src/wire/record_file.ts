/**
 * The size-delimited record file: each record is a protobuf-style unsigned
 * varint length followed by the exact Kafka record value bytes (framing byte
 * included). `tail --output` writes it and `replay` reads it.
 * @module
 */

import { RunError } from "../errors.ts";

/** Largest length a record file may declare (a corrupt length must not allocate). */
export const MAX_RECORD_FILE_LENGTH = 2 ** 31 - 1;

/** Encodes one record value as varint length + bytes. */
export function encodeDelimited(value: Uint8Array): Uint8Array {
  let length = value.length;
  const header: number[] = [];
  while (length > 0x7f) {
    header.push((length & 0x7f) | 0x80);
    length = Math.floor(length / 128);
  }
  header.push(length);
  const out = new Uint8Array(header.length + value.length);
  out.set(header, 0);
  out.set(value, header.length);
  return out;
}

/** Why a record file could not be read at some point. */
export type RecordFileProblem = "truncated_length" | "corrupt_length" | "truncated_record";

/** One record read from a record file, with where it was. */
export interface DelimitedRecord {
  /** 1-based record number. */
  index: number;
  /** Byte offset of the record's length prefix in the file. */
  offset: number;
  value: Uint8Array;
}

/**
 * A record file that is not well-formed at `offset`: the message names the record and the byte
 * where it starts. Generic over what is wrong, so that `replay`'s `InputError` (whose JSON Lines
 * input has problems of its own) is this error too. A {@linkcode RunError}: exit code 1.
 */
export class RecordFileError<Problem extends string = RecordFileProblem> extends RunError {
  override name = "RecordFileError";
  /** What is wrong. */
  readonly problem: Problem;
  /** 1-based number of the record that could not be read. */
  readonly index: number;
  /** Byte offset where that record starts. */
  readonly offset: number;

  /** Builds the error; `detail` says what is wrong with the record. */
  constructor(problem: Problem, index: number, offset: number, detail: string) {
    super(`record ${index} at byte offset ${offset}: ${detail}`);
    this.problem = problem;
    this.index = index;
    this.offset = offset;
  }
}

/**
 * Reads records from a whole size-delimited file. Values are views into `bytes`
 * (no copies). Throws {@linkcode RecordFileError} at the first malformed record:
 * a corrupt length cannot be resynchronised, so reading stops there.
 */
export function* readDelimited(bytes: Uint8Array): Generator<DelimitedRecord> {
  let pos = 0;
  let index = 0;
  while (pos < bytes.length) {
    index++;
    const start = pos;
    let length = 0;
    let scale = 1;
    let done = false;
    for (let i = 0; i < 5; i++) {
      if (pos >= bytes.length) {
        throw new RecordFileError(
          "truncated_length",
          index,
          start,
          "the file ends inside a length prefix (truncated file?)",
        );
      }
      const byte = bytes[pos++];
      length += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) {
        done = true;
        break;
      }
    }
    if (!done || length > MAX_RECORD_FILE_LENGTH) {
      throw new RecordFileError(
        "corrupt_length",
        index,
        start,
        "corrupt length prefix (not a size-delimited record file, or damaged)",
      );
    }
    if (pos + length > bytes.length) {
      throw new RecordFileError(
        "truncated_record",
        index,
        start,
        `declares ${length} bytes but only ${bytes.length - pos} remain (truncated file?)`,
      );
    }
    yield { index, offset: start, value: bytes.subarray(pos, pos + length) };
    pos += length;
  }
}
