/**
 * Transparent gzip: `tail --output x.bin.gz`-style files (or any gzip stream,
 * several members included) are decompressed before format detection.
 * @module
 */

import zlib from "node:zlib";

/** True when `bytes` starts with the gzip magic `1F 8B`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Why a gzip input could not be decompressed. */
export class GzipInputError extends Error {
  override name = "GzipInputError";
}

/** Thrown by {@linkcode gunzipIfCompressed} when the input inflates to more than its limit. */
export class GzipLimitError extends Error {
  override name = "GzipLimitError";
}

/**
 * Returns `bytes` decompressed when they are gzip, else `bytes` unchanged. Inflating stops at
 * `maxBytes` ({@linkcode GzipLimitError}): a small file can inflate to gigabytes.
 * Throws {@linkcode GzipInputError} for a truncated or corrupt gzip stream.
 */
export function gunzipIfCompressed(
  bytes: Uint8Array,
  options: { maxBytes?: number } = {},
): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = options.maxBytes === undefined
      ? zlib.gunzipSync(bytes)
      : zlib.gunzipSync(bytes, { maxOutputLength: options.maxBytes });
    // A plain view: callers compare and slice bytes, never need Buffer.
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new GzipLimitError(`inflates to more than ${options.maxBytes} bytes`, { cause: error });
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new GzipInputError(
      `the input starts like gzip (1F 8B) but does not decompress (${detail}); ` +
        "the file is truncated or corrupt",
      { cause: error },
    );
  }
}
