import assert from "node:assert/strict";
import { readProtobufExposition } from "../check/protobuf.ts";
import { newTestCore } from "../../tests/support/metrics_core.ts";
import { viaWire } from "../../tests/support/sample/metrics_message.ts";
import { qualityMessage } from "../../tests/support/sample/builders.ts";
import {
  decodeMetricFamilies,
  protobufSamples,
  readExposition,
} from "../../tests/support/exposition.ts";
import { PROTOBUF_CONTENT_TYPE, toSpansAndDeltas } from "./protobuf.ts";
import { render } from "./render.ts";
import { MetricType } from "../gen/io/prometheus/client/metrics_pb.ts";
import { bucketIndex } from "../metrics/native_buckets.ts";

const LATENCIES = [0, 1, 3, 12, 12, 48, 250, 999, 1000, 4200, 31000, 120000];

async function coreWithEvents() {
  const { core } = newTestCore();
  LATENCIES.forEach((latency, i) => {
    core.applyMessage(viaWire(qualityMessage({
      bare: true,
      latencyMs: latency,
      model: i % 2 ? "gpt-4o" : "claude-3-5-sonnet",
      qualityScore: i % 3 === 0 ? -0.5 : 0.9,
      passed: i % 4 !== 0,
      applicationType: i % 5 === 0 ? "librarian" : "chat",
    })));
  });
  await render(core); // one endpoint-duration observation
  return core;
}

Deno.test("encodeProtobuf(): protobuf-es and check read the text format's classic samples", async () => {
  const core = await coreWithEvents();
  const text = await render(core, { format: "text" });
  const proto = await render(core, { format: "protobuf" });
  assert.equal(proto.contentType, PROTOBUF_CONTENT_TYPE);
  const textSamples = readExposition(text.body).samples;
  // The endpoint histogram observed the text render in between: leave it out of the comparison.
  const skip = (key: string) => key.startsWith("dashstream_exporter_metrics_endpoint_duration");
  const drop = (samples: Map<string, number>) =>
    new Map([...samples].filter(([key]) => !skip(key)));
  const viaProtobufEs = protobufSamples(decodeMetricFamilies(proto.body));
  const read = readProtobufExposition(proto.body);
  assert.deepEqual(read.findings, []);
  const viaCheck = readExposition(read.text).samples;
  assert.deepEqual(drop(viaProtobufEs), drop(textSamples));
  assert.deepEqual(drop(viaCheck), drop(textSamples));
});

Deno.test("encodeProtobuf(): every histogram has native buckets counting what the classic count", async () => {
  const core = await coreWithEvents();
  const families = decodeMetricFamilies((await render(core, { format: "protobuf" })).body);
  const latency = families.find((f) => f.name === "dashstream_query_latency_ms")!;
  assert.equal(latency.type, MetricType.HISTOGRAM);
  const h = latency.metric[0].histogram!;
  assert.equal(h.schema, 3);
  assert.equal(h.zeroThreshold, 2 ** -10);
  assert.equal(h.zeroCount, 1n); // the 0 ms event
  let total = Number(h.zeroCount);
  let running = 0n;
  for (const d of h.positiveDelta) total += Number(running += d);
  assert.equal(total, Number(h.sampleCount));
  assert.equal(Number(h.sampleCount), LATENCIES.length);
  assert.equal(h.positiveSpan[0].offset, bucketIndex(1, 3));
  for (const family of families.filter((f) => f.type === MetricType.HISTOGRAM)) {
    for (const metric of family.metric) {
      assert.ok(metric.histogram!.positiveSpan.length > 0, `${family.name} is native`);
    }
  }
});

Deno.test("render() without native buckets writes classic histograms only", async () => {
  const { core } = newTestCore({ nativeHistograms: { enabled: false } });
  const families = decodeMetricFamilies((await render(core, { format: "protobuf" })).body);
  const latency = families.find((f) => f.name === "dashstream_query_latency_ms")!;
  const h = latency.metric[0].histogram!;
  assert.equal(h.positiveSpan.length, 0);
  assert.equal(h.zeroThreshold, 0);
});

Deno.test("toSpansAndDeltas() writes short zero gaps as buckets and long ones as new spans", () => {
  assert.deepEqual(toSpansAndDeltas({ offset: -2, counts: [1, 0, 0, 3, 0, 0, 0, 2] }), {
    spans: [{ offset: -2, length: 4 }, { offset: 3, length: 1 }],
    deltas: [1, -1, 0, 3, -1],
  });
  assert.deepEqual(toSpansAndDeltas({ offset: 0, counts: [] }), { spans: [], deltas: [] });
  assert.deepEqual(toSpansAndDeltas({ offset: 5, counts: [0, 2, 2] }), {
    spans: [{ offset: 6, length: 2 }],
    deltas: [2, 0],
  });
});
