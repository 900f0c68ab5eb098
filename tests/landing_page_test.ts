/**
 * The landing page at `/` as an operator sees it: `serve` consuming sample events from the real
 * broker, the page fetched plainly (no JavaScript involved) and loaded in headless Chromium
 * (DOM after load, and a screenshot saved under the test output directory); and
 * `replay --serve`'s page, which has no Kafka fields.
 *
 * The screenshot goes to `$TEST_OUTPUT_DIR/landing.png` when TEST_OUTPUT_DIR is set, else
 * into a new temporary directory; the test prints the path either way.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { CHROMIUM_MISSING, findChromium, headlessChromium } from "./support/chromium.ts";
import { startServe } from "./support/exporter.ts";
import { sample } from "./support/exposition.ts";
import { produce, uniqueName, waitFor, withTopic } from "./support/kafka.ts";
import { ROOT } from "./support/paths.ts";
import { FIXTURES, startReplayServe } from "./support/replay.ts";
import { sampleRecords } from "./support/sample/mod.ts";

const VERSION = JSON.parse(Deno.readTextFileSync(`${ROOT}package.json`)).version as string;
const CHROMIUM = findChromium();
if (CHROMIUM === undefined) {
  console.warn(`landing page: headless Chromium steps skipped: ${CHROMIUM_MISSING}`);
}
const RECORDS = 240;

async function page(url: string): Promise<string> {
  const response = await fetch(`${url}/`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  return await response.text();
}

/** The partitions table's rows: partition → lag text. */
function partitionRows(html: string): Map<number, string> {
  const rows = new Map<number, string>();
  for (const m of html.matchAll(/<tr class="partition"><td>(\d+)<\/td><td class="num">([^<]*)</g)) {
    rows.set(Number(m[1]), m[2]);
  }
  return rows;
}

