import type { MetricsCore } from "../metrics/mod.ts";
import { decodeRecord } from "../wire/decode.ts";
import { DecodeError } from "../wire/errors.ts";

/** What happened to one record. */
export type RecordOutcome =
  | "applied"
  | "ignored"
  | "wrong_scope"
  | "missing_payload"
  | "decode_error"
  | "process_error";

/** Options for {@linkcode applyRecord}. */
export interface ApplyRecordOptions {
  /** DASHSTREAM_MAX_PAYLOAD_BYTES: bounds the payload and its decompressed size. */
  maxPayloadBytes?: number;
}

/**
 * Feeds one Kafka record value through decode and the metrics core, counting it
 * exactly as the original exporter did. Never throws: a bad record is counted
 * and skipped so it cannot stall its partition.
 */
export function applyRecord(
  core: MetricsCore,
  value: Uint8Array | null,
  options: ApplyRecordOptions = {},
): RecordOutcome {
  core.recordReceived();
  if (value === null) {
    core.recordPayloadMissing();
    return "missing_payload";
  }
  let message;
  try {
    message = decodeRecord(value, options);
  } catch (error) {
    core.recordFailure(error instanceof DecodeError ? "decode" : "unknown");
    return "decode_error";
  }
  try {
    return core.applyMessage(message);
  } catch {
    core.recordFailure("process");
    return "process_error";
  }
}
