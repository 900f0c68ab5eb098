/**
 * The error kafkajs sees when a compressed record batch cannot be read.
 * @module
 */

/** Which Kafka compression codec failed. */
export type CodecName = "snappy" | "lz4" | "zstd";

/** A compressed Kafka record batch is corrupt, or decompresses past the limit. */
export class CodecError extends Error {
  override name = "CodecError";
  /** The codec. */
  readonly codec: CodecName;
  /** `corrupt`: not valid data for the codec; `too_large`: over the output limit. */
  readonly reason: "corrupt" | "too_large";

  /** Builds the error; the message says what failed and the value. */
  constructor(
    codec: CodecName,
    reason: "corrupt" | "too_large",
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.codec = codec;
    this.reason = reason;
  }
}
