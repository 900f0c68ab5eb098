import assert from "node:assert/strict";
import { normalizeCategory } from "./category.ts";
import { assertCases } from "../../tests/support/assert_cases.ts";

Deno.test("normalizeCategory() maps lowercase, uppercase and capitalized spellings", () => {
  assertCases(normalizeCategory, [
    ["simple", "Simple"],
    ["SIMPLE", "Simple"],
    ["Simple", "Simple"],
    ["medium", "Medium"],
    ["MEDIUM", "Medium"],
    ["Medium", "Medium"],
    ["complex", "Complex"],
    ["COMPLEX", "Complex"],
    ["Complex", "Complex"],
    ["edge", "Edge"],
    ["EDGE", "Edge"],
    ["Edge", "Edge"],
  ]);
});

Deno.test("normalizeCategory() maps every other value to Unknown", () => {
  for (
    const raw of [
      "sImPlE",
      "SImple",
      "mEDIUM",
      " simple",
      "simple ",
      "",
      "Unknown",
      "unknown",
      "hard",
      "edge_case",
      "Complex!",
    ]
  ) {
    assert.equal(normalizeCategory(raw), "Unknown", JSON.stringify(raw));
  }
});
