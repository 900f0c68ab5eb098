import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import {
  type DashStreamMessage,
  MessageType,
  MetricValueSchema,
} from "../../../src/gen/dashstream_pb.ts";
import { decodeRecord } from "../../../src/wire/decode.ts";
import { encodeRecord, messageHeader } from "../../../src/wire/encode.ts";
import {
  checkpointMessage,
  errorMessage,
  eventBatchMessage,
  eventMessage,
  executionTraceMessage,
  qualityMessage,
  SAMPLE_EPOCH_US,
  SAMPLE_THREAD_ID,
  sampleUuid,
  stateDiffMessage,
  tokenChunkMessage,
  toolExecutionMessage,
} from "./builders.ts";

function metricsOf(message: DashStreamMessage) {
  if (message.message.case !== "metrics") throw new Error(`got ${message.message.case}`);
  return message.message.value;
}

Deno.test("qualityMessage() writes only the fields given", () => {
  const bare = metricsOf(qualityMessage());
  equal(bare.scope, "quality");
  deepStrictEqual(bare.metrics, {});
  deepStrictEqual(bare.tags, {});
  equal(bare.header?.threadId, SAMPLE_THREAD_ID);
  equal(bare.header?.timestampUs, SAMPLE_EPOCH_US);

  const full = metricsOf(qualityMessage({
    qualityScore: 0.8,
    passed: false,
    latencyMs: 1500,
    retryCount: 2,
    turnNumber: 4,
    accuracy: 0.7,
    relevance: 0.75,
    completeness: 0.9,
    model: "gpt-4o",
    category: "complex",
    applicationType: "librarian",
    sessionId: "sess-1",
  }));
  deepStrictEqual(full.metrics.quality_score.value, { case: "floatValue", value: 0.8 });
  deepStrictEqual(full.metrics.passed.value, { case: "boolValue", value: false });
  deepStrictEqual(full.metrics.latency_ms.value, { case: "intValue", value: 1500n });
  deepStrictEqual(full.metrics.retry_count.value, { case: "intValue", value: 2n });
  deepStrictEqual(full.metrics.turn_number.value, { case: "intValue", value: 4n });
  deepStrictEqual(full.tags, {
    model: "gpt-4o",
    category: "complex",
    application_type: "librarian",
  });
  equal(full.header?.threadId, "sess-1");
});

Deno.test("qualityMessage() takes extra metrics of any kind, a missing header, another scope", () => {
  const wrongKind = create(MetricValueSchema, { value: { case: "intValue", value: 1n } });
  const event = metricsOf(qualityMessage({
    header: null,
    scope: "Quality",
    metrics: { quality_score: wrongKind, label: "x", big: 5n, flag: true, raw: Uint8Array.of(1) },
    tags: { query_category: "Edge", app_type: "code_assistant" },
  }));
  equal(event.header, undefined);
  equal(event.scope, "Quality");
  deepStrictEqual(event.metrics.quality_score.value, { case: "intValue", value: 1n });
  deepStrictEqual(event.metrics.label.value, { case: "stringValue", value: "x" });
  deepStrictEqual(event.metrics.big.value, { case: "intValue", value: 5n });
  deepStrictEqual(event.metrics.flag.value, { case: "boolValue", value: true });
  deepStrictEqual(event.tags, { query_category: "Edge", app_type: "code_assistant" });
  equal(metricsOf(qualityMessage({ header: { threadId: "t", sequence: 9 } })).header?.sequence, 9n);
});

Deno.test("sampleUuid() makes stable version-4 ids", () => {
  deepStrictEqual(
    [...sampleUuid(258)],
    [0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 1, 2],
  );
});

Deno.test("message builders set their oneof, a matching header, and realistic fields", () => {
  const cases: [DashStreamMessage, string, MessageType][] = [
    [eventMessage(), "event", MessageType.EVENT],
    [eventBatchMessage(), "eventBatch", MessageType.EVENT_BATCH],
    [stateDiffMessage(), "stateDiff", MessageType.STATE_DIFF],
    [tokenChunkMessage(), "tokenChunk", MessageType.TOKEN_CHUNK],
    [toolExecutionMessage(), "toolExecution", MessageType.TOOL_EXECUTION],
    [checkpointMessage(), "checkpoint", MessageType.CHECKPOINT],
    [errorMessage(), "error", MessageType.ERROR],
    [executionTraceMessage(), "executionTrace", MessageType.EXECUTION_TRACE],
  ];
  for (const [message, kind, type] of cases) {
    equal(message.message.case, kind);
    equal(messageHeader(message)?.type, type, kind);
    equal(decodeRecord(encodeRecord(message)).message.case, kind);
  }
  const event = eventMessage({ nodeId: "rerank" });
  ok(event.message.case === "event" && event.message.value.nodeId === "rerank");
  ok(event.message.case === "event" && "sources" in event.message.value.attributes);
  const trace = executionTraceMessage({ completed: false });
  ok(trace.message.case === "executionTrace" && !trace.message.value.completed);
  ok(trace.message.case === "executionTrace" && trace.message.value.nodesExecuted.length === 3);
});
