import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import {
  DashStreamMessageSchema,
  EventSchema,
  type MetricValue,
  MetricValueSchema,
} from "../gen/dashstream_pb.ts";
import { classify, emptyQualityEvent, type QualityEvent } from "./quality_event.ts";
import {
  boolValue,
  floatValue,
  FULL_QUALITY_EVENT,
  intValue,
  metricsMessage,
  qualityMessage,
  stringValue,
  viaWire,
} from "../../tests/support/sample/mod.ts";

function eventOf(metrics: Record<string, MetricValue>, tags: Record<string, string> = {}) {
  const result = classify(viaWire(metricsMessage({ metrics, tags })));
  assert.equal(result.kind, "quality");
  return (result as { event: QualityEvent }).event;
}

Deno.test("classify() ignores messages that are not metrics", () => {
  const none = create(DashStreamMessageSchema, {});
  assert.deepEqual(classify(none), { kind: "ignored" });
  const event = create(DashStreamMessageSchema, {
    message: { case: "event", value: create(EventSchema, { nodeId: "n" }) },
  });
  assert.deepEqual(classify(event), { kind: "ignored" });
});

Deno.test("classify() rejects any scope but exactly quality", () => {
  for (const scope of ["Quality", "QUALITY", "quality ", " quality", "", "performance"]) {
    assert.deepEqual(
      classify(qualityMessage({ bare: true, scope })),
      { kind: "wrong_scope" },
      scope,
    );
  }
  assert.equal(classify(qualityMessage({ bare: true, scope: "quality" })).kind, "quality");
});

Deno.test("classify() reads every field of a full quality event", () => {
  const result = classify(viaWire(qualityMessage({ bare: true, ...FULL_QUALITY_EVENT })));
  assert.deepEqual(result, { kind: "quality", event: FULL_QUALITY_EVENT });
});

Deno.test("classify() gives defaults for an empty quality event", () => {
  assert.deepEqual(eventOf({}), {
    ...emptyQualityEvent(),
    sessionId: "session-1",
    hasHeader: true,
  });
});

Deno.test("classify() without a header keeps going with an empty session id", () => {
  const result = classify(viaWire(qualityMessage({ bare: true, header: null, turnNumber: 3 })));
  assert.equal(result.kind, "quality");
  const event = (result as { event: QualityEvent }).event;
  assert.equal(event.hasHeader, false);
  assert.equal(event.sessionId, "");
  assert.equal(event.turnNumber, 3);
});

Deno.test("classify() ignores metric values of the wrong kind", () => {
  const wrong: Record<string, MetricValue[]> = {
    quality_score: [intValue(1), boolValue(true), stringValue("0.9")],
    passed: [intValue(1), floatValue(1), stringValue("true")],
    latency_ms: [floatValue(250.5), stringValue("250"), boolValue(true)],
    retry_count: [floatValue(3), stringValue("3")],
    turn_number: [floatValue(5), boolValue(true)],
    accuracy: [intValue(1), stringValue("0.5")],
    relevance: [intValue(1), boolValue(true)],
    completeness: [intValue(1), stringValue("1")],
  };
  const empty = emptyQualityEvent();
  for (const [key, values] of Object.entries(wrong)) {
    for (const value of values) {
      const event = eventOf({ [key]: value });
      assert.deepEqual(
        { ...event, sessionId: "", hasHeader: false },
        empty,
        `${key} as ${value.value.case}`,
      );
    }
  }
  // A MetricValue with no kind set at all is also ignored.
  assert.equal(eventOf({ latency_ms: create(MetricValueSchema) }).latencyMs, 0);
});

Deno.test("classify() clamps negative latency, retry and turn to 0", () => {
  const event = eventOf({
    latency_ms: intValue(-50),
    retry_count: intValue(-1),
    turn_number: intValue(-9_223_372_036_854_775_808n),
  });
  assert.equal(event.latencyMs, 0);
  assert.equal(event.retryCount, 0);
  assert.equal(event.turnNumber, 0);
});

Deno.test("classify() reads int64 bigints as numbers, including large ones", () => {
  const event = eventOf({
    latency_ms: intValue(9_007_199_254_740_993n),
    retry_count: intValue(0),
    turn_number: intValue(7n),
  });
  assert.equal(typeof event.latencyMs, "number");
  assert.equal(event.latencyMs, 9007199254740992);
  assert.equal(event.retryCount, 0);
  assert.equal(event.turnNumber, 7);
});

Deno.test("classify() keeps float values raw, including negative and non-finite ones", () => {
  const event = eventOf({
    quality_score: floatValue(-0.5),
    accuracy: floatValue(1.5),
    relevance: floatValue(NaN),
    completeness: floatValue(Infinity),
  });
  assert.equal(event.qualityScore, -0.5);
  assert.equal(event.accuracy, 1.5);
  assert.ok(Number.isNaN(event.relevance));
  assert.equal(event.completeness, Infinity);
});

Deno.test("classify() reads passed=false from bool_value", () => {
  assert.equal(eventOf({ passed: boolValue(false) }).passed, false);
  assert.equal(eventOf({ passed: boolValue(true) }).passed, true);
});

Deno.test("classify() reads category and application type tags with their precedence", () => {
  assert.equal(eventOf({}, { query_category: "medium", complexity: "edge" }).category, "medium");
  assert.equal(eventOf({}, { complexity: "edge" }).category, "edge");
  assert.equal(eventOf({}, { category: "simple", complexity: "edge" }).category, "simple");
  assert.equal(eventOf({}, { app_type: "code_assistant" }).applicationType, "code_assistant");
  assert.equal(
    eventOf({}, { application_type: "chat", app_type: "librarian" }).applicationType,
    "chat",
  );
  assert.equal(eventOf({}, { model: " GPT-4o " }).model, " GPT-4o ", "model stays raw");
});
