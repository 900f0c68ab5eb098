import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { AttributeValueSchema, EventSchema } from "../gen/dashstream_pb.ts";
import { UsageError } from "../errors.ts";
import {
  eventBatchMessage,
  eventMessage,
  executionTraceMessage,
  qualityMessage,
  tokenChunkMessage,
} from "../../tests/support/sample/mod.ts";
import { matchesFilters, parsePatterns, parseTypeFilter, type TailFilters } from "./filters.ts";
import { decodeTailRecord } from "./tail_record.ts";
import {
  sampleLibrarianMetrics,
  sampleQuality,
  testRecord,
} from "../../tests/support/tail_records.ts";

const entry = (message: Parameters<typeof testRecord>[0]) => decodeTailRecord(testRecord(message));
const types = (raw: string) => parseTypeFilter(raw, { source: "--type" });
const patterns = (raw: string, ignoreCase = false) =>
  parsePatterns(raw, { source: "--x", ignoreCase });

Deno.test("parseTypeFilter() accepts names in snake, kebab and camel case, and proto names", () => {
  assert.deepEqual(
    [...types("quality, event-batch,tokenChunk,MESSAGE_TYPE_EXECUTION_TRACE,Error")],
    ["quality", "event_batch", "token_chunk", "execution_trace", "error"],
  );
});

Deno.test("parseTypeFilter() rejects an unknown type listing the known ones", () => {
  assert.throws(() => types("quality,metric"), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /^Invalid --type 'metric': expected one or more of quality, /);
    return true;
  });
  assert.throws(() => types(" , "), /Invalid --type ' , ': expected a comma-separated list/);
});

Deno.test("parsePatterns() makes anchored globs where * matches anything", () => {
  const [glob] = patterns("gpt-4o*");
  assert.ok(glob.test("gpt-4o"));
  assert.ok(glob.test("gpt-4o-mini"));
  assert.ok(!glob.test("openai/gpt-4o"));
  const [exact] = patterns("a.b");
  assert.ok(exact.test("a.b"));
  assert.ok(!exact.test("axb"), "regex characters are literal");
  assert.ok(patterns("GPT*", true)[0].test("gpt-4"));
  assert.ok(!patterns("GPT*")[0].test("gpt-4"));
});

function matches(filters: TailFilters, message: Parameters<typeof testRecord>[0]): boolean {
  return matchesFilters(entry(message), filters);
}

Deno.test("matchesFilters() by type: metrics includes quality events, quality only those", () => {
  assert.ok(matches({ types: types("quality") }, sampleQuality()));
  assert.ok(!matches({ types: types("quality") }, sampleLibrarianMetrics()));
  assert.ok(matches({ types: types("metrics") }, sampleQuality()));
  assert.ok(matches({ types: types("metrics") }, sampleLibrarianMetrics()));
  assert.ok(matches({ types: types("event,token_chunk") }, tokenChunkMessage()));
  assert.ok(!matches({ types: types("event") }, eventBatchMessage()));
});

Deno.test("matchesFilters() by scope: only metrics messages have one", () => {
  assert.ok(matches({ scopes: patterns("librarian") }, sampleLibrarianMetrics()));
  assert.ok(!matches({ scopes: patterns("quality") }, sampleLibrarianMetrics()));
  assert.ok(matches({ scopes: patterns("quality,lib*") }, sampleQuality()));
  assert.ok(!matches({ scopes: patterns("*") }, eventMessage()));
});

Deno.test("matchesFilters() by thread: the header's, a trace's, or any event's in a batch", () => {
  assert.ok(matches({ threads: patterns("sess-a") }, sampleQuality({ sessionId: "sess-a" })));
  assert.ok(!matches({ threads: patterns("sess-a") }, sampleQuality({ sessionId: "sess-b" })));
  assert.ok(
    matches(
      { threads: patterns("t-9") },
      executionTraceMessage({ header: undefined, threadId: "t-9" }),
    ),
  );
  const batch = eventBatchMessage({
    header: undefined,
    events: [create(EventSchema, { header: { threadId: "inner" } })],
  });
  assert.ok(matches({ threads: patterns("inner") }, batch));
  assert.ok(!matches({ threads: patterns("sess-*") }, qualityMessage({ header: null })));
});

Deno.test("matchesFilters() by model: metrics tag, token chunk, event attribute; any case", () => {
  const models = patterns("GPT-4o*", true);
  assert.ok(matches({ models }, sampleQuality({ model: "gpt-4o-mini" })));
  assert.ok(!matches({ models }, sampleQuality({ model: "claude-3-opus" })));
  assert.ok(!matches({ models }, qualityMessage({})), "no model tag");
  assert.ok(matches({ models }, tokenChunkMessage()));
  const attr = create(AttributeValueSchema, { value: { case: "stringValue", value: "gpt-4o" } });
  assert.ok(matches({ models }, eventMessage({ attributes: { model: attr } })));
  assert.ok(!matches({ models }, eventMessage()), "the default event has no model attribute");
});

Deno.test("matchesFilters() needs every filter to match, and any value of each", () => {
  const filters: TailFilters = {
    types: types("quality"),
    models: patterns("gpt-4o-mini,o1-*", true),
    threads: patterns("sess-1"),
  };
  assert.ok(matches(filters, sampleQuality({ model: "o1-mini", sessionId: "sess-1" })));
  assert.ok(!matches(filters, sampleQuality({ model: "o1-mini", sessionId: "sess-2" })));
  assert.ok(!matches(filters, tokenChunkMessage({ header: { threadId: "sess-1" } })));
});

Deno.test("matchesFilters() always passes a record that failed to decode", () => {
  const bad = decodeTailRecord(testRecord(new Uint8Array([0x00, 0xff])));
  assert.equal(bad.ok, false);
  assert.ok(matchesFilters(bad, { types: types("quality"), models: patterns("x") }));
});
