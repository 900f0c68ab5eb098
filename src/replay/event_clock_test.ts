import assert from "node:assert/strict";
import { encodeRecord } from "../wire/encode.ts";
import { qualityMessage } from "../../tests/support/sample/mod.ts";
import { EventClock, eventTimeMs } from "./event_clock.ts";
import { RecordHeader } from "./record_header.ts";

Deno.test("EventClock only moves forward", () => {
  const clock = new EventClock(1000);
  clock.advance(5000);
  assert.equal(clock.read(), 5000);
  clock.advance(3000);
  clock.advance(NaN);
  assert.equal(clock.nowMs, 5000);
  assert.equal(new EventClock().read(), 0);
});

Deno.test("eventTimeMs() takes the header timestamp, else the record's, else NaN", () => {
  const header = new RecordHeader();
  const timed = encodeRecord(qualityMessage({ header: { timestampUs: 2_000_000n } }));
  header.peek(timed, 1 << 20);
  assert.equal(eventTimeMs(header, { index: 1, offset: 0, value: timed, timestampMs: 9 }), 2000);
  const untimed = encodeRecord(qualityMessage({ header: null }));
  header.peek(untimed, 1 << 20);
  assert.equal(eventTimeMs(header, { index: 1, offset: 0, value: untimed, timestampMs: 9 }), 9);
  assert.ok(Number.isNaN(eventTimeMs(header, { index: 1, offset: 0, value: untimed })));
  assert.ok(
    Number.isNaN(eventTimeMs(header, { index: 1, offset: 0, value: untimed, timestampMs: 0 })),
  );
});
