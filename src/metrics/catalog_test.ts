import assert from "node:assert/strict";
import { LIBRARIAN_APP_TYPES } from "../event/librarian.ts";
import { CATALOG, CATEGORIES, FAILURE_TYPES, METRICS } from "./catalog.ts";

// The catalog row by row (name, type, labels, help, default buckets and their env var, in
// exposition order) equals the table of docs/semantics.md: tests/docs_tables_test.ts.

Deno.test("CATALOG rows are well formed", () => {
  const names = new Set<string>();
  for (const metric of CATALOG) {
    assert.match(metric.name, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    assert.ok(!names.has(metric.name), `unique: ${metric.name}`);
    names.add(metric.name);
    assert.ok(metric.help.length > 0 && !metric.help.includes("\n"), metric.name);
    assert.equal(metric.name.endsWith("_total"), metric.type === "counter", metric.name);
    assert.equal(metric.buckets !== undefined, metric.type === "histogram", metric.name);
    assert.ok(Object.isFrozen(metric));
  }
  assert.equal(Object.values(METRICS).length, CATALOG.length);
});

Deno.test("catalog label value sets match the spec", () => {
  assert.deepEqual(FAILURE_TYPES, ["decode", "process", "unknown"]);
  assert.deepEqual(CATEGORIES, ["Simple", "Medium", "Complex", "Edge", "Unknown"]);
  assert.deepEqual(LIBRARIAN_APP_TYPES, [
    "librarian",
    "code_assistant",
    "document_search",
    "document_search_streaming",
  ]);
});
