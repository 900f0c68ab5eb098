/**
 * Reading the replay input: a file path, or `-` for standard input, whole,
 * gunzipped when it is gzip. The input is held in memory: records are views
 * into it, so reading never copies a record.
 * @module
 */

import { errorMessage, RunError } from "../errors.ts";
import { readAll } from "../util/read_all.ts";
import type { Runtime } from "../runtime/mod.ts";
import { gunzipIfCompressed, GzipInputError, isGzip } from "./gzip.ts";

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
 * Reads `path` (`-`: standard input) completely and gunzips it if needed.
 * Throws {@linkcode RunError} naming the input when it cannot be read.
 */
export async function readReplayInput(
  runtime: Pick<Runtime, "readFile" | "stdin">,
  path: string,
): Promise<ReplayInput> {
  const name = path === "-" ? "standard input" : path;
  let raw: Uint8Array;
  try {
    raw = path === "-" ? await readAll(runtime.stdin()) : await runtime.readFile(path);
  } catch (error) {
    throw new RunError(
      `Cannot read replay input ${path === "-" ? name : `'${path}'`}: ${errorMessage(error)} ` +
        "(give a file written by 'tail --output', a JSON Lines file, or - for standard input)",
    );
  }
  const gzip = isGzip(raw);
  try {
    return { name, bytes: gunzipIfCompressed(raw), gzip };
  } catch (error) {
    if (error instanceof GzipInputError) {
      throw new RunError(`Cannot read replay input ${name}: ${error.message}`);
    }
    throw error;
  }
}
