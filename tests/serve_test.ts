/**
 * `serve` end to end against the real broker: a known mix of records in, exact
 * metric values out; HTTP endpoints; promtool on our exposition; lag.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { encodeRecord } from "../src/wire/mod.ts";
import {
  eventMessage,
  qualityMessage,
  tokenChunkMessage,
  zstdZeroBomb,
} from "./support/sample/mod.ts";
import { serveEnv, startServe } from "./support/exporter.ts";
import { parseSamples, sample } from "./support/exposition.ts";
import { committedOffsets, produce, type TestRecord, waitFor, withTopic } from "./support/kafka.ts";

const frame = (first: number, body: Uint8Array) => {
  const out = new Uint8Array(body.length + 1);
  out[0] = first;
  out.set(body, 1);
  return out;
};

/**
 * The known mix: every framing, garbage, an empty value, a tombstone, other
 * message types, a wrong scope, a missing header and a zstd bomb — with a good
 * event after each bad one, on one partition, so a poison record that stalled
 * the partition would show as a missing count.
 */
function knownMix(): { records: TestRecord[]; expect: Record<string, number> } {
  const q = (fields: Parameters<typeof qualityMessage>[0]) => qualityMessage(fields);
  const records: TestRecord[] = [
    {
      key: "s1",
      value: encodeRecord(
        q({
          passed: true,
          qualityScore: 0.9,
          latencyMs: 120,
          retryCount: 0,
          turnNumber: 2,
          model: "gpt-4o-mini",
          category: "simple",
          applicationType: "librarian",
          sessionId: "s1",
          accuracy: 0.8,
          relevance: 0.7,
          completeness: 0.6,
        }),
        { compression: "never" },
      ),
    },
    {
      key: "s2",
      value: encodeRecord(
        q({
          passed: false,
          qualityScore: 0.4,
          latencyMs: 800,
          retryCount: 2,
          model: "claude-3-5-sonnet-20241022",
          category: "Complex",
          applicationType: "other",
          sessionId: "s2",
        }),
        { compression: "always" },
      ),
    },
    // Legacy, unframed raw protobuf.
    {
      key: "s3",
      value: encodeRecord(
        q({ passed: false, latencyMs: 50, model: "llama3:8b", category: "EDGE", sessionId: "s3" }),
        { compression: "never", legacy: true },
      ),
    },
    // Garbage: wire type 7 does not exist.
    { key: "bad", value: new Uint8Array([0x0f, 0x01, 0x02]) },
    // Legacy zstd (bare zstd magic).
    {
      key: "s4",
      value: encodeRecord(q({ passed: true, latencyMs: 30, sessionId: "s4" }), {
        compression: "always",
        legacy: true,
      }),
    },
    { key: "empty", value: new Uint8Array(0) },
    { key: "tombstone", value: null },
    { key: "ev", value: encodeRecord(eventMessage()) },
    { key: "tok", value: encodeRecord(tokenChunkMessage()) },
    {
      key: "scope",
      value: encodeRecord(q({ scope: "Quality", passed: true, model: "gpt-4o" })),
    },
    // Quality event with no header: counted, and processed with an empty session id.
    {
      key: "nohdr",
      value: encodeRecord(
        q({ header: null, passed: false, latencyMs: 10, category: "medium", turnNumber: 3 }),
      ),
    },
    // A zstd bomb: 64 MiB of zeros in ~2 KB, past the 10 MiB limit.
    { key: "bomb", value: frame(0x01, zstdZeroBomb(64 * 1024 * 1024)) },
    {
      key: "s5",
      value: encodeRecord(q({ passed: true, latencyMs: 5, model: "gpt-4o", sessionId: "s5" })),
    },
  ];
  const expect: Record<string, number> = {
    "dashstream_exporter_messages_received_total": 13,
    "dashstream_exporter_kafka_payload_missing_total": 1,
    'dashstream_exporter_messages_failed_total{error_type="decode"}': 3,
    'dashstream_exporter_messages_failed_total{error_type="process"}': 0,
    'dashstream_exporter_messages_failed_total{error_type="unknown"}': 0,
    "dashstream_exporter_messages_wrong_scope_total": 1,
    "dashstream_exporter_messages_missing_header_total": 1,
    "dashstream_quality_monitor_queries_total": 6,
    "dashstream_quality_monitor_queries_passed_total": 3,
    'dashstream_quality_monitor_queries_failed_total{category="Simple"}': 0,
    'dashstream_quality_monitor_queries_failed_total{category="Medium"}': 1,
    'dashstream_quality_monitor_queries_failed_total{category="Complex"}': 1,
    'dashstream_quality_monitor_queries_failed_total{category="Edge"}': 1,
    'dashstream_quality_monitor_queries_failed_total{category="Unknown"}': 0,
    'dashstream_queries_by_model_total{model="gpt-4o-mini"}': 1,
    'dashstream_queries_by_model_total{model="claude-3.5-sonnet"}': 1,
    'dashstream_queries_by_model_total{model="llama-3"}': 1,
    'dashstream_queries_by_model_total{model="gpt-4o"}': 1,
    'dashstream_queries_by_model_total{model="gpt-4"}': 0,
    "dashstream_query_latency_ms_count": 6,
    "dashstream_query_latency_ms_sum": 120 + 800 + 50 + 30 + 10 + 5,
    'dashstream_query_latency_ms_bucket{le="10"}': 2,
    'dashstream_query_latency_ms_bucket{le="50"}': 4,
    'dashstream_query_latency_ms_bucket{le="+Inf"}': 6,
    'dashstream_quality_retry_count_count{status="passed"}': 3,
    'dashstream_quality_retry_count_count{status="failed"}': 3,
    'dashstream_quality_retry_count_sum{status="failed"}': 2,
    "dashstream_librarian_requests_total": 1,
    'dashstream_librarian_tests_total{status="passed"}': 1,
    'dashstream_librarian_tests_total{status="failed"}': 0,
    "dashstream_librarian_iterations": 2,
    "dashstream_librarian_request_duration_seconds_sum": 0.12,
    // The last quality event wins the gauges; it set no granular scores.
    "dashstream_quality_monitor_quality_score": 0,
    'dashstream_quality_score_by_model_count{model="gpt-4o-mini"}': 1,
    'dashstream_quality_score_by_model_bucket{le="0.4",model="claude-3.5-sonnet"}': 1,
    'dashstream_quality_score_by_model_bucket{le="0.3",model="claude-3.5-sonnet"}': 0,
    // Only the header-less event (turn 3, empty session id) is observed at once;
    // sessions with an id wait for their timeout or shutdown.
    "dashstream_turns_by_session_count": 1,
    "dashstream_turns_by_session_sum": 3,
  };
  return { records, expect };
}

