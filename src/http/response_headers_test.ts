import assert from "node:assert/strict";
import { withHeaders } from "./response_headers.ts";

Deno.test("withHeaders() sets the headers on every response, refusals included", async () => {
  const handler = withHeaders(
    (request) =>
      Promise.resolve(
        new URL(request.url).pathname === "/"
          ? new Response("ok", { headers: { "content-type": "text/plain" } })
          : new Response("no", { status: 401 }),
      ),
    { "X-Frame-Options": "deny", "Content-Security-Policy": "default-src 'none'" },
  );
  for (const path of ["/", "/secret"]) {
    const response = await handler(new Request(`http://x${path}`));
    assert.equal(response.headers.get("x-frame-options"), "deny", path);
    assert.equal(response.headers.get("content-security-policy"), "default-src 'none'", path);
    await response.body?.cancel();
  }
});
