import assert from "node:assert/strict";
import type { Finding } from "./finding.ts";
import { FindingSink } from "./finding_sink.ts";

const warning = (i: number): Finding => ({
  severity: "warning",
  rule: i % 2 === 0 ? "lint-help" : "lint-colon",
  message: `m${i}`,
  line: i,
});

Deno.test("FindingSink counts every finding and keeps at most maxPerRule of each rule", () => {
  const sink = new FindingSink({ maxPerRule: 3 });
  for (let i = 0; i < 100_000; i++) sink.add(warning(i));
  sink.add({ severity: "notice", rule: "target-restarted", message: "restart" });
  assert.deepEqual(sink.counts, { errors: 0, warnings: 100_000, notices: 1 });
  assert.equal(sink.exitCode(), 3);
  assert.deepEqual(sink.kept.map((f) => f.line), [0, 1, 2, 3, 4, 5, undefined]);
  assert.deepEqual(sink.leftOut(), [
    { rule: "lint-colon", count: 49_997 },
    { rule: "lint-help", count: 49_997 },
  ]);
  sink.add({ severity: "error", rule: "syntax", message: "bad" });
  assert.equal(sink.exitCode(), 1);
});

Deno.test("FindingSink leaves nothing out below the limit (default 100 per rule)", () => {
  const sink = new FindingSink();
  for (let i = 0; i < 200; i++) sink.add(warning(i));
  assert.equal(sink.kept.length, 200);
  assert.deepEqual(sink.leftOut(), []);
  assert.equal(new FindingSink().exitCode(), 0);
});
