/**
 * A DashStreamMessage written in protobuf's canonical JSON mapping (easy to
 * write by hand), turned into the record value a producer would send.
 * @module
 */

import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { encodeRecord } from "../wire/encode.ts";

/** The JSON is not a DashStreamMessage. */
export class CanonicalJsonError extends Error {
  override name = "CanonicalJsonError";
}

/**
 * Parses `json` as a DashStreamMessage (field names in lowerCamelCase or as
 * in the .proto; int64 as numbers or strings; bytes in base64) and encodes it
 * as a 0x00-framed record value, never compressed, so it goes through the
 * same decode path as recorded values and `--to-kafka` produces it framed.
 * Throws {@linkcode CanonicalJsonError} for unknown fields, wrong types, or
 * an object that sets no message at all.
 */
export function canonicalJsonToRecord(json: JsonValue): Uint8Array {
  let message;
  try {
    message = fromJson(DashStreamMessageSchema, json);
  } catch (error) {
    throw new CanonicalJsonError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  if (message.message.case === undefined) {
    throw new CanonicalJsonError(
      "it sets none of event, stateDiff, tokenChunk, toolExecution, checkpoint, metrics, " +
        "error, eventBatch, executionTrace",
    );
  }
  return encodeRecord(message, { compression: "never" });
}
