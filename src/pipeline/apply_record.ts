import type { FailureType, MetricsCore } from "../metrics/mod.ts";
import { emptyQualityEvent } from "../event/quality_event.ts";
import { decodeMessage, decodeRecord } from "../wire/decode.ts";
import { DecodeError } from "../wire/errors.ts";
import { READ, readQuality } from "../event/fast_quality.ts";
import { fastZstdDecompressTransient } from "../zstd/fast_zstd.ts";
import { LOCATED, locateFrame, payloadOffset } from "../wire/framing.ts";
import { maxPayloadBytesOf } from "../wire/limits.ts";

/** What happened to one record. */
export type RecordOutcome =
  | "applied"
  | "ignored"
  | "wrong_scope"
  | "missing_payload"
  | "decode_error"
  | "process_error";

/**
 * Feeds one Kafka record value (`null` for a tombstone) to the metrics core and says what
 * became of it.
 */
export type RecordApplier = (
  core: MetricsCore,
  value: Uint8Array | null,
  options?: ApplyRecordOptions,
) => RecordOutcome;

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
export const applyRecord: RecordApplier = countedIn(applyPresent);

/** {@linkcode applyRecord} once the record is counted in and known to have a value. */
function applyPresent(
  core: MetricsCore,
  value: Uint8Array,
  options: ApplyRecordOptions,
): RecordOutcome {
  const limit = maxPayloadBytesOf(options);
  const located = locateFrame(value, limit);
  const offset = payloadOffset(located);
  let bytes: Uint8Array | undefined;
  let start = 0; // where the message starts in `bytes`
  if (located === LOCATED.FRAMED) {
    bytes = value; // read in place
    start = offset;
  } else if (located === LOCATED.FRAMED_ZSTD) {
    // A plain view: value.subarray() would build a Buffer when Kafka hands out Buffers.
    const frame = new Uint8Array(value.buffer, value.byteOffset + offset, value.length - offset);
    bytes = fastZstdDecompressTransient(frame, limit);
  }
  if (bytes === undefined) return decodeAndApply(core, value, options);
  const read = readQuality(bytes, scratch, start);
  if (read === READ.EVENT) {
    try {
      core.applyQuality(scratch);
    } catch {
      core.recordFailure("process");
      return "process_error";
    }
    return "applied";
  }
  if (read === READ.WRONG_SCOPE) {
    core.recordWrongScope();
    return "wrong_scope";
  }
  if (read === READ.IGNORED) return "ignored";
  // READ.FALLBACK or READ.ERROR: protobuf-es decides, on the bytes already unframed (copied
  // when they are the zstd decoder's memory, which the message's bytes fields would share).
  let message;
  try {
    message = located === LOCATED.FRAMED
      ? decodeMessage(value.subarray(offset), { framing: "framed" })
      : decodeMessage(bytes.slice(), { framing: "framed_zstd" });
  } catch (error) {
    core.recordFailure(failureTypeOf(error));
    return "decode_error";
  }
  return applyDecoded(core, message);
}

/**
 * {@linkcode applyRecord} on the reference path only: `decodeRecord()` (protobuf-es) and
 * `MetricsCore.applyMessage()`. Kept as the specification the fast path is tested against.
 */
export const applyRecordReference: RecordApplier = countedIn(decodeAndApply);

/**
 * What both paths do first: count the record in; a record without a value (a tombstone) is
 * counted as missing and goes no further.
 */
function countedIn(
  apply: (core: MetricsCore, value: Uint8Array, options: ApplyRecordOptions) => RecordOutcome,
): RecordApplier {
  return (core, value, options = {}) => {
    core.recordReceived();
    if (value !== null) return apply(core, value, options);
    core.recordPayloadMissing();
    return "missing_payload";
  };
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
    core.recordFailure(failureTypeOf(error));
    return "decode_error";
  }
  return applyDecoded(core, message);
}

/**
 * The `error_type` of a record that did not decode (docs/semantics.md, "Rule: record outcomes"):
 * `decode_too_complex` past the cap on decode work, `decode` for any other bad value, `unknown`
 * for anything that is not a `DecodeError` (a bug).
 */
function failureTypeOf(error: unknown): FailureType {
  if (!(error instanceof DecodeError)) return "unknown";
  return error.reason === "too_complex" ? "decode_too_complex" : "decode";
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
