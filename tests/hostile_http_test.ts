/**
 * Hostile HTTP against `serve` (the source, or the binary with DASHFLOW_EXPORTER_BIN): scrape
 * floods and an unknown-user basic-auth flood while a producer sends 5,000 records/s. Ingestion
 * has priority over serving: the group's ingest rate under load stays within 90% of the rate
 * measured unloaded in the same run, the member never leaves its group, and no record is
 * counted twice. The flood runs in a process of its own so it cannot starve the producer here.
 * Also the HTTP edges: CONNECT, oversized headers and URLs.
 */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { startServe } from "./support/exporter.ts";
import { parseSamples, sample } from "./support/exposition.ts";
import { ingestRate, startSteadyProducer } from "./support/ingest_load.ts";
import { uniqueName, waitFor, withTopic } from "./support/kafka.ts";
import { scrapeLoadResult, startScrapeLoad } from "./support/scrape_load.ts";

const RATE = 5_000;
const LOAD_SECONDS = 20;
const UNLOADED_MS = 5_000;
const PASSWORD = "scrape-s3cret";

interface LoadCase {
  /** Scrape clients on keep-alive connections. */
  clients: number;
  /** Flood with a new unknown basic-auth user per request (the exporter requires basic auth). */
  unknownUsers?: boolean;
}

