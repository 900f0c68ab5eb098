import assert from "node:assert/strict";
import { eventMessage } from "../../tests/support/sample/mod.ts";
import { TailSummary } from "./summary.ts";
import { decodeTailRecord } from "./tail_record.ts";
import {
  sampleLibrarianMetrics,
  sampleQuality,
  testRecord,
} from "../../tests/support/tail_records.ts";

Deno.test("TailSummary.line() counts records, decoded per kind, failed and shown", () => {
  const summary = new TailSummary();
  assert.equal(summary.line(), "tail: 0 records: 0 decoded, 0 failed; 0 shown");
  for (
    const message of [sampleQuality(), eventMessage(), sampleQuality(), sampleLibrarianMetrics()]
  ) {
    summary.count(decodeTailRecord(testRecord(message)));
  }
  summary.count(decodeTailRecord(testRecord(null)));
  summary.shown = 2;
  assert.equal(
    summary.line(),
    "tail: 5 records: 4 decoded (quality 2, metrics 1, event 1), 1 failed; 2 shown",
  );
});
