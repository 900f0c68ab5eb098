/**
 * Kafka record-batch compression codecs for kafkajs without native addons, so
 * the same code runs on Deno and Bun: snappy (xerial framing or raw), LZ4
 * (frame format) and zstd (`node:zlib`). gzip is built into kafkajs.
 * @module
 */

import { Buffer } from "node:buffer";
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import { zstdCompress, zstdDecompress, ZstdError } from "../zstd/zstd.ts";
import { CodecError } from "./codecs_error.ts";
import { lz4FrameCompress, lz4FrameDecompress } from "./codecs_lz4.ts";
import { snappyCompress, snappyDecompress } from "./codecs_snappy.ts";

export { CodecError } from "./codecs_error.ts";
export type { CodecName } from "./codecs_error.ts";

/**
 * What kafkajs calls a codec: `CompressionCodecs[type]` is a function that
 * returns this. kafkajs passes its `Encoder` (whose `buffer` holds the
 * serialized records) to `compress`, and reads the result of `decompress`
 * with Buffer methods, so both return a `Buffer`.
 */
export interface KafkaCodec {
  /** Compresses the records in `encoder.buffer`. */
  compress(encoder: { buffer: Uint8Array }): Promise<Buffer>;
  /** Decompresses one record batch's records. */
  decompress(buffer: Uint8Array): Promise<Buffer>;
}

/**
 * Default bound on one decompressed record batch: 256 MiB, far above a real
 * batch (brokers cap batches at ~1 MiB compressed by default), yet a
 * decompression bomb cannot exhaust memory.
 */
export const DEFAULT_MAX_BATCH_BYTES = 256 * 1024 * 1024;

/** Options for {@linkcode registerCodecs} and the codec factories. */
export interface CodecOptions {
  /** Largest decompressed record batch accepted, in bytes; default 256 MiB. */
  maxBatchBytes?: number;
}

/** The snappy codec: writes snappy-java's xerial framing, reads xerial or raw. */
export function snappyCodec(options: CodecOptions = {}): KafkaCodec {
  const maxOutputBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  return {
    compress: (encoder) => settle(() => asBuffer(snappyCompress(encoder.buffer))),
    decompress: (buffer) => settle(() => asBuffer(snappyDecompress(buffer, { maxOutputBytes }))),
  };
}

/** The LZ4 codec: the LZ4 frame format, as Kafka >= 0.10 uses. */
export function lz4Codec(options: CodecOptions = {}): KafkaCodec {
  const maxOutputBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  return {
    compress: (encoder) => settle(() => asBuffer(lz4FrameCompress(encoder.buffer))),
    decompress: (buffer) => settle(() => asBuffer(lz4FrameDecompress(buffer, { maxOutputBytes }))),
  };
}

/** The zstd codec: level 3 (Kafka's default), reads concatenated frames. */
export function zstdCodec(options: CodecOptions = {}): KafkaCodec {
  const maxOutputBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  return {
    compress: (encoder) => settle(() => zstdCompress(encoder.buffer)),
    decompress: (buffer) =>
      settle(() => {
        try {
          return zstdDecompress(buffer, { maxOutputBytes, capWork: false });
        } catch (error) {
          if (!(error instanceof ZstdError)) throw error;
          throw new CodecError(
            "zstd",
            error.reason === "too_large" ? "too_large" : "corrupt",
            `Cannot decompress a zstd record batch (${buffer.length} bytes): ${error.message}`,
            { cause: error },
          );
        }
      }),
  };
}

/**
 * Installs the snappy, LZ4 and zstd codecs into kafkajs' global
 * `CompressionCodecs`, for both producing and consuming. Safe to call any
 * number of times; the latest options win.
 */
export function registerCodecs(options: CodecOptions = {}): void {
  const snappy = snappyCodec(options);
  const lz4 = lz4Codec(options);
  const zstd = zstdCodec(options);
  const codecs = CompressionCodecs as Record<number, () => KafkaCodec>;
  codecs[CompressionTypes.Snappy] = () => snappy;
  codecs[CompressionTypes.LZ4] = () => lz4;
  codecs[CompressionTypes.ZSTD] = () => zstd;
}

/** A zero-copy Buffer view, since kafkajs reads the result with Buffer methods. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Runs `work`, turning a throw into a rejected promise as kafkajs expects. */
function settle(work: () => Buffer): Promise<Buffer> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}
