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

/**
 * Returns `bytes` decompressed when they are gzip, else `bytes` unchanged.
 * Throws {@linkcode GzipInputError} for a truncated or corrupt gzip stream.
 */
export function gunzipIfCompressed(bytes: Uint8Array): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = zlib.gunzipSync(bytes);
    // A plain view: callers compare and slice bytes, never need Buffer.
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new GzipInputError(
      `the input starts like gzip (1F 8B) but does not decompress (${detail}); ` +
        "the file is truncated or corrupt",
      { cause: error },
    );
  }
}