Deno.test("serve applies a known mix of records exactly, and a poison record stalls nothing", async () => {
  await withTopic("serve-mix", async (topic) => {
    const { records, expect } = knownMix();
    await produce(topic, records.map((r) => ({ ...r, partition: 0 })));
    const env = serveEnv(topic);
    const group = env.KAFKA_GROUP_ID;
    const exporter = await startServe(env);
    try {
      const samples = await exporter.scrapeUntil("dashstream_quality_monitor_queries_total", 6);
      for (const [series, value] of Object.entries(expect)) {
        assert.ok(
          Math.abs(sample(samples, series) - value) < 1e-9,
          `${series}: expected ${value}, got ${samples.get(series)}`,
        );
      }
      // Offsets are committed for every applied record, bad ones included.
      await waitFor(async () => (await committedOffsets(group, topic)).get(0) === records.length, {
        timeoutMs: 15_000,
        message: "offsets were not committed up to the end of the partition",
      });
    } finally {
      const { code, ms } = await exporter.stop();
      assert.equal(code, 0, exporter.stderr());
      assert.ok(ms < 5_000, `SIGTERM took ${ms} ms`);
    }
    // Shutdown flushes tracked sessions; they would show on a last scrape only,
    // so check the log line instead.
    assert.match(exporter.stderr(), /Stopped sessions_flushed=1/);
  }, { partitions: 1 });
});

