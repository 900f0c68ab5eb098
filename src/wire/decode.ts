/**
 * Kafka record value → `DashStreamMessage`: framing, zstd, protobuf, limits.
 * @module
 */

import { fromBinary } from "@bufbuild/protobuf";
import { type DashStreamMessage, DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { DecodeError, type Framing } from "./errors.ts";
import { unframe, type UnframeOptions } from "./framing.ts";

/** Options for {@linkcode decodeRecord}; see {@linkcode UnframeOptions}. */
export type DecodeOptions = UnframeOptions;

/**
 * Decodes one Kafka record value into a `DashStreamMessage` per the wire
 * format: 0x00 + protobuf, 0x01 + zstd, or legacy unframed (bare zstd or bare
 * protobuf). Throws {@linkcode DecodeError} (with a `reason`) for an empty or
 * missing value, a value or decompressed size over `maxPayloadBytes`
 * (default 10 MiB), corrupt zstd, or bytes that are not a `DashStreamMessage`.
 */
export function decodeRecord(
  value: Uint8Array | null | undefined,
  options?: DecodeOptions,
): DashStreamMessage {
  const { bytes, framing } = unframe(value, options);
  return decodeMessage(bytes, { framing });
}

/** A decoded record with what `tail` shows about it. */
export interface DecodedRecord {
  /** The message. */
  message: DashStreamMessage;
  /** The framing seen. */
  framing: Framing;
  /** Size of the encoded protobuf (after decompression), in bytes. */
  protobufBytes: number;
}

/** Like {@linkcode decodeRecord}, also telling the framing and protobuf size. */
export function decodeRecordDetailed(
  value: Uint8Array | null | undefined,
  options?: DecodeOptions,
): DecodedRecord {
  const { bytes, framing } = unframe(value, options);
  return { message: decodeMessage(bytes, { framing }), framing, protobufBytes: bytes.length };
}

/**
 * Decodes unframed protobuf bytes (e.g. from `unframe()`) into a
 * `DashStreamMessage`. Throws {@linkcode DecodeError} with reason `protobuf`.
 */
export function decodeMessage(
  bytes: Uint8Array,
  options: { framing?: Framing } = {},
): DashStreamMessage {
  try {
    return fromBinary(DashStreamMessageSchema, bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const framing = options.framing === undefined ? "" : `, ${options.framing} framing`;
    throw new DecodeError(
      "protobuf",
      `Cannot decode record: its protobuf (${bytes.length} bytes${framing}) is not a valid ` +
        `DashStreamMessage: ${detail}; check that only DashStream producers write to this ` +
        "topic",
      { framing: options.framing, size: bytes.length, cause: error },
    );
  }
}
