/**
 * Typed wire failures. A {@linkcode DecodeError} means one Kafka record is bad
 * (count it, skip it); a {@linkcode PayloadLimitConfigError} means the exporter
 * was started with a bad `DASHSTREAM_MAX_PAYLOAD_BYTES` (fail at start).
 * @module
 */

import { UsageError } from "../errors.ts";

/** Why a record could not be decoded; stable values for counters and tests. */
export type DecodeReason =
  | "empty"
  | "too_large"
  | "decompressed_too_large"
  | "zstd"
  | "too_complex"
  | "protobuf";

/**
 * How a record value was framed (see the wire-format spec):
 * `framed` 0x00 + protobuf, `framed_zstd` 0x01 + zstd frame, `legacy` bare
 * protobuf, `legacy_zstd` a bare zstd frame.
 */
export type Framing = "framed" | "framed_zstd" | "legacy" | "legacy_zstd";

/** Details carried by a {@linkcode DecodeError}. */
export interface DecodeErrorDetails {
  /** The framing seen before the failure, when the first byte was read. */
  framing?: Framing;
  /** The byte size the failure is about (payload, or decompressed output). */
  size?: number;
  /** The size limit in force, for the `*too_large` reasons. */
  limit?: number;
  /** The underlying error (zstd or protobuf library), if any. */
  cause?: unknown;
}

/** One Kafka record value could not be turned into a `DashStreamMessage`. */
export class DecodeError extends Error {
  override name = "DecodeError";
  /** Machine-readable reason. */
  readonly reason: DecodeReason;
  /** The framing seen, if the value was not empty. */
  readonly framing: Framing | undefined;
  /** The size the failure is about, in bytes, if known. */
  readonly size: number | undefined;
  /** The limit in force for the `*too_large` reasons. */
  readonly limit: number | undefined;

  /** Builds the error; `message` should say what failed, the value, and the fix. */
  constructor(reason: DecodeReason, message: string, details: DecodeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.framing = details.framing;
    this.size = details.size;
    this.limit = details.limit;
  }
}

/**
 * `DASHSTREAM_MAX_PAYLOAD_BYTES` (or the flag that sets it) is not a usable
 * limit. A {@linkcode UsageError}, so the CLI exits 2.
 */
export class PayloadLimitConfigError extends UsageError {
  override name = "PayloadLimitConfigError";
  /** The raw text that was rejected. */
  readonly value: string;

  /** Builds the error for the rejected raw text. */
  constructor(value: string, message: string) {
    super(message);
    this.value = value;
  }
}
