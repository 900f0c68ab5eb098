import type { MetricsCore } from "../metrics/mod.ts";
import { emptyQualityEvent } from "../event/quality_event.ts";
import { decodeMessage, decodeRecord } from "../wire/decode.ts";
import { DecodeError } from "../wire/errors.ts";
import { READ_EVENT, READ_IGNORED, READ_WRONG_SCOPE, readQuality } from "../event/fast_quality.ts";
import { fastZstdDecompressTransient } from "../wire/fast_zstd.ts";
import { FRAME_RAW, FRAME_ZSTD } from "../wire/framing.ts";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../wire/limits.ts";

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

// The event the fast reader fills; applyQuality() reads it synchronously and keeps nothing.
const scratch = emptyQualityEvent();

/**
 * Feeds one Kafka record value through decode and the metrics core, counting it
 * exactly as the original exporter did. Never throws: a bad record is counted
 * and skipped so it cannot stall its partition.
 *
 * Fast path (same outcomes and counters as {@linkcode applyRecordReference}, checked by
 * apply_record_test.ts): a 0x00- or 0x01-framed value is unframed here (zstd by
 * `fastZstdDecompressTransient()`) and read by `readQuality()` straight into a quality event.
 * Whatever that path does not take — legacy framing, empty or oversized values, zstd it leaves
 * to `node:zlib`, messages it falls back on, bytes it finds invalid — goes through the reference
 * decoder, which decides.
 *
 * The event given to `core.applyQuality()` is one reused object: a core that wants to keep it
 * must copy it.
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
  const limit = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (value.length === 0 || value.length > limit) return decodeAndApply(core, value, options);
  const first = value[0];
  let bytes: Uint8Array | undefined;
  let offset = 0;
  if (first === FRAME_RAW) {
    bytes = value; // read in place, from offset 1
    offset = 1;
  } else if (first === FRAME_ZSTD) {
    // A plain view: value.subarray() would build a Buffer when Kafka hands out Buffers.
    const frame = new Uint8Array(value.buffer, value.byteOffset + 1, value.length - 1);
    bytes = fastZstdDecompressTransient(frame, limit);
  }
  if (bytes === undefined) return decodeAndApply(core, value, options);
  const read = readQuality(bytes, scratch, offset);
  if (read === READ_EVENT) {
    try {
      core.applyQuality(scratch);
    } catch {
      core.recordFailure("process");
      return "process_error";
    }
    return "applied";
  }
  if (read === READ_WRONG_SCOPE) {
    core.recordWrongScope();
    return "wrong_scope";
  }
  if (read === READ_IGNORED) return "ignored";
  // READ_FALLBACK or READ_ERROR: protobuf-es decides, on the bytes already unframed (copied
  // when they are the zstd decoder's memory, which the message's bytes fields would share).
  let message;
  try {
    message = first === FRAME_RAW
      ? decodeMessage(value.subarray(1), { framing: "framed" })
      : decodeMessage(bytes.slice(), { framing: "framed_zstd" });
  } catch (error) {
    core.recordFailure(error instanceof DecodeError ? "decode" : "unknown");
    return "decode_error";
  }
  return applyDecoded(core, message);
}

/**
 * {@linkcode applyRecord} on the reference path only: `decodeRecord()` (protobuf-es) and
 * `MetricsCore.applyMessage()`. Kept as the specification the fast path is tested against.
 */
export function applyRecordReference(
  core: MetricsCore,
  value: Uint8Array | null,
  options: ApplyRecordOptions = {},
): RecordOutcome {
  core.recordReceived();
  if (value === null) {
    core.recordPayloadMissing();
    return "missing_payload";
  }
  return decodeAndApply(core, value, options);
}

function decodeAndApply(
  core: MetricsCore,
  value: Uint8Array,
  options: ApplyRecordOptions,
): RecordOutcome {
  let message;
  try {
    message = decodeRecord(value, options);
  } catch (error) {
    core.recordFailure(error instanceof DecodeError ? "decode" : "unknown");
    return "decode_error";
  }
  return applyDecoded(core, message);
}

function applyDecoded(
  core: MetricsCore,
  message: ReturnType<typeof decodeRecord>,
): RecordOutcome {
  try {
    return core.applyMessage(message);
  } catch {
    core.recordFailure("process");
    return "process_error";
  }
}
