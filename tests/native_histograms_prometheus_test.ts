/**
 * Native histograms end to end: Debian's Prometheus 2.42 (`.cache/bin/prometheus`) with
 * `--enable-feature=native-histograms` asks `serve` for the protobuf exposition and stores
 * `dashstream_query_latency_ms` as a native histogram. Its count equals the text format's
 * `_count`, and its p99 is within the schema's relative error of the exact p99 of the latencies
 * sent (docs/semantics.md, "Rule: native histogram buckets").
 */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { prometheusTest, startPrometheus } from "./support/deploy.ts";
import { withTopicServe } from "./support/exporter.ts";
import { produce, waitFor } from "./support/kafka.ts";
import { sampleQualityMessages, sampleRecords } from "./support/sample/mod.ts";
import { classify } from "../src/event/quality_event.ts";

const RECORDS = 400;
const SEED = 15;
/** The default bucket factor 1.1 gives schema 3: buckets 2^(1/8) ≈ 1.09 wide. */
const SCHEMA = 3;

async function query(origin: string, expr: string): Promise<number | undefined> {
  const response = await fetch(`${origin}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = await response.json();
  if (body.status !== "success") throw new Error(`query ${expr} failed: ${body.error}`);
  const [first] = body.data.result;
  return first === undefined ? undefined : Number(first.value[1]);
}

/** The latencies `serve` observes from the sample records, sorted. */
function sentLatencies(): number[] {
  const latencies: number[] = [];
  for (const message of sampleQualityMessages(RECORDS, { seed: SEED })) {
    const result = classify(message);
    if (result.kind === "quality") latencies.push(result.event.latencyMs);
  }
  return latencies.sort((a, b) => a - b);
}

prometheusTest(
  "Prometheus 2.42 with native histograms scrapes serve's protobuf: count and p99 hold",
  () =>
    withTopicServe("native-histograms", async ({ topic, dir, exporter }) => {
      await produce(topic, sampleRecords(RECORDS, { seed: SEED }));
      const latency = "dashstream_query_latency_ms";
      let textCount = 0;
      await waitFor(async () => {
        textCount = (await exporter.scrape()).get(`${latency}_count`) ?? 0;
        return textCount === RECORDS;
      }, { timeoutMs: 60_000, message: () => `serve did not count ${RECORDS} events` });

      const [origin, prometheus] = await startPrometheus(dir, {
        config: stringify({
          global: { scrape_interval: "1s" },
          scrape_configs: [{
            job_name: "native",
            static_configs: [{ targets: [new URL(exporter.url).host] }],
          }],
        }),
        flags: ["--enable-feature=native-histograms"],
      });
      try {
        const output = () => `${exporter.stderr()}\n${prometheus.output()}`;
        let count: number | undefined;
        await waitFor(async () => {
          count = await query(origin, `histogram_count(sum(${latency}))`).catch(() => undefined);
          return count === textCount;
        }, {
          timeoutMs: 60_000,
          intervalMs: 250,
          message: () => `histogram_count is ${count}, not ${textCount}:\n${output()}`,
        });
        // The classic series are not stored beside a native one (Prometheus 2.42).
        assert.equal(await query(origin, `${latency}_count`), undefined);

        const sent = sentLatencies();
        assert.equal(sent.length, RECORDS);
        const exact = sent[Math.ceil(0.99 * sent.length) - 1];
        const p99 = await query(origin, `histogram_quantile(0.99, sum(${latency}))`);
        const relativeError = 2 ** (2 ** -SCHEMA) - 1;
        assert.ok(p99 !== undefined, "no p99");
        assert.ok(
          Math.abs(p99 / exact - 1) <= relativeError,
          `p99 ${p99} vs exact ${exact}: off by ${Math.abs(p99 / exact - 1)}, ` +
            `more than ${relativeError}`,
        );
        console.log(`native p99 ${p99} ms, exact ${exact} ms, count ${count} = text ${textCount}`);
      } finally {
        await prometheus.stop();
      }
    }),
  { kafka: true },
);
