import assert from "node:assert/strict";
import { type ScrapeOptions, scrapeTarget } from "./scrape.ts";

function serve(handler: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}/metrics`, server };
}

const base: ScrapeOptions = { accept: "prometheus", timeoutMs: 2000, waitMs: 0, fetch };

Deno.test("scrapeTarget() sends the Accept header and returns the body and Content-Type", async () => {
  const seen: (string | null)[] = [];
  const { url, server } = serve((request) => {
    seen.push(request.headers.get("accept"), request.headers.get("authorization"));
    return new Response("up 1\n", { headers: { "content-type": "text/plain; version=0.0.4" } });
  });
  try {
    const result = await scrapeTarget(url, {
      ...base,
      accept: "openmetrics",
      headers: { authorization: "Basic eDp5" },
    });
    assert.ok(result.ok);
    assert.equal(new TextDecoder().decode(result.body), "up 1\n");
    assert.equal(result.contentType, "text/plain; version=0.0.4");
    assert.match(seen[0]!, /^application\/openmetrics-text;version=1\.0\.0/);
    assert.equal(seen[1], "Basic eDp5");
  } finally {
    await server.shutdown();
  }
});

Deno.test("scrapeTarget() fails a 4xx at once and retries a 503 while waiting", async () => {
  let calls = 0;
  const { url, server } = serve((request) => {
    calls++;
    if (new URL(request.url).pathname === "/missing") return new Response("nope", { status: 404 });
    return calls < 3 ? new Response("starting", { status: 503 }) : new Response("up 1\n");
  });
  try {
    const missing = await scrapeTarget(url.replace("/metrics", "/missing"), {
      ...base,
      waitMs: 5000,
    });
    assert.ok(!missing.ok);
    assert.equal(missing.rule, "target-http-status");
    assert.equal(missing.attempts, 1);
    assert.match(missing.message, /answered HTTP 404 Not Found \(expected 2xx\): "nope"/);
    calls = 1;
    const waited = await scrapeTarget(url, { ...base, waitMs: 10_000 });
    assert.ok(waited.ok);
    assert.equal(waited.attempts, 2);
  } finally {
    await server.shutdown();
  }
});

Deno.test("scrapeTarget() gives up on an unreachable target when --wait runs out", async () => {
  const { url, server } = serve(() => new Response(""));
  await server.shutdown(); // the port is now closed
  const once = await scrapeTarget(url, base);
  assert.ok(!once.ok);
  assert.equal(once.rule, "target-unreachable");
  assert.equal(once.attempts, 1);
  const waited = await scrapeTarget(url, { ...base, waitMs: 400 });
  assert.ok(!waited.ok);
  assert.ok(waited.attempts >= 2, `attempts: ${waited.attempts}`);
  assert.match(waited.message, /still failing after \d+ attempts over 400 ms, --wait/);
});

Deno.test("scrapeTarget() times out a target that does not answer", async () => {
  const gate = Promise.withResolvers<void>();
  const { url, server } = serve(async () => {
    await gate.promise;
    return new Response("late");
  });
  try {
    const result = await scrapeTarget(url, { ...base, timeoutMs: 200 });
    assert.ok(!result.ok);
    assert.match(result.message, /no complete answer within 200 ms \(--timeout\)/);
  } finally {
    gate.resolve();
    await server.shutdown();
  }
});
