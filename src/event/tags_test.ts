import assert from "node:assert/strict";
import { pickApplicationType, pickCategory } from "./tags.ts";

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
