/**
 * `tail --format json`: one JSON object per record and line, with the Kafka
 * coordinates and either the decoded message or the decode error.
 * @module
 */

import { Buffer } from "node:buffer";
import { formatByteSize } from "../config/byte_size.ts";
import { bytesText } from "./bytes_text.ts";
import { type JsonObject, jsonText } from "./json_text.ts";
import { messageJson } from "./message_json.ts";
import { protoType } from "./message_kind.ts";
import type { TailRecord } from "./tail_record.ts";
import { isoFromMs } from "./time_text.ts";

/**
 * The JSON object for one record. Field names are stable:
 * `topic`, `partition`, `offset`, `timestamp` (RFC 3339), `timestamp_ms`, `key`
 * (text, `base64:` for binary, null when absent), `size` (value bytes), then
 * `framing`, `type` (the proto oneof member, e.g. `event_batch`) and `message`
 * (the member's fields by proto name) for a decoded record, or, instead of `message`,
 * `truncated: {reason, max_line_bytes}` for one whose line would pass
 * `--max-line-bytes`; or
 * `error: {reason, framing, message}` for one that failed to decode; and last, but for a
 * truncated line, `value`: the record's exact value in base64 (null for a tombstone), which makes
 * the line a record envelope
 * `replay` reads (docs/replay.md, "Input"), so `tail --format json > f.jsonl` replays like
 * `tail --output f.bin`.
 */
export function recordJson(entry: TailRecord): JsonObject {
  const { record } = entry;
  const timestampMs = BigInt(record.timestamp);
  const out: JsonObject = {
    topic: record.topic,
    partition: record.partition,
    offset: BigInt(record.offset),
    timestamp: isoFromMs(Number(timestampMs)),
    timestamp_ms: timestampMs,
    key: record.key === null ? null : bytesText(record.key),
    size: record.value?.length ?? 0,
  };
  if (entry.ok) {
    out.framing = entry.decoded.framing;
    out.type = protoType(entry.decoded.message);
    if (entry.truncated === undefined) {
      out.message = messageJson(entry.decoded.message);
    } else {
      out.truncated = truncationJson(entry.truncated);
    }
  } else {
    out.error = {
      reason: entry.failure.reason,
      framing: entry.failure.framing ?? null,
      message: entry.failure.message,
    };
  }
  // Last: the longest field, and what `jq` users least often look at. A truncated line leaves it
  // out too, so the line stays short; `--output` keeps such a record whole for replay.
  if (!entry.ok || entry.truncated === undefined) {
    out.value = record.value === null ? null : Buffer.from(record.value).toString("base64");
  }
  return out;
}

/** The marker of a message left out: why, and the limit to raise to see it. */
function truncationJson(truncated: { maxLineBytes: number }): JsonObject {
  return {
    reason: "the message would make this line longer than --max-line-bytes " +
      `(${formatByteSize(truncated.maxLineBytes)}); raise it to see the message, or replay the ` +
      "record from --output",
    max_line_bytes: truncated.maxLineBytes,
  };
}

/** One line of `--format json` output (without the newline). */
export function jsonLine(entry: TailRecord): string {
  return jsonText(recordJson(entry));
}