Deno.test("serve reads Kafka batches compressed with gzip, snappy, lz4 and zstd", async () => {
  await withTopic("serve-codecs", async (topic) => {
    // Compressible values of some size, so librdkafka really compresses each batch.
    const batch = (model: string) =>
      Array.from({ length: 20 }, (_, i) => ({
        key: `k${i}`,
        value: encodeRecord(
          qualityMessage({
            passed: true,
            model,
            tags: { note: "x".repeat(300) },
            sessionId: `s-${i}`,
          }),
          { compression: "never" },
        ),
        partition: 0,
      }));
    await produce(topic, batch("gpt-4"), { compression: "gzip" });
    await produce(topic, batch("gpt-4o"), { compression: "snappy" });
    await produce(topic, batch("o1-mini"), { compression: "lz4" });
    await produce(topic, batch("mistral-7b"), { compression: "zstd" });
    const exporter = await startServe(serveEnv(topic));
    try {
      const samples = await exporter.scrapeUntil("dashstream_quality_monitor_queries_total", 80);
      for (const model of ["gpt-4", "gpt-4o", "o1-mini", "mistral"]) {
        assert.equal(sample(samples, `dashstream_queries_by_model_total{model="${model}"}`), 20);
      }
      assert.equal(
        sample(samples, 'dashstream_exporter_messages_failed_total{error_type="decode"}'),
        0,
      );
    } finally {
      assert.equal((await exporter.stop()).code, 0);
    }
  });
});

