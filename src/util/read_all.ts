import { concatBytes } from "./concat_bytes.ts";

/** Thrown by {@linkcode readAll} when a stream holds more than its `maxBytes`. */
export class InputLimitError extends Error {
  override name = "InputLimitError";
  /** The limit that was exceeded, in bytes. */
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/**
 * Reads a byte stream (stdin, an HTTP body) to its end. With `maxBytes`, stops and cancels the
 * stream as soon as it has delivered more, throwing {@linkcode InputLimitError}: an endless or
 * decompressing body costs at most the limit, never what the sender chooses.
 */
export async function readAll(
  stream: ReadableStream<Uint8Array>,
  options: { maxBytes?: number } = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? Infinity;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new InputLimitError(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    // Stops the sender (closes the connection) instead of draining what is left.
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0];
  return concatBytes(chunks);
}
