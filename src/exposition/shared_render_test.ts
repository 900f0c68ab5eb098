import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { newTestCore } from "../../tests/support/metrics_core.ts";
import { createSharedRender } from "./shared_render.ts";

const ENDPOINT_COUNT = "dashstream_exporter_metrics_endpoint_duration_seconds_count";

function endpointCount(body: string | Uint8Array): number {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  return Number(new RegExp(`^${ENDPOINT_COUNT} (\\S+)$`, "m").exec(text)![1]);
}

Deno.test("createSharedRender(): overlapping scrapes share one render and one gzip", async () => {
  let mono = 0;
  const { core } = newTestCore({ monotonicClock: () => (mono += 1) });
  const scrape = createSharedRender(core);
  const text = { format: "text", gzip: false } as const;
  const results = await Promise.all([
    scrape(text),
    scrape(text),
    scrape({ format: "text", gzip: true }),
    scrape({ format: "openmetrics", gzip: false }),
  ]);
  assert.equal(results[0].body, results[1].body, "the same render");
  const gzipped = results[2];
  assert.equal(gzipped.contentEncoding, "gzip");
  assert.equal(new TextDecoder().decode(gunzipSync(gzipped.body as Uint8Array)), results[0].body);
  assert.match(results[3].body as string, /# EOF\n$/);
  // Two renders in all: text and OpenMetrics.
  assert.equal(endpointCount((await scrape(text)).body), 2);
});

Deno.test("createSharedRender(): a scrape alone always gets a fresh render", async () => {
  const { core } = newTestCore();
  const scrape = createSharedRender(core);
  const text = { format: "text", gzip: false } as const;
  assert.equal(endpointCount((await scrape(text)).body), 0);
  assert.equal(endpointCount((await scrape(text)).body), 1);
  assert.equal(endpointCount((await scrape(text)).body), 2);
});

Deno.test("createSharedRender(): under load a render is reused for 10x its time", async () => {
  let mono = 0;
  const { core } = newTestCore({ monotonicClock: () => mono });
  const pending: (() => void)[] = [];
  let renders = 0;
  const scrape = createSharedRender(core, {
    render: ({ format }) => {
      const n = ++renders;
      return new Promise((resolve) =>
        pending.push(() => resolve({ body: `render ${n}`, contentType: format }))
      );
    },
  });
  const text = { format: "text", gzip: false } as const;
  const first = scrape(text);
  mono = 10;
  pending.shift()!();
  assert.equal((await first).body, "render 1"); // took 10 ms: reused for 100 ms
  const inFlight = scrape({ format: "openmetrics", gzip: false }); // another scrape, still running
  mono = 50;
  assert.equal((await scrape(text)).body, "render 1", "overlapping, within 100 ms: shared");
  mono = 200;
  const late = scrape(text);
  assert.equal(renders, 3, "overlapping, but past the window: a new render");
  pending.splice(0).forEach((finish) => finish());
  assert.equal((await late).body, "render 3");
  assert.equal((await inFlight).body, "render 2");
});
