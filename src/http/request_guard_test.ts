import assert from "node:assert/strict";
import { guardRequests, limitRequests, MAX_HEADER_BYTES, MAX_URL_BYTES } from "./request_guard.ts";

Deno.test("guardRequests() refuses other methods with 405 before reading the URL", async () => {
  let called = 0;
  const handler = guardRequests(() => (called++, new Response("ok")));
  // A CONNECT target is no URL: the guard must not parse it.
  const connect = { method: "CONNECT", url: "127.0.0.1:9190", headers: new Headers() };
  const response = await handler(connect as unknown as Request);
  assert.equal(response.status, 405);
  assert.equal(response.headers.get("allow"), "GET, HEAD");
  assert.equal((await handler(new Request("http://x/", { method: "POST" }))).status, 405);
  assert.equal(called, 0);
});

Deno.test("guardRequests() answers 414 to a long URL and 431 to large headers", async () => {
  const handler = guardRequests(() => new Response("ok"));
  const at = (path: string, headers: Record<string, string> = {}) =>
    handler(new Request(`http://127.0.0.1:9190${path}`, { headers }));
  assert.equal((await at(`/?${"a".repeat(MAX_URL_BYTES - 2)}`)).status, 200);
  assert.equal((await at(`/?${"a".repeat(MAX_URL_BYTES)}`)).status, 414);
  assert.equal((await at("/", { "x-big": "a".repeat(MAX_HEADER_BYTES - 100) })).status, 200);
  assert.equal((await at("/", { "x-big": "a".repeat(MAX_HEADER_BYTES) })).status, 431);
});

Deno.test("limitRequests() answers 503 over maxRequests in flight, probes excepted", async () => {
  const { promise: release, resolve } = Promise.withResolvers<void>();
  const handler = limitRequests(async () => {
    await release;
    return new Response("ok");
  }, { maxRequests: 2, busyDelayMs: 0 });
  const get = (path: string) => handler(new Request(`http://x${path}`));
  const held = [get("/metrics"), get("/metrics")];
  const over = await get("/metrics");
  assert.equal(over.status, 503);
  assert.equal(over.headers.get("retry-after"), "1");
  const probes = [get("/-/healthy"), get("/-/ready")];
  resolve();
  for (const response of [...await Promise.all(held), ...await Promise.all(probes)]) {
    assert.equal(response.status, 200);
  }
  assert.equal((await get("/metrics")).status, 200, "free again");
});

Deno.test("limitRequests() answers 503 over the requests per second, probes excepted", async () => {
  const handler = limitRequests(() => new Response("ok"), { perSecond: 2, busyDelayMs: 0 });
  const get = (path: string) => handler(new Request(`http://x${path}`));
  assert.equal((await get("/metrics")).status, 200);
  assert.equal((await get("/metrics")).status, 200);
  const refused = await get("/metrics");
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.equal((await get("/-/healthy")).status, 200, "probes are never refused");
});
