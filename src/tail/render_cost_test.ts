import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import { HeaderSchema } from "../gen/dashstream_pb.ts";
import { encodeRecord, unframe } from "../wire/mod.ts";
import {
  emptyEventsRecord,
  eventMessage,
  SAMPLE_THREAD_ID,
} from "../../tests/support/sample/mod.ts";
import { goldenRecords, testRecord } from "../../tests/support/tail_records.ts";
import { jsonLine } from "./json_format.ts";
import { TailPipeline } from "./pipeline.ts";
import { prettyLine } from "./pretty_format.ts";
import { NO_COLORS } from "./colors.ts";
import { measureRenderCost } from "./render_cost.ts";
import { decodeTailRecord } from "./tail_record.ts";

const MIB = 1024 * 1024;

/** An event batch of `events` empty events after a header naming SAMPLE_THREAD_ID: 2 bytes each. */
function emptyEventsBatch(events: number): Uint8Array {
  const header = toBinary(HeaderSchema, create(HeaderSchema, { threadId: SAMPLE_THREAD_ID }));
  return emptyEventsRecord(events, { header });
}

Deno.test("measureRenderCost(): every golden record is far below the default limit and estimated within 3x", () => {
  for (const [name, record] of goldenRecords()) {
    if (name === "decode_error") continue;
    const entry = decodeTailRecord(record, { maxLineBytes: 16 * MIB });
    assert.ok(entry.ok && entry.truncated === undefined, name);
    const actual = jsonLine(entry).length;
    const cost = measureRenderCost(unframe(record.value).bytes, 16 * MIB).chars;
    assert.ok(cost < 3 * actual && cost > actual / 3, `${name}: estimate ${cost}, line ${actual}`);
  }
});

Deno.test("decodeTailRecord(): 5 million empty events (10 MB) are measured, not decoded: type, header, truncated", () => {
  const value = emptyEventsBatch(5_000_000);
  assert.ok(value.length > 10_000_000 && value.length < 10 * MIB);
  const started = performance.now();
  const entry = decodeTailRecord(testRecord(value), { maxLineBytes: 16 * MIB });
  assert.ok(performance.now() - started < 2_000, "measuring took too long");
  assert.ok(entry.ok);
  assert.deepEqual(entry.truncated, { maxLineBytes: 16 * MIB });
  assert.equal(entry.kind, "event_batch");
  const line = jsonLine(entry);
  assert.ok(line.length < 1_000, line);
  const json = JSON.parse(line);
  assert.equal(json.type, "event_batch");
  assert.equal(json.message, undefined);
  assert.match(json.truncated.reason, /longer than --max-line-bytes \(16 MiB\); raise it/);
  assert.match(
    prettyLine(entry, { palette: NO_COLORS }),
    /event_batch +\(not shown: 1\d{7} bytes that would make a line longer than --max-line-bytes, 16 MiB\) thread=sess-7f3a2c91$/,
  );
});

Deno.test("TailPipeline: a line the estimate let through but over --max-line-bytes is cut after rendering", () => {
  // 400 KiB of control characters: each becomes a 6-character escape in JSON (2.4 MiB).
  const value = encodeRecord(eventMessage({ nodeId: "\u0001".repeat(400 * 1024) }));
  let text = "";
  const pipeline = new TailPipeline({
    stdout: { write: (data) => void (text += data), isTerminal: () => false },
    render: jsonLine,
    maxLineBytes: MIB,
  });
  pipeline.handle(testRecord(value));
  const json = JSON.parse(text);
  assert.equal(json.type, "event");
  assert.equal(json.message, undefined);
  assert.equal(json.truncated.max_line_bytes, MIB);
  assert.equal(pipeline.summary.shown, 1);
});