/** What the live serve page must show, in the served HTML or Chromium's DOM alike. */
function assertServePage(html: string, topic: string, group: string): void {
  assert.match(html, new RegExp(`<span id="version">${VERSION.replaceAll(".", "\\.")}</span>`));
  assert.match(html, new RegExp(`<code id="topic">${topic}</code>`));
  assert.match(html, new RegExp(`<code id="group">${group}</code>`));
  assert.match(html, /<code id="brokers">[^<]*:\d+/);
  assert.match(html, /<span class="badge ok" id="readiness">Ready<\/span>/);
  assert.deepEqual(partitionRows(html), new Map([[0, "0"], [1, "0"]]));
  assert.match(html, /<td class="num" id="total-lag">0<\/td>/);
  const rate = Number(/<td class="num big" id="rate">([\d.]+)<\/td>/.exec(html)?.[1]);
  assert.ok(rate > 0, `records/s over the last minute is positive, got ${rate}`);
  assert.match(html, /<td class="num" id="failures">0<\/td>/);
  assert.match(html, /<td id="last-event"><time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">/);
  assert.match(html, /<a href="\/metrics">/);
  assert.match(html, /<a href="\/metrics\?format=openmetrics">/);
  assert.match(html, /<a href="\/-\/ready">/);
}

function outputDir(): string {
  const configured = Deno.env.get("TEST_OUTPUT_DIR");
  if (!configured) return Deno.makeTempDirSync({ prefix: "landing-page-test-" });
  Deno.mkdirSync(configured, { recursive: true });
  return configured;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

Deno.test({
  name: "serve's landing page shows the live state, fetched plainly and in headless Chromium",
  ignore: !process.env.KAFKA_BROKERS,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withTopic("landing", async (topic) => {
      await produce(topic, sampleRecords(RECORDS, { seed: 14 }));
      const group = uniqueName("landing-group");
      const exporter = await startServe({
        KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
        KAFKA_TOPIC: topic,
        KAFKA_GROUP_ID: group,
        KAFKA_LAG_CHECK_INTERVAL_SECS: "1",
      });
      try {
        await waitFor(
          async () =>
            sample(await exporter.scrape(), "dashstream_exporter_messages_received_total") ===
              RECORDS,
          {
            timeoutMs: 30_000,
            message: () => `all ${RECORDS} records consumed:\n${exporter.stderr()}`,
          },
        );
        // Lag is checked every second: wait until the page shows it for both partitions.
        const html = await waitFor(async () => {
          const text = await page(exporter.url);
          const rows = partitionRows(text);
          return rows.get(0) === "0" && rows.get(1) === "0" ? text : undefined;
        }, { message: () => `both partitions with lag 0 on the page:\n${exporter.stderr()}` });

        await t.step("plain HTML: complete without JavaScript, no external assets", () => {
          assertServePage(html, topic, group);
          assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|@import|url\(/i);
          assert.doesNotMatch(html, /(?:href|action)="(?:https?:)?\/\//);
        });

        await t.step({
          name: "headless Chromium: the DOM after load, and a screenshot",
          ignore: CHROMIUM === undefined,
          async fn() {
            const dom = await headlessChromium(CHROMIUM!, `${exporter.url}/`, ["--dump-dom"]);
            assertServePage(dom, topic, group);
            const dir = outputDir();
            const png = `${dir}/landing.png`;
            await headlessChromium(CHROMIUM!, `${exporter.url}/`, [
              `--screenshot=${png}`,
              "--window-size=1280,900",
            ]);
            const bytes = await Deno.readFile(png);
            assert.deepEqual(pngSize(bytes), { width: 1280, height: 900 });
            // A blank page compresses to a few hundred bytes; text and tables take far more.
            assert.ok(bytes.length > 20_000, `screenshot of ${bytes.length} bytes looks blank`);
            console.log(`landing page screenshot: ${png} (${bytes.length} bytes)`);
          },
        });
      } finally {
        await exporter.stop();
      }
    }, { partitions: 2 });
  },
});

Deno.test({
  name: "replay --serve's landing page renders without Kafka fields",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const server = await startReplayServe([`${FIXTURES}events.jsonl`]);
    try {
      const ready = () =>
        waitFor(async () =>
          (await fetch(`${server.url}/-/ready`).then((r) => r.text())) === "Ready\n"
        );
      await ready();
      const check = (html: string) => {
        assert.match(html, /<code>replay<\/code>/);
        assert.match(
          html,
          new RegExp(`<span id="version">${VERSION.replaceAll(".", "\\.")}</span>`),
        );
        assert.match(html, /<span class="badge ok" id="readiness">Ready<\/span>/);
        assert.match(html, /id="no-kafka">Not consuming from Kafka/);
        assert.doesNotMatch(html, /id="topic"|id="group"|undefined|NaN/);
        assert.match(html, /<td id="last-event"><time datetime=/);
        assert.match(html, /<a href="\/metrics">/);
      };
      await t.step("plain HTML", async () => check(await page(server.url)));
      await t.step({
        name: "headless Chromium",
        ignore: CHROMIUM === undefined,
        async fn() {
          check(await headlessChromium(CHROMIUM!, `${server.url}/`, ["--dump-dom"]));
        },
      });
    } finally {
      server.kill("SIGTERM");
    }
    assert.equal(await server.exited, 0, server.stderr());
  },
});

Deno.test({
  name: "serve's landing page says why it is not ready while the broker is unreachable",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const exporter = await startServe({
      KAFKA_BROKERS: "127.0.0.1:1",
      KAFKA_TOPIC: "landing-down",
    });
    try {
      const html = await page(exporter.url);
      assert.match(html, /<span class="badge bad" id="readiness">Not ready<\/span>/);
      assert.match(
        html,
        /<span id="not-ready-reason">waiting to join group &#39;[^&]+&#39; and receive its share of topic &#39;landing-down&#39; \(brokers 127\.0\.0\.1:1;/,
      );
      assert.match(html, /<code id="brokers">127\.0\.0\.1:1<\/code>/);
      assert.match(html, /no partition assigned/);
      assert.match(html, /<td id="last-event"><span class="muted">none yet<\/span><\/td>/);
    } finally {
      await exporter.stop();
    }
  },
});
