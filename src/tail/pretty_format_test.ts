import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { DashStreamMessageSchema, EventTypeSchema } from "../gen/dashstream_pb.ts";
import {
  errorMessage,
  tokenChunkMessage,
  toolExecutionMessage,
} from "../../tests/support/sample/mod.ts";
import { COLORS, NO_COLORS } from "./colors.ts";
import { enumShort, prettyLine } from "./pretty_format.ts";
import { decodeTailRecord } from "./tail_record.ts";
import { sampleQuality, testRecord } from "../../tests/support/tail_records.ts";

const plain = (message: Parameters<typeof testRecord>[0]) =>
  prettyLine(decodeTailRecord(testRecord(message)), { palette: NO_COLORS });

Deno.test("prettyLine() shows a quality event's score, passed, latency, model, category, session", () => {
  assert.equal(
    plain(sampleQuality()),
    "2026-01-01T00:00:00.000Z p0@42 quality         score=0.920 passed latency=1234ms " +
      "model=gpt-4o-mini category=Medium session=sess-7f3a2c91",
  );
  assert.match(plain(sampleQuality({ passed: false })), / FAILED /);
});

Deno.test("prettyLine() colors only with a coloring palette", () => {
  const entry = decodeTailRecord(testRecord(sampleQuality({ passed: false })));
  assert.ok(!prettyLine(entry, { palette: NO_COLORS }).includes("\x1b["));
  const colored = prettyLine(entry, { palette: COLORS });
  assert.ok(colored.includes("\x1b[31mFAILED\x1b[39m"), colored);
  // deno-lint-ignore no-control-regex
  assert.equal(colored.replace(/\x1b\[\d+m/g, ""), prettyLine(entry, { palette: NO_COLORS }));
});

Deno.test("prettyLine() uses the Kafka timestamp when the message has none", () => {
  const line = plain(create(DashStreamMessageSchema, {}));
  assert.equal(line, "2026-01-01T00:00:00.123Z p0@42 empty           (no message set, 0 bytes)");
});

Deno.test("prettyLine() quotes and cuts long text so a record stays on one line", () => {
  const line = plain(tokenChunkMessage({ text: "line one\nline two ".repeat(10) }));
  assert.ok(!line.includes("\n"));
  assert.match(line, /"line one\\nline two line one.*…"/);
  const error = plain(errorMessage({ message: "x".repeat(200) }));
  assert.ok(error.length < 220, error);
});

Deno.test("prettyLine() marks a failed tool execution and its error", () => {
  const line = plain(toolExecutionMessage({ stage: 4, error: "timeout after 30s", retryCount: 2 }));
  assert.ok(
    line.includes(
      ' tool_execution  web_search failed 912.4ms retries=2 error="timeout after 30s" ',
    ),
    line,
  );
});

Deno.test("prettyLine() shows a decode failure with coordinates and reason", () => {
  const line = prettyLine(
    decodeTailRecord(testRecord(new Uint8Array(0), { partition: 2, offset: "9" })),
    { palette: NO_COLORS },
  );
  assert.ok(
    line.startsWith("2026-01-01T00:00:00.123Z p2@9 decode_error    empty: Cannot decode record"),
    line,
  );
});

Deno.test("enumShort() drops the prefix every value shares; unknown numbers show as ?N", () => {
  assert.equal(enumShort(EventTypeSchema, 11), "node_end");
  assert.equal(enumShort(EventTypeSchema, 12345), "?12345");
});