Deno.test("serve's HTTP endpoints: landing page, health, readiness, OpenMetrics, gzip, 404", async () => {
  await withTopic("serve-http", async (topic) => {
    await produce(topic, [{ value: encodeRecord(qualityMessage({ passed: true })) }]);
    const exporter = await startServe(serveEnv(topic));
    try {
      const { url } = exporter;
      const landing = await fetch(`${url}/`);
      assert.equal(landing.status, 200);
      assert.match(await landing.text(), /<a href="\/metrics">/);
      const healthy = await fetch(`${url}/-/healthy`);
      assert.equal(healthy.status, 200);
      await healthy.body?.cancel();
      await waitFor(async () => {
        const ready = await fetch(`${url}/-/ready`);
        await ready.body?.cancel();
        return ready.status === 200;
      }, { timeoutMs: 20_000, message: "/-/ready never became 200" });

      const text = await fetch(`${url}/metrics`);
      assert.equal(text.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
      assert.match(await text.text(), /^# HELP /m);

      const om = await fetch(`${url}/metrics`, {
        headers: { accept: "application/openmetrics-text;version=1.0.0,text/plain;q=0.5" },
      });
      assert.match(
        om.headers.get("content-type") ?? "",
        /^application\/openmetrics-text; version=1.0.0/,
      );
      const omBody = await om.text();
      assert.ok(omBody.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
      assert.match(omBody, /^dashstream_quality_monitor_queries_total 1$/m);
      assert.match(omBody, /^# TYPE dashstream_quality_monitor_queries counter$/m);

      // fetch decompresses transparently; ask the raw bytes with a plain request.
      const gz = await fetch(`${url}/metrics`, { headers: { "accept-encoding": "gzip" } });
      assert.equal(gz.headers.get("content-encoding"), "gzip");
      const body = await gz.text();
      assert.match(body, /dashstream_quality_monitor_queries_total 1/);

      const missing = await fetch(`${url}/nope`);
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
      const post = await fetch(`${url}/metrics`, { method: "POST" });
      assert.equal(post.status, 405);
      await post.body?.cancel();
    } finally {
      assert.equal((await exporter.stop("SIGINT")).code, 0, "Ctrl-C exits 0 too");
    }
  });
});

Deno.test("promtool check metrics is clean on serve's /metrics", async () => {
  await withTopic("serve-promtool", async (topic) => {
    const { records } = knownMix();
    await produce(topic, records);
    const exporter = await startServe(serveEnv(topic));
    try {
      await waitFor(
        async () => (await exporter.scrape()).get("dashstream_quality_monitor_queries_total") === 6,
        {
          timeoutMs: 30_000,
          message: "mix not applied",
        },
      );
      // A second scrape, so the endpoint-duration histogram has observations too.
      const body = await (await fetch(`${exporter.url}/metrics`)).text();
      const result = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
      assert.equal(result.error, undefined, "promtool must be on PATH (scripts/tools.sh)");
      const findings = `${result.stdout}${result.stderr}`.trim().split("\n").filter((l) => l);
      // The only findings allowed are promtool's lint on the two `_ms` names: they are
      // the original exporter's names, which dashboards query, so they must stay.
      // Any parse error (exit 1) or other finding fails.
      assert.deepEqual(findings.sort(), [
        "dashstream_latency_by_model_ms metric names should not contain abbreviated units",
        "dashstream_query_latency_ms metric names should not contain abbreviated units",
      ]);
      assert.equal(result.status, 3, "promtool: valid exposition with lint findings only");
    } finally {
      await exporter.stop();
    }
  });
});

Deno.test("serve's consumer lag stays 0 when partitions never delivered (no -1001 sentinel)", async () => {
  await withTopic("serve-lag", async (topic) => {
    // Records on partition 0 only: partitions 1 and 2 never deliver anything, the
    // case where the original added a -1001 sentinel into the lag.
    await produce(
      topic,
      Array.from({ length: 5 }, () => ({
        value: encodeRecord(qualityMessage({ passed: true })),
        partition: 0,
      })),
    );
    const exporter = await startServe(serveEnv(topic), [
      "--lag-interval",
      "1",
      "--log-level",
      "debug",
    ]);
    try {
      await waitFor(async () => {
        const s = await exporter.scrape();
        return s.get("dashstream_quality_monitor_queries_total") === 5 &&
          s.get("dashstream_exporter_kafka_consumer_lag") === 0;
      }, { timeoutMs: 30_000, message: () => `lag did not settle at 0:\n${exporter.stderr()}` });
      // Several more refreshes, each logged: all 0 (never negative, never a sentinel).
      const refreshes =
        () => [...exporter.stderr().matchAll(/Consumer lag refreshed lag=(-?\d+)/g)];
      const before = refreshes().length;
      await waitFor(() => refreshes().length >= before + 3, {
        timeoutMs: 15_000,
        message: "three more lag refreshes",
      });
      assert.deepEqual(new Set(refreshes().slice(before).map((m) => m[1])), new Set(["0"]));
    } finally {
      assert.equal((await exporter.stop()).code, 0);
    }
  }, { partitions: 3 });
});

Deno.test("gzip body of /metrics is valid gzip", async () => {
  // Checked without fetch's transparent decoding: the raw bytes gunzip to the text format.
  await withTopic("serve-gzip", async (topic) => {
    const exporter = await startServe(serveEnv(topic));
    try {
      const { request } = await import("node:http");
      const raw = await new Promise<Uint8Array>((resolve, reject) => {
        request(`${exporter.url}/metrics`, { headers: { "accept-encoding": "gzip" } }, (res) => {
          const chunks: Uint8Array[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
        }).on("error", reject).end();
      });
      const text = new TextDecoder().decode(gunzipSync(raw));
      assert.ok(parseSamples(text).has("dashstream_quality_monitor_queries_total"));
    } finally {
      await exporter.stop();
    }
  });
});

Deno.test("serve keeps retrying when the broker is unreachable at start, and exits 0 on SIGTERM", async () => {
  const exporter = await startServe({
    KAFKA_BROKERS: "127.0.0.1:1",
    KAFKA_TOPIC: "unused",
  });
  try {
    await waitFor(
      () =>
        /Cannot connect to Kafka at 127\.0\.0\.1:1: .*\(retrying in \d+ ms; set KAFKA_BROKERS/.test(
          exporter.stderr(),
        ),
      {
        timeoutMs: 20_000,
        message: () => `no clear connection error:\n${exporter.stderr()}`,
      },
    );
    const ready = await fetch(`${exporter.url}/-/ready`);
    assert.equal(ready.status, 503);
    await ready.body?.cancel();
    const samples = await exporter.scrape();
    assert.ok(sample(samples, "dashstream_exporter_kafka_consumer_errors_total") >= 1);
  } finally {
    const { code, ms } = await exporter.stop();
    assert.equal(code, 0, exporter.stderr());
    assert.ok(ms < 5_000, `SIGTERM took ${ms} ms`);
  }
});
