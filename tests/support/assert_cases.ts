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

/** One case of a resolver of flags and env vars: what goes in, and all that comes out. */
export interface ResolveCase<Flags, Resolved> {
  /** The test's name after the resolver's. */
  name: string;
  flags: Flags;
  env: Record<string, string>;
  /** The whole resolved value. */
  expected: Resolved;
}

/**
 * Registers one test per case, named `${subject} ${name}`: `resolve(flags, env)` equals
 * `expected` (strictly, deeply).
 */
export function testResolveCases<Flags, Resolved>(
  subject: string,
  resolve: (flags: Flags, env: Record<string, string>) => Resolved,
  cases: readonly ResolveCase<NoInfer<Flags>, NoInfer<Resolved>>[],
): void {
  for (const { name, flags, env, expected } of cases) {
    Deno.test(`${subject} ${name}`, () => {
      assert.deepStrictEqual(resolve(flags, env), expected);
    });
  }
}
