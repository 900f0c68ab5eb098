import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { formatDuration, parseDuration } from "./duration.ts";

Deno.test("parseDuration() reads units, compounds and bare seconds", () => {
  const cases: [string, number][] = [
    ["500ms", 500],
    ["10s", 10_000],
    ["1m30s", 90_000],
    [
      "2h",
      7_200_000,
    ],
    ["1.5", 1500],
    ["0.25s", 250],
  ];
  for (const [raw, ms] of cases) assert.equal(parseDuration(raw, { source: "--x" }), ms, raw);
  for (const bad of ["10 s", "ten", "5d", "1m-1s"]) {
    assert.throws(() => parseDuration(bad, { source: "--wait" }), UsageError, bad);
  }
  assert.throws(() => parseDuration("", { source: "--wait" }), /Invalid --wait ''/);
});

Deno.test("formatDuration() prints ms below a second, else seconds", () => {
  assert.equal(formatDuration(250), "250 ms");
  assert.equal(formatDuration(1500), "1.5 s");
  assert.equal(formatDuration(30_000), "30 s");
});
