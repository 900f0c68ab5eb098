/**
 * Golden files: output compared byte for byte with a committed file. `UPDATE_GOLDEN=1`
 * rewrites the file instead (review the diff after an intended output change).
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import process from "node:process";

/**
 * Asserts that `actual` equals the golden file at `path` (with `message` on a difference), or
 * writes it there when UPDATE_GOLDEN=1.
 */
export function assertGolden(path: string, actual: string, message?: string): void {
  if (process.env.UPDATE_GOLDEN === "1") {
    Deno.mkdirSync(dirname(path), { recursive: true });
    Deno.writeTextFileSync(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = Deno.readTextFileSync(path);
  } catch {
    throw new Error(`missing golden file ${path}: run with UPDATE_GOLDEN=1 to create it`);
  }
  assert.equal(actual, expected, message ?? `${path} differs (UPDATE_GOLDEN=1 rewrites it)`);
}
