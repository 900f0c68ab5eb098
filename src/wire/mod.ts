/**
 * The DashStream wire format: record framing, zstd, protobuf decode/encode, the header peek.
 * Knows nothing of quality events or metrics (those are `event/` and `metrics/`, above it).
 * @module
 */

export { decodeMessage, decodeRecord, decodeRecordDetailed } from "./decode.ts";
export type { DecodedRecord, DecodeOptions } from "./decode.ts";
export { COMPRESSION_THRESHOLD_BYTES, encodeRecord, messageHeader } from "./encode.ts";
export type { CompressionMode, EncodeOptions } from "./encode.ts";
export { DecodeError, PayloadLimitConfigError } from "./errors.ts";
export type { DecodeErrorDetails, DecodeReason, Framing } from "./errors.ts";
export { FRAME_RAW, FRAME_ZSTD, LOCATED, locateFrame, payloadOffset, unframe } from "./framing.ts";
export type { Located, Unframed, UnframeOptions } from "./framing.ts";
export { HeaderPeek } from "./header_peek.ts";
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  MAX_MAX_PAYLOAD_BYTES,
  MAX_PAYLOAD_BYTES_ENV,
  maxPayloadBytesOf,
  parseMaxPayloadBytes,
} from "./limits.ts";
export { hasZstdMagic, zstdCompress, zstdDecompress, ZstdError } from "../zstd/zstd.ts";
export type { ZstdCompressOptions, ZstdDecompressOptions, ZstdErrorReason } from "../zstd/zstd.ts";
