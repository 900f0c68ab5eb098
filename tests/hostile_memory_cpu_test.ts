/**
 * Hostile input through `serve` and the real broker (issue #17, points 2 and 3): memory stays
 * bounded in bytes under thousands of distinct 1 MiB model tags and thread ids, and records of
 * empty zstd frames are refused fast while `/-/healthy` keeps answering. With
 * DASHFLOW_EXPORTER_BIN set, the binary is tested; `bun` runs from source with
 * HOSTILE_RUNTIME=bun.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { encodeRecord } from "../src/wire/mod.ts";
import { qualityMessage } from "./support/sample/mod.ts";
import { type ExporterProcess, startServe } from "./support/exporter.ts";
import { assertSeries } from "./support/exposition.ts";
import { produce, type TestRecord, uniqueName, waitFor, withTopic } from "./support/kafka.ts";
import { ROOT } from "./support/paths.ts";

const MIB = 1024 * 1024;
const RSS_LIMIT_MB = 150;

// `bun main.ts` instead of Deno when asked (the binary is chosen by DASHFLOW_EXPORTER_BIN).
const command = Deno.env.get("HOSTILE_RUNTIME") === "bun"
  ? { command: ["bun", `${ROOT}main.ts`] }
  : {};

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}

async function produceInChunks(topic: string, make: (i: number) => TestRecord, count: number) {
  for (let from = 0; from < count; from += 100) {
    const records: TestRecord[] = [];
    for (let i = from; i < Math.min(count, from + 100); i++) records.push(make(i));
    await produce(topic, records);
  }
}

async function stopped(exporter: ExporterProcess) {
  const { code } = await exporter.stop();
  assert.equal(code, 0, exporter.stderr());
}

Deno.test({
  name: "serve stays under 150 MB RSS after 1,000 1 MiB model tags and 1,500 1 MiB thread ids",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTopic("hostile-mem", async (topic) => {
      // zstd-framed: a few hundred bytes on the wire, 1 MiB strings once decompressed.
      const filler = (c: string) => c.repeat(MIB);
      const models = filler("m");
      const threads = filler("t");
      await produceInChunks(topic, (i) => ({
        value: encodeRecord(
          qualityMessage({ passed: true, latencyMs: 5, model: `gpt-4o-${i}-${models}` }),
          { compression: "always" },
        ),
      }), 1000);
      await produceInChunks(topic, (i) => ({
        value: encodeRecord(
          qualityMessage({ passed: true, turnNumber: 1, sessionId: `${i}-${threads}-${i}` }),
          { compression: "always" },
        ),
      }), 1500);
      // A 256 MiB budget, as a container limit gives: the governor collects garbage when the
      // work stops, so what is measured is what serve holds, not garbage the engine has not
      // got to yet (src/util/memory_governor.ts).
      const exporter = await startServe(
        {
          KAFKA_TOPIC: topic,
          KAFKA_GROUP_ID: uniqueName("hostile-mem"),
          DASHFLOW_EXPORTER_MAX_MEMORY: "256MiB",
        },
        [],
        command,
      );
      try {
        console.log(`serve RSS at start: ${rssMb(exporter.child.pid).toFixed(0)} MB`);
        const samples = await exporter.scrapeUntil(
          "dashstream_exporter_messages_received_total",
          2500,
          {
            timeoutMs: 240_000,
          },
        );
        assertSeries(samples, {
          "dashstream_quality_monitor_queries_total": 2500,
          'dashstream_exporter_values_truncated_total{field="model"}': 1000,
          'dashstream_exporter_values_truncated_total{field="thread_id"}': 1500,
          'dashstream_queries_by_model_total{model="gpt-4o"}': 1000,
        });
        // Garbage (each record's 1 MiB strings) is collected when the runtime gets to it.
        let rss = Infinity;
        await waitFor(() => (rss = rssMb(exporter.child.pid)) <= RSS_LIMIT_MB || undefined, {
          timeoutMs: 60_000,
          message: () => `serve holds ${rss.toFixed(0)} MB RSS, over ${RSS_LIMIT_MB} MB`,
        });
        console.log(`serve RSS after the flood: ${rss.toFixed(0)} MB`);
      } finally {
        await stopped(exporter);
      }
    });
  },
});

/** `size` bytes of empty zstd frames (9 bytes each: header, one empty last raw block). */
function emptyFrames(size: number): Uint8Array {
  const frame = [0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00];
  const out = new Uint8Array(Math.floor(size / frame.length) * frame.length);
  for (let at = 0; at < out.length; at += frame.length) out.set(frame, at);
  return out;
}

Deno.test({
  name: "serve counts 10 MiB records of empty zstd frames as decode_too_complex, healthy answering",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const records = 6;
    await withTopic("hostile-frames", async (topic) => {
      const bomb = new Uint8Array(10 * MIB);
      bomb[0] = 0x01;
      bomb.set(emptyFrames(10 * MIB - 1), 1);
      const good = encodeRecord(qualityMessage({ passed: true, latencyMs: 7 }));
      for (let i = 0; i < records; i++) await produce(topic, [{ value: bomb }]);
      await produce(topic, [{ value: good }]);
      const exporter = await startServe(
        { KAFKA_TOPIC: topic, KAFKA_GROUP_ID: uniqueName("hostile-frames") },
        [],
        command,
      );
      let terminated = false;
      try {
        let slowest = 0;
        const samples = await waitFor(async () => {
          const started = performance.now();
          const healthy = await fetch(`${exporter.url}/-/healthy`);
          await healthy.body?.cancel();
          assert.equal(healthy.status, 200);
          slowest = Math.max(slowest, performance.now() - started);
          const s = await exporter.scrape();
          return s.get("dashstream_quality_monitor_queries_total") === 1 ? s : undefined;
        }, {
          timeoutMs: 120_000,
          message: () => `the good record was not read:\n${exporter.stderr()}`,
        });
        const failed = (type: string) =>
          samples.get(`dashstream_exporter_messages_failed_total{error_type="${type}"}`);
        assert.equal(failed("decode_too_complex"), records);
        assert.equal(failed("decode"), 0);
        assert.ok(slowest < 100, `/-/healthy took ${slowest.toFixed(0)} ms`);
        console.log(`slowest /-/healthy while reading: ${slowest.toFixed(1)} ms`);
        // SIGTERM is answered at once (the graceful stop that follows takes its own time).
        const started = performance.now();
        terminated = true;
        exporter.child.kill("SIGTERM");
        await waitFor(() => exporter.stderr().includes("Shutting down"), {
          intervalMs: 1,
          message: () => `serve did not answer SIGTERM:\n${exporter.stderr()}`,
        });
        const answered = performance.now() - started;
        assert.ok(answered < 100, `SIGTERM answered after ${answered.toFixed(0)} ms`);
        console.log(`SIGTERM answered after ${answered.toFixed(1)} ms`);
      } finally {
        // One SIGTERM only: a second one means "exit now".
        if (terminated) assert.equal(await exporter.exited, 0, exporter.stderr());
        else await stopped(exporter);
      }
    }, { config: { "max.message.bytes": String(11 * MIB) } });
  },
});
