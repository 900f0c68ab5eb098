/**
 * One Kafka record as `tail` handles it: its coordinates and either the decoded
 * message or why it could not be decoded. Decoding never throws here, so a bad
 * record becomes an error line, never a crash.
 * @module
 */

import type { KafkaRecord } from "../kafka/record.ts";
import { errorMessage } from "../errors.ts";
import { type DecodedRecord, DecodeError, decodeMessage, unframe } from "../wire/mod.ts";
import { type MessageKind, messageKind } from "./message_kind.ts";
import { measureRenderCost, shallowMessage } from "./render_cost.ts";

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
    | {
      ok: true;
      decoded: DecodedRecord;
      kind: MessageKind;
      /**
       * Set when showing the whole message would pass `--max-line-bytes`: `decoded.message`
       * then holds only the member's header (see `render_cost.ts`).
       */
      truncated?: { maxLineBytes: number };
    }
    | { ok: false; failure: TailDecodeFailure }
  );

/**
 * Decodes `record`'s value; a failure is returned, never thrown. With `maxLineBytes`, a value
 * whose line would be longer is not decoded whole: only its type and header are, and the
 * entry is marked `truncated`.
 */
export function decodeTailRecord(
  record: KafkaRecord,
  options: { maxPayloadBytes?: number; maxLineBytes?: number } = {},
): TailRecord {
  try {
    const { bytes, framing } = unframe(record.value, options);
    const { maxLineBytes } = options;
    if (maxLineBytes !== undefined) {
      // The json line also carries the whole value in base64 (docs/semantics.md, "Rule: tail
      // line size"): the message gets what is left of the line.
      const valueChars = Math.ceil((record.value?.length ?? 0) / 3) * 4;
      const budget = Math.max(0, maxLineBytes - valueChars);
      const cost = measureRenderCost(bytes, budget);
      if (cost.chars > budget) {
        const message = shallowMessage(bytes, cost);
        return {
          record,
          ok: true,
          decoded: { message, framing, protobufBytes: bytes.length },
          kind: messageKind(message),
          truncated: { maxLineBytes },
        };
      }
    }
    const decoded = {
      message: decodeMessage(bytes, { framing }),
      framing,
      protobufBytes: bytes.length,
    };
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
