import assert from "node:assert/strict";
import { escapeHtml, type LandingStatus, renderLandingPage } from "./landing_page.ts";
import { createMetricsHandler } from "./metrics_handler.ts";

const BASE: LandingStatus = {
  mode: "serve",
  version: "1.2.3",
  commit: "abc1234",
  buildDate: "2026-11-29",
  runtime: "deno 2.9.6",
  ready: true,
  brokers: "k1:9092,k2:9092",
  topic: "dashstream-quality",
  group: "dashflow-exporter",
  partitions: [{ partition: 0, lag: 0 }, { partition: 2, lag: 7 }],
  ratePerSecond: 12.5,
  failuresLastMinute: 3,
  lastEventTimeMs: Date.UTC(2026, 10, 29, 11, 0, 0),
  nowMs: Date.UTC(2026, 10, 29, 11, 0, 42),
};

Deno.test("landing page: build, Kafka, readiness, partitions, activity and links", () => {
  const html = renderLandingPage(BASE);
  for (
    const expected of [
      '<span id="version">1.2.3</span>',
      "<code>abc1234</code>",
      "deno 2.9.6",
      '<code id="brokers">k1:9092,k2:9092</code>',
      '<code id="topic">dashstream-quality</code>',
      '<code id="group">dashflow-exporter</code>',
      '<span class="badge ok" id="readiness">Ready</span>',
      '<tr class="partition"><td>0</td><td class="num">0</td></tr>',
      '<tr class="partition"><td>2</td><td class="num">7</td></tr>',
      '<td class="num" id="total-lag">7</td>',
      '<td class="num big" id="rate">12.5</td>',
      '<td class="num" id="failures">3</td>',
      '<time datetime="2026-11-29T11:00:00.000Z">2026-11-29 11:00:00 UTC</time>',
      "(42 s ago)",
      '<a href="/metrics">',
      '<a href="/metrics?format=openmetrics">',
      '<a href="/-/healthy">',
      '<a href="/-/ready">',
    ]
  ) assert.ok(html.includes(expected), `missing ${expected}`);
  // Self-contained and script-free: no external asset, nothing needing JavaScript.
  assert.doesNotMatch(html, /<script|<link|<img|src=|@import|url\(/i);
  assert.doesNotMatch(html, /href="(?:https?:)?\/\//);
});

Deno.test("landing page: hostile topic, group, brokers and version are escaped", () => {
  const hostile = `<script>alert("x")</script>&'`;
  const html = renderLandingPage({
    ...BASE,
    version: hostile,
    commit: hostile,
    topic: hostile,
    group: `"><img src=x onerror=alert(1)>`,
    brokers: hostile,
    ready: false,
    notReadyReason: `waiting for group '${hostile}'`,
    telemetryPath: `/m"><script>`,
  });
  assert.doesNotMatch(html, /<script|<img/i);
  assert.ok(html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
  assert.ok(html.includes("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
  assert.ok(html.includes('<a href="/m&quot;&gt;&lt;script&gt;">'));
  assert.equal(escapeHtml(`a&b<c>"d'`), "a&amp;b&lt;c&gt;&quot;d&#39;");
});

Deno.test("landing page: not ready says why; unmeasured lag and no events yet", () => {
  const html = renderLandingPage({
    ...BASE,
    ready: false,
    notReadyReason: "waiting to join group 'g'",
    partitions: [{ partition: 1 }],
    lastEventTimeMs: undefined,
    ratePerSecond: 0,
    failuresLastMinute: 0,
  });
  assert.ok(html.includes('<span class="badge bad" id="readiness">Not ready</span>'));
  assert.ok(html.includes("waiting to join group &#39;g&#39;"));
  assert.ok(html.includes("not measured yet"));
  assert.ok(html.includes('<td id="last-event"><span class="muted">none yet</span></td>'));
  assert.ok(html.includes('<td class="num big" id="rate">0.00</td>'));
});

Deno.test("landing page: without Kafka fields (replay --serve) it says so, no blanks", () => {
  const html = renderLandingPage({
    mode: "replay",
    version: "1.2.3",
    commit: "dev",
    buildDate: "dev",
    runtime: "bun 1.4.5",
    ready: true,
    nowMs: 0,
  });
  assert.ok(html.includes('id="no-kafka"'));
  assert.ok(!html.includes('id="topic"'));
  assert.ok(html.includes('<td class="num" id="failures"><span class="muted">n/a</span></td>'));
  assert.ok(html.includes('<a href="/metrics">'));
});

Deno.test("landing page: a custom telemetry path is what the links name", () => {
  const html = renderLandingPage({ ...BASE, telemetryPath: "/custom/metrics" });
  assert.ok(html.includes('<a href="/custom/metrics">'));
  assert.ok(html.includes('<a href="/custom/metrics?format=openmetrics">'));
  assert.ok(!html.includes('href="/metrics"'));
});

Deno.test("metrics handler: / renders the status of the landing option", async () => {
  const core = { registry: { metrics: () => "" } } as never;
  const handler = createMetricsHandler(core, {
    ready: () => true,
    version: "9.9.9",
    landing: () => ({ ...BASE, topic: "from-option" }),
  });
  const response = await handler(new Request("http://x/"));
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(await response.text(), /<code id="topic">from-option<\/code>/);
  const fallback = createMetricsHandler(core, { ready: () => false, version: "9.9.9" });
  const text = await (await fallback(new Request("http://x/"))).text();
  assert.match(text, /<span id="version">9\.9\.9<\/span>/);
  assert.match(text, /Not ready/);
});

Deno.test("createMetricsHandler() links the landing page to its telemetry path", async () => {
  const core = { registry: { metrics: () => "" } } as never;
  const handler = createMetricsHandler(core, {
    ready: () => true,
    version: "9.9.9",
    landing: () => BASE,
    telemetryPath: "/m",
  });
  const text = await (await handler(new Request("http://x/"))).text();
  assert.match(text, /href="\/m"/);
  assert.match(text, /href="\/m\?format=openmetrics"/);
  assert.doesNotMatch(text, /href="\/metrics/);
});
