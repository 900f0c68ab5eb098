import assert from "node:assert/strict";
import { formatSummary, ReplayStats } from "./stats.ts";

Deno.test("formatSummary() gives records, applied, and failures by reason", () => {
  const stats = new ReplayStats();
  for (const outcome of ["applied", "applied", "ignored", "wrong_scope", "decode_error"] as const) {
    stats.count(outcome);
  }
  stats.count("missing_payload");
  stats.countBadInput();
  assert.equal(
    formatSummary(stats, { elapsedMs: 500 }),
    "replay: 7 records in 0.50 s (14 records/s): 2 applied, 1 ignored, 1 wrong scope, " +
      "3 failed (decode 1, missing payload 1, bad input 1)",
  );
});

Deno.test("formatSummary() reports records produced to Kafka, and an interruption", () => {
  const stats = new ReplayStats();
  stats.records = 3;
  stats.produced = 2;
  assert.equal(
    formatSummary(stats, { elapsedMs: 1000, topic: "t", interrupted: true }),
    "replay: 2 records produced to t in 1.00 s (2 records/s), 0 failed " +
      "(interrupted before the end of the input)",
  );
});
