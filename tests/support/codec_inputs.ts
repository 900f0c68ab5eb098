/**
 * Inputs for the compression codec tests (zstd, snappy, LZ4): the test vectors in those
 * tests were made from these exact bytes by the reference tools, so the generators must not
 * change.
 * @module
 */
import { equal, ok, throws } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CodecError } from "../../src/kafka/codecs_error.ts";

/** Bytes from base64 (the test vectors). */
export const b64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

/** Bytes of a UTF-8 string. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const MODELS = ["gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet-20241022", "llama3:8b"];

/** JSON lines, 2678 bytes for 40 lines. */
export function varied(lines: number): Uint8Array {
  let text = "";
  for (let i = 0; i < lines; i++) {
    text += `{"seq":${i},"model":"${MODELS[(i * 7) % 4]}","latency_ms":${
      (i * 7919) % 10007
    },"passed":${i % 3 ? "true" : "false"}}\n`;
  }
  return utf8(text);
}

/** 79,800 bytes for 1400 lines (two 64 KiB LZ4 blocks). */
export function periodic(lines: number): Uint8Array {
  let text = "";
  for (let i = 0; i < lines; i++) {
    text += `dashstream quality event ${i % 10}: model=gpt-4o-mini score=0.${i % 10}7\n`;
  }
  return utf8(text);
}

/** The output cap the codec tests decode with: 1 MiB, more than any test input holds. */
export const TEST_CAP = { maxOutputBytes: 1 << 20 };

/** `length` incompressible bytes: the top byte of each step of an LCG started at `seed`. */
export function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, x = seed; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Asserts `decompress` throws a `too_large` CodecError: the output cap was reached. */
export function assertTooLarge(decompress: () => unknown): void {
  throws(
    decompress,
    (error: unknown) => error instanceof CodecError && error.reason === "too_large",
  );
}

/** A corrupt input: its name in failures, the bytes, and what the error message must say. */
export type CorruptCase = [name: string, input: Uint8Array, message: RegExp];

/** What {@linkcode assertCorrupt} decodes with. */
export interface CorruptOptions {
  /** The `codec` the CodecError names. */
  codec: string;
  /** Decodes one input (with the test's output cap). */
  decompress: (input: Uint8Array) => unknown;
}

/** Asserts `decompress` rejects every case with a `corrupt` CodecError of `codec`, saying why. */
export function assertCorrupt(cases: CorruptCase[], options: CorruptOptions): void {
  for (const [name, input, message] of cases) {
    throws(() => options.decompress(input), (error: unknown) => {
      ok(error instanceof CodecError, name);
      equal(error.codec, options.codec, name);
      equal(error.reason, "corrupt", name);
      ok(message.test(error.message), `${name}: ${error.message}`);
      return true;
    });
  }
}
