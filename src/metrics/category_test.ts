import assert from "node:assert/strict";
import { normalizeCategory, pickApplicationType, pickCategory } from "./category.ts";

Deno.test("normalizeCategory() maps lowercase, uppercase and capitalized spellings", () => {
  const table: Array<[string, string]> = [
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
  ];
  for (const [raw, expected] of table) assert.equal(normalizeCategory(raw), expected, raw);
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

Deno.test("pickCategory() takes category, then query_category, then complexity", () => {
  assert.equal(pickCategory({}), "Unknown");
  assert.equal(pickCategory({ complexity: "edge" }), "edge");
  assert.equal(pickCategory({ query_category: "medium", complexity: "edge" }), "medium");
  assert.equal(
    pickCategory({ category: "simple", query_category: "medium", complexity: "edge" }),
    "simple",
  );
  // Present but empty still wins; it then normalizes to Unknown.
  assert.equal(pickCategory({ category: "", complexity: "edge" }), "");
  assert.equal(pickCategory({ other: "simple" }), "Unknown");
});

Deno.test("pickApplicationType() takes application_type, then app_type", () => {
  assert.equal(pickApplicationType({}), "unknown");
  assert.equal(pickApplicationType({ app_type: "librarian" }), "librarian");
  assert.equal(
    pickApplicationType({ application_type: "chat", app_type: "librarian" }),
    "chat",
  );
  assert.equal(pickApplicationType({ application_type: "", app_type: "librarian" }), "");
});
