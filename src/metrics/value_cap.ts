/**
 * The length cap on the raw strings the metrics core keeps (docs/semantics.md, "Rule: value
 * length cap"): the model tag (in the model caches) and the session id (in the session tracker).
 * A cache bounded in entries is bounded in bytes only if its keys are: 1,000 distinct 1 MiB model
 * tags held 1.3 GB before this cap.
 *
 * @module
 */

/** Longest kept value, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 256;

/** Fields whose values are capped: the `field` label of the truncation counter. */
export const CAPPED_FIELDS = Object.freeze(["model", "thread_id"] as const);

/** A field whose values {@linkcode capValue} caps. */
export type CappedField = (typeof CAPPED_FIELDS)[number];

/** Put between the kept prefix and the hash of a cut value. */
export const CUT_MARKER = "…";

// The marker is 3 bytes in UTF-8, the hash 16 hex digits: the rest is the kept prefix.
const HASH_DIGITS = 16;
const PREFIX_BYTES = MAX_VALUE_BYTES - 3 - HASH_DIGITS;
// A UTF-16 code unit is at most 3 UTF-8 bytes: a string this short always fits.
const ALWAYS_FITS = Math.floor(MAX_VALUE_BYTES / 3);

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const scratch = new Uint8Array(MAX_VALUE_BYTES);

/**
 * `value` itself when it is at most {@linkcode MAX_VALUE_BYTES} UTF-8 bytes, else a new string of
 * at most that many bytes: its first whole characters, {@linkcode CUT_MARKER}, and 16 hex digits
 * of a hash of the whole value (so two long values that differ only past the prefix stay
 * apart). The result never shares memory with `value` (a substring could keep it alive), and
 * the work done on `value` is one pass for the hash.
 */
export function capValue(value: string): string {
  if (value.length <= ALWAYS_FITS) return value;
  if (encoder.encodeInto(value, scratch).read === value.length) return value;
  const { written } = encoder.encodeInto(value, scratch.subarray(0, PREFIX_BYTES));
  // Decoded from a copy of the bytes: a fresh string, not a view of `value`.
  return decoder.decode(scratch.subarray(0, written)) + CUT_MARKER + hashHex(value);
}

// Two 32-bit FNV-1a lanes over the UTF-16 code units, with different offsets and a final mix:
// 64 bits, enough to keep the 100,000 tracked sessions apart, in one pass.
function hashHex(value: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = Math.imul(a ^ (a >>> 15), 0x2c1b3c6d);
  b = Math.imul(b ^ (b >>> 13), 0x297a2d39);
  return hex8(a ^ (b >>> 7)) + hex8(b ^ (a >>> 11));
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}
