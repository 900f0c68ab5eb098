/**
 * Reading the replay input: a file path, or `-` for standard input, whole,
 * gunzipped when it is gzip. The input is held in memory: records are views
 * into it, so reading never copies a record.
 * @module
 */

import { errorMessage, RunError } from "../errors.ts";
import { formatByteSize } from "../config/byte_size.ts";
import { InputLimitError, readAll } from "../util/read_all.ts";
import type { Runtime } from "../runtime/mod.ts";
import { gunzipIfCompressed, GzipInputError, GzipLimitError, isGzip } from "./gzip.ts";

/**
 * Default `--max-input-bytes`: what `replay` holds of standard input or a gzip file's content
 * (sizes not known before reading them). Keeps a gzip bomb (4 MB inflating to 4 GiB) under
 * 512 MB of memory; a plain file is read whole, its size being visible before the replay.
 */
export const DEFAULT_REPLAY_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** The input, ready for format detection. */
export interface ReplayInput {
  /** What to call it in messages: the path, or "standard input". */
  name: string;
  /** The (decompressed) bytes. */
  bytes: Uint8Array;
  /** Whether it was gzip-compressed (offsets then refer to the decompressed bytes). */
  gzip: boolean;
}

/**
 * Reads `path` (`-`: standard input) completely and gunzips it if needed; standard input and
 * the gunzipped bytes at most `maxBytes` (default {@linkcode DEFAULT_REPLAY_MAX_INPUT_BYTES}).
 * Throws {@linkcode RunError} naming the input when it cannot be read or is over the limit.
 */
export async function readReplayInput(
  runtime: Pick<Runtime, "readFile" | "stdin">,
  path: string,
  options: { maxBytes?: number } = {},
): Promise<ReplayInput> {
  const name = path === "-" ? "standard input" : path;
  const maxBytes = options.maxBytes ?? DEFAULT_REPLAY_MAX_INPUT_BYTES;
  const overLimit = (what: string) =>
    new RunError(
      `Cannot replay ${name}: ${what} more than ${formatByteSize(maxBytes)} ` +
        "(--max-input-bytes); raise --max-input-bytes, or give a decompressed file (read whole)",
    );
  let raw: Uint8Array;
  try {
    raw = path === "-"
      ? await readAll(runtime.stdin(), { maxBytes })
      : await runtime.readFile(path);
  } catch (error) {
    if (error instanceof InputLimitError) throw overLimit("it holds");
    throw new RunError(
      `Cannot read replay input ${path === "-" ? name : `'${path}'`}: ${errorMessage(error)} ` +
        "(give a file written by 'tail --output', a JSON Lines file, or - for standard input)",
    );
  }
  const gzip = isGzip(raw);
  try {
    return { name, bytes: gunzipIfCompressed(raw, { maxBytes }), gzip };
  } catch (error) {
    if (error instanceof GzipLimitError) throw overLimit("it is gzip and inflates to");
    if (error instanceof GzipInputError) {
      throw new RunError(`Cannot read replay input ${name}: ${error.message}`);
    }
    throw error;
  }
}
