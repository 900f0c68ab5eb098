/**
 * One assertion for "this throws that kind of error, saying this".
 *
 * @module
 */
import assert from "node:assert/strict";

/** What {@linkcode assertThrowsMatch} expects. */
export interface ThrowsMatch {
  /** The error's class. */
  type: abstract new (...args: never[]) => Error;
  /** What its message says. */
  message: RegExp;
  /** The message is one line (usage errors are printed as one). */
  oneLine?: boolean;
}

/** Asserts `fn` throws an instance of `expected.type` whose message matches `expected.message`. */
export function assertThrowsMatch(fn: () => unknown, expected: ThrowsMatch): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof expected.type, `expected a ${expected.type.name}, got ${error}`);
    assert.match(error.message, expected.message);
    if (expected.oneLine) assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}
