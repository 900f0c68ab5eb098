import assert from "node:assert/strict";
import { StdoutClosedError } from "../errors.ts";
import { type SyncFile, syncFileSink, syncOutput } from "./sync_file.ts";

/** A descriptor that takes at most `chunk` bytes a write, and fails with `fail` once set. */
function shortWrites(chunk: number) {
  const written: number[] = [];
  const file = {
    fail: undefined as Error | undefined,
    closed: false as boolean,
    writeSync(bytes: Uint8Array): number {
      if (file.fail) throw file.fail;
      const n = Math.min(chunk, bytes.length);
      written.push(...bytes.subarray(0, n));
      return n;
    },
    close() {
      file.closed = true;
    },
  } satisfies SyncFile & { close(): void; fail: Error | undefined; closed: boolean };
  return { file, written };
}

const EPIPE = new Error("broken pipe");
const options = { isTerminal: () => true, isBrokenPipe: (error: unknown) => error === EPIPE };

Deno.test("syncOutput() writes text as UTF-8 and bytes whole, over short writes", () => {
  const { file, written } = shortWrites(2);
  const out = syncOutput(file, options);
  out.write("é=1\n");
  out.write(new Uint8Array([7, 8, 9]));
  assert.deepEqual(written, [...new TextEncoder().encode("é=1\n"), 7, 8, 9]);
  assert.equal(out.isTerminal(), true);
});

Deno.test("syncOutput() throws StdoutClosedError once the reader is gone, other errors as they are", () => {
  const { file } = shortWrites(8);
  const out = syncOutput(file, options);
  const other = new Error("disk full");
  file.fail = other;
  assert.throws(() => out.write("x"), (error) => error === other);
  file.fail = EPIPE;
  assert.throws(() => out.write("x"), StdoutClosedError);
  file.fail = undefined; // a closed output stays closed
  assert.throws(() => out.write("x"), StdoutClosedError);
});

Deno.test("syncFileSink() writes whole over short writes and closes the file", () => {
  const { file, written } = shortWrites(3);
  const sink = syncFileSink(file);
  sink.write(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
  sink.close();
  assert.deepEqual(written, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(file.closed, true);
});
