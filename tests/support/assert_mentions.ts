/**
 * One assertion for "this text (a help page, a log) mentions each of these".
 *
 * @module
 */
import assert from "node:assert/strict";

/** Asserts `text` contains every string of `needles`; a failure names `what` and the one missing. */
export function assertMentions(text: string, needles: readonly string[], what: string): void {
  for (const needle of needles) assert.ok(text.includes(needle), `${what} lacks ${needle}`);
}
