/**
 * Synchronous writers shared by both runtimes: stdout and stderr ({@linkcode Output}) and files
 * opened for writing ({@linkcode FileSink}). A runtime supplies only the raw write (which may
 * write part of what it is given), the terminal test and how its closed-pipe error looks.
 *
 * @module
 */
import { StdoutClosedError } from "../errors.ts";
import type { FileSink, Output } from "./types.ts";

/** A descriptor written synchronously, e.g. `Deno.stdout` or `node:fs` `writeSync` on a fd. */
export interface SyncFile {
  /** Writes some of `bytes` and returns how many were written. */
  writeSync(bytes: Uint8Array): number;
}

/** What {@linkcode syncOutput} needs besides the raw write. */
export interface SyncOutputOptions {
  /** True when the descriptor is an interactive terminal. */
  isTerminal(): boolean;
  /** True when `error` says the reader went away (EPIPE). */
  isBrokenPipe(error: unknown): boolean;
}

/**
 * stdout or stderr over `file`: text is UTF-8 encoded, every write goes out whole, and once the
 * reader is gone every write throws {@linkcode StdoutClosedError}.
 */
export function syncOutput(file: SyncFile, options: SyncOutputOptions): Output {
  const encoder = new TextEncoder();
  let closed = false;
  return {
    write(data) {
      // Once the reader is gone every write fails the same way (see StdoutClosedError).
      if (closed) throw new StdoutClosedError();
      try {
        writeAll(file, typeof data === "string" ? encoder.encode(data) : data);
      } catch (error) {
        if (!options.isBrokenPipe(error)) throw error;
        closed = true;
        throw new StdoutClosedError();
      }
    },
    isTerminal: () => options.isTerminal(),
  };
}

/** A file opened for writing, as {@linkcode FileSink}: each write goes out whole. */
export function syncFileSink(file: SyncFile & { close(): void }): FileSink {
  return {
    write: (data) => writeAll(file, data),
    close: () => file.close(),
  };
}

function writeAll(file: SyncFile, bytes: Uint8Array): void {
  while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
}
