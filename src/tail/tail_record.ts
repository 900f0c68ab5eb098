/**
 * One Kafka record as `tail` handles it: its coordinates and either the decoded
 * message or why it could not be decoded. Decoding never throws here, so a bad
 * record becomes an error line, never a crash.
 * @module
 */

import type { KafkaRecord } from "../kafka/record.ts";
import { errorMessage } from "../errors.ts";
import { type DecodedRecord, DecodeError, decodeRecordDetailed } from "../wire/mod.ts";
import { type MessageKind, messageKind } from "./message_kind.ts";

/** Why a record could not be decoded. */
export interface TailDecodeFailure {
  /** The decode error's reason (`empty`, `too_large`, `zstd`, `protobuf`...), or `unknown`. */
  reason: string;
  /** The full message: what failed, the value, the fix. */
  message: string;
  /** The framing seen, when the value was not empty. */
  framing?: string;
}

/** A record with its decode outcome. */
export type TailRecord =
  & { record: KafkaRecord }
  & (
    | { ok: true; decoded: DecodedRecord; kind: MessageKind }
    | { ok: false; failure: TailDecodeFailure }
  );

/** Decodes `record`'s value; a failure is returned, never thrown. */
export function decodeTailRecord(
  record: KafkaRecord,
  options: { maxPayloadBytes?: number } = {},
): TailRecord {
  try {
    const decoded = decodeRecordDetailed(record.value, options);
    return { record, ok: true, decoded, kind: messageKind(decoded.message) };
  } catch (error) {
    if (error instanceof DecodeError) {
      return {
        record,
        ok: false,
        failure: { reason: error.reason, message: error.message, framing: error.framing },
      };
    }
    return { record, ok: false, failure: { reason: "unknown", message: errorMessage(error) } };
  }
}
