// `tail` filters against the real broker: by type, scope, thread/session id and
// model, combined; undecodable records are always shown.
import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { AttributeValueSchema } from "../src/gen/dashstream_pb.ts";
import { eventMessage, tokenChunkMessage } from "./support/sample/mod.ts";
import { sampleLibrarianMetrics, sampleQuality } from "./support/tail_records.ts";
import { withTopic } from "./support/kafka.ts";
import { parseLines, produceRecords, runTail, summaryLine, topicToEnd } from "./support/tail.ts";

const model = (name: string) =>
  create(AttributeValueSchema, { value: { case: "stringValue", value: name } });

Deno.test("tail filters by type, scope, thread/session and model, and always shows decode errors", async () => {
  await withTopic("tail-filter", async (topic) => {
    await produceRecords(topic, [
      { value: sampleQuality({ sessionId: "s-1", model: "gpt-4o-mini" }) }, // 0
      { value: sampleQuality({ sessionId: "s-2", model: "claude-3-5-haiku-20241022" }) }, // 1
      { value: sampleLibrarianMetrics() }, // 2: scope librarian, model claude-3-5-sonnet
      {
        value: eventMessage({
          header: { threadId: "s-1" },
          attributes: { model: model("gpt-4o") },
        }),
      }, // 3
      { value: tokenChunkMessage({ header: { threadId: "s-2" } }) }, // 4: gpt-4o-mini
      { value: new Uint8Array([0x00, 0xff]) }, // 5: undecodable
    ]);
    const offsets = async (...filters: string[]) => {
      const result = await runTail([...topicToEnd(topic), ...filters]);
      assert.equal(result.code, 0, result.stderr);
      return parseLines(result.lines).map((r) => r.offset);
    };
    assert.deepEqual(await offsets("--type", "quality"), [0, 1, 5]);
    assert.deepEqual(await offsets("--type", "metrics"), [0, 1, 2, 5]);
    assert.deepEqual(await offsets("--type", "event,token-chunk"), [3, 4, 5]);
    assert.deepEqual(await offsets("--scope", "librarian"), [2, 5]);
    assert.deepEqual(await offsets("--thread", "s-1"), [0, 3, 5]);
    assert.deepEqual(await offsets("--session", "s-2"), [1, 4, 5]);
    assert.deepEqual(await offsets("--thread", "s-*"), [0, 1, 3, 4, 5]);
    assert.deepEqual(await offsets("--model", "GPT-4o*"), [0, 3, 4, 5]);
    assert.deepEqual(await offsets("--model", "claude*,gpt-4o"), [1, 2, 3, 5]);
    assert.deepEqual(await offsets("--type", "quality", "--model", "gpt*", "--session", "s-1"), [
      0,
      5,
    ]);

    const result = await runTail([...topicToEnd(topic), "--type", "token_chunk"]);
    assert.equal(
      summaryLine(result.stderr),
      "tail: 6 records: 5 decoded (quality 2, metrics 1, event 1, token_chunk 1), 1 failed; " +
        "2 shown",
    );
  });
});