async function ingestUnderLoad(name: string, load: LoadCase): Promise<void> {
  await withTopic("hostile-http", async (topic) => {
    const group = uniqueName("hostile-http");
    const args = ["--topic", topic, "--group", group];
    let webConfig: string | undefined;
    const headers: Record<string, string> = {};
    if (load.unknownUsers) {
      webConfig = await Deno.makeTempFile({ suffix: ".yml" });
      // Cost 10, as htpasswd -B makes it: each check of an unknown password is the real cost.
      await Deno.writeTextFile(
        webConfig,
        `basic_auth_users:\n  prometheus: ${bcrypt.hashSync(PASSWORD, 10)}\n`,
      );
      args.push("--web.config.file", webConfig);
      headers.authorization = `Basic ${btoa(`prometheus:${PASSWORD}`)}`;
    }
    const exporter = await startServe({ KAFKA_BROKERS: Deno.env.get("KAFKA_BROKERS") ?? "" }, args);
    const producer = await startSteadyProducer(topic, { ratePerSecond: RATE });
    let flood: ReturnType<typeof startScrapeLoad> | undefined;
    try {
      const metrics = async () => {
        const response = await fetch(`${exporter.url}/metrics`, { headers });
        assert.equal(response.status, 200);
        return parseSamples(await response.text());
      };
      await waitFor(async () => (await fetch(`${exporter.url}/-/ready`, { headers })).ok, {
        timeoutMs: 30_000,
        message: "the exporter joins its group",
      });
      await waitFor(
        async () => sample(await metrics(), "dashstream_exporter_messages_received_total") > 0,
        {
          timeoutMs: 30_000,
          message: "the first records arrive",
        },
      );
      const unloaded = await ingestRate(group, topic, UNLOADED_MS);

      flood = startScrapeLoad({
        url: `${exporter.url}/metrics`,
        clients: load.clients,
        seconds: LOAD_SECONDS,
        ...(load.unknownUsers && { authorization: "unknown-user" }),
      });
      // The real scraper, once a second, with the right password. In a scrape flood it may get
      // 503 (too many requests in flight), as from node_exporter; never in a password flood.
      const latencies: number[] = [];
      const realStatuses: number[] = [];
      let scraping = true;
      const scraper = (async () => {
        while (scraping) {
          const started = performance.now();
          const response = await fetch(`${exporter.url}/metrics`, { headers });
          await response.arrayBuffer();
          realStatuses.push(response.status);
          if (response.ok) latencies.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      })();
      const sentBefore = producer.sent();
      const windowStart = performance.now();
      // The window inside the flood: it starts a second after it and ends before it stops.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const loaded = await ingestRate(group, topic, (LOAD_SECONDS - 3) * 1000);
      const produced = (producer.sent() - sentBefore) /
        ((performance.now() - windowStart) / 1000);
      scraping = false;
      await scraper;
      await flood.status;
      const floodResult = scrapeLoadResult(flood);
      const total = await producer.stop();

      const counts = await waitFor(async () => {
        const samples = await metrics();
        const received = sample(samples, "dashstream_exporter_messages_received_total");
        return received >= total ? samples : undefined;
      }, { timeoutMs: 30_000, message: `all ${total} records received` });
      latencies.sort((a, b) => a - b);
      const p50 = latencies[Math.floor(latencies.length / 2)];
      const expected = Math.min(unloaded, produced);
      console.log(
        `${name}: unloaded ${unloaded.toFixed(0)} rec/s, under load ${loaded.toFixed(0)} rec/s ` +
          `(${(100 * loaded / expected).toFixed(1)}% of ${expected.toFixed(0)}), produced ` +
          `${produced.toFixed(0)} rec/s; flood ${JSON.stringify(floodResult)}; real scrape p50 ` +
          `${p50?.toFixed(0)} ms, statuses ${realStatuses.join(",")}`,
      );
      assert.ok(floodResult.requests > load.clients, "the flood ran");
      assert.ok(
        loaded >= 0.9 * expected,
        `ingest under load ${loaded.toFixed(0)} rec/s < 90% of ${expected.toFixed(0)} rec/s`,
      );
      assert.equal(
        sample(counts, "dashstream_exporter_messages_received_total"),
        total,
        "every record counted once",
      );
      assert.equal(sample(counts, "dashstream_exporter_kafka_consumer_errors_total"), 0);
      assert.equal(sample(counts, "dashstream_exporter_offset_store_errors_total"), 0);
      const joins = exporter.stderr().match(/Joined consumer group/g)?.length;
      assert.equal(joins, 1, `the member stayed in its group:\n${exporter.stderr()}`);
      if (load.unknownUsers) {
        assert.ok(realStatuses.every((status) => status === 200), `real scrapes: ${realStatuses}`);
        assert.ok(p50 < 1_000, `the real scrape's p50 is ${p50.toFixed(0)} ms`);
      }
    } finally {
      flood?.kill("SIGKILL");
      await flood?.status;
      await producer.stop();
      await exporter.stop();
      if (webConfig) await Deno.remove(webConfig);
    }
  }, { partitions: 2 });
}

Deno.test("serve: 64 keep-alive scrapers on /metrics leave ingestion at full rate", async () => {
  await ingestUnderLoad("64 scrapers", { clients: 64 });
});

Deno.test("serve: 200 keep-alive scrapers on /metrics leave ingestion at full rate", async () => {
  await ingestUnderLoad("200 scrapers", { clients: 200 });
});

Deno.test("serve: an unknown-user basic-auth flood leaves ingestion and the real scrape alone", async () => {
  await ingestUnderLoad("unknown-user flood", { clients: 64, unknownUsers: true });
});

/**
 * Sends `head` on a raw connection while reading the answer (a server may answer before it read
 * everything); resolves with the status line and how long it took.
 */
async function rawRequest(port: number, head: string): Promise<{ status: string; ms: number }> {
  const started = performance.now();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const writing = conn.write(new TextEncoder().encode(head)).catch(() => 0);
  try {
    const buffer = new Uint8Array(4096);
    let received = "";
    const deadline = setTimeout(() => conn.close(), 10_000);
    try {
      while (!received.includes("\r\n")) {
        const n = await conn.read(buffer);
        if (n === null) break;
        received += new TextDecoder().decode(buffer.subarray(0, n));
      }
    } finally {
      clearTimeout(deadline);
    }
    if (!received.includes("\r\n")) {
      throw new Error(`closed without a status; got ${JSON.stringify(received)}`);
    }
    return { status: received.slice(0, received.indexOf("\r\n")), ms: performance.now() - started };
  } finally {
    try {
      conn.close();
    } catch {
      // Closed by the deadline.
    }
    await writing;
  }
}

Deno.test("serve: CONNECT gets 405 at once; a 10 KB or 1 MB URL 414; 10 KB or 1 MB of headers 431", async () => {
  const exporter = await startServe({ KAFKA_BROKERS: "127.0.0.1:1" }, ["--topic", "t"]);
  try {
    const port = Number(new URL(exporter.url).port);
    for (const target of ["example.com:443", `127.0.0.1:${port}`, "[::1]:443"]) {
      const connect = await rawRequest(
        port,
        `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`,
      );
      assert.match(connect.status, /^HTTP\/1\.1 405 /, target);
      assert.ok(connect.ms < 1_000, `CONNECT answered after ${connect.ms.toFixed(0)} ms`);
    }
    const long = "a".repeat(10 * 1024);
    const url = await rawRequest(port, `GET /metrics?${long} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.match(url.status, /^HTTP\/1\.1 414 /);
    const header = await rawRequest(
      port,
      `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${long}\r\n\r\n`,
    );
    assert.match(header.status, /^HTTP\/1\.1 431 /);
    // Past the parser's own limit (64 KiB of head) the server answers as it refuses the head.
    const big = "a".repeat(1 << 20);
    const bigHeader = await rawRequest(
      port,
      `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`,
    );
    assert.match(bigHeader.status, /^HTTP\/1\.1 431 /);
    const bigUrl = await rawRequest(port, `GET /metrics?${big} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.match(bigUrl.status, /^HTTP\/1\.1 414 /);
    // Still serving.
    assert.equal((await fetch(`${exporter.url}/-/healthy`)).status, 200);
  } finally {
    await exporter.stop();
  }
});
