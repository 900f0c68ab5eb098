/**
 * The demo a newcomer runs first (scripts/demo.sh, scripts/produce_samples.ts): its events carry
 * current timestamps that never go back, it produces every message kind the README's `tail`
 * example shows, and it prints the next commands (tail, check --expect dashflow, replay) before
 * serving. The end-to-end part uses the shared broker (KAFKA_BROKERS) and a unique topic.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeRecord } from "../src/wire/mod.ts";
import { ROOT } from "./support/paths.ts";
import { demoRecords } from "./support/sample/mod.ts";
import { kafkaBrokers, waitFor, withTopic } from "./support/kafka.ts";
import { start } from "./support/spawn.ts";
import { runTail, topicToEnd } from "./support/tail.ts";

/** The kinds (third column) of the README's `tail` example lines. */
function readmeTailKinds(): Set<string> {
  const readme = readFileSync(`${ROOT}README.md`, "utf8");
  const block = /<!-- tail-example -->\s*```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, "README.md has a tail example");
  const kinds = block.split("\n").filter((l) => /^\d{4}-\d\d-\d\dT/.test(l))
    .map((l) => l.split(/\s+/)[2]);
  assert.ok(kinds.length > 0);
  return new Set(kinds);
}

/** tail's kind names for a decoded message (the `metrics` case with scope quality is `quality`). */
function kindOf(value: Uint8Array): string {
  const message = decodeRecord(value).message;
  if (message.case === "metrics" && message.value.scope === "quality") return "quality";
  return (message.case ?? "none").replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

Deno.test("demoRecords(): current timestamps, never going back, every kind the README shows", () => {
  const nowUs = BigInt(Date.now()) * 1000n;
  const records = demoRecords(400, { seed: 3, endTimeUs: nowUs });
  let last = 0n;
  const kinds = new Set<string>();
  for (const record of records) {
    const message = decodeRecord(record.value).message;
    const header = message.value && "header" in message.value ? message.value.header : undefined;
    assert.ok(header, "every demo record has a header");
    assert.ok(header.timestampUs >= last, "timestamps never go back");
    assert.ok(header.timestampUs <= nowUs, "no timestamp in the future");
    assert.ok(nowUs - header.timestampUs < 60_000_000n, "within the last minute");
    assert.equal(record.key, header.threadId, "keyed by the session");
    last = header.timestampUs;
    kinds.add(kindOf(record.value));
  }
  for (const kind of readmeTailKinds()) {
    assert.ok(kinds.has(kind), `the README's tail example shows ${kind}, the demo never makes it`);
  }
  assert.equal([...records].filter((r) => kindOf(r.value) === "quality").length, 400);
});

Deno.test({
  name:
    "demo.sh on a fresh broker creates its topic, prints the next steps, serves, and the topic holds current, tail-able events",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTopic("demo", async (topic) => {
      const demo = start(["bash", `${ROOT}scripts/demo.sh`, "--bind", "127.0.0.1"], {
        env: {
          KAFKA_BROKERS: kafkaBrokers().join(","),
          KAFKA_TOPIC: topic,
          KAFKA_GROUP_ID: `${topic}-serve`,
          METRICS_PORT: "0",
          DEMO_COUNT: "40",
          DEMO_RATE: "5",
        },
        stdout: "null",
      });
      try {
        await demo.stderrMatch(/Serving metrics url=/, "demo.sh serves");
        const stderr = demo.stderr();
        for (
          const step of [
            /^ {2}export PATH="\$PWD\/bin:/m,
            /^ {2}dashflow-exporter tail --from -10 --exit-at-end/m,
            /^ {2}dashflow-exporter check --expect dashflow http:\/\/127\.0\.0\.1:0\/metrics/m,
            /^ {2}dashflow-exporter replay demo\.bin/m,
          ]
        ) assert.match(stderr, step);
        // The printed tail command, on the demo's topic: current events of every kind.
        const tail = await waitFor(async () => {
          const run = await runTail(topicToEnd(topic));
          return run.stdout.split("\n").length > 100 ? run : undefined;
        }, { timeoutMs: 60_000, message: () => `the demo produces:\n${demo.stderr()}` });
        const lines = tail.stdout.trim().split("\n").map((l) => JSON.parse(l));
        const types = new Set(lines.map((l) => l.type));
        for (const type of ["metrics", "event", "tool_execution", "token_chunk"]) {
          assert.ok(types.has(type), `no ${type} in the demo topic`);
        }
        const nowUs = Date.now() * 1000;
        for (const line of lines) {
          const at = line.message.header.timestamp_us;
          assert.ok(
            Math.abs(nowUs - at) < 600_000_000,
            `not current: ${line.message.header.timestamp}`,
          );
        }
      } finally {
        demo.kill("SIGTERM");
        await demo.status;
      }
    }, { create: false }); // as on a fresh broker: the demo creates its topic
  },
});
