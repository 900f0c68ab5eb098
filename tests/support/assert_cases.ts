/**
 * One assertion for a table of "this input gives that output" cases.
 *
 * @module
 */
import assert from "node:assert/strict";

/**
 * Asserts `fn(input)` equals `expected` (strictly, deeply) for every `[input, expected]` case,
 * naming the input of the first that does not.
 */
export function assertCases<In, Out>(
  fn: (input: In) => Out,
  cases: readonly (readonly [input: In, expected: Out])[],
): void {
  for (const [input, expected] of cases) {
    assert.deepStrictEqual(fn(input), expected, JSON.stringify(input));
  }
}
