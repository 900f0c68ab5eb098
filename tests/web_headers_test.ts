/**
 * Web config `http_server_config.headers` on a running `serve`: on every response, refusals
 * included. Runs the program (source, or DASHFLOW_EXPORTER_BIN).
 */
import assert from "node:assert/strict";
import { freePort, startProgram } from "./support/spawn.ts";

// bcrypt("s3cret", cost 4): cheap to check in tests.
const HASH = "$2b$04$ldoZkYkWEXkHFVXugFnf9Onhcduq8KRcg.C/OsjSLzdZZUJKl7u22";

Deno.test("serve adds http_server_config.headers to every response, a 401 included", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/web.yml`;
  await Deno.writeTextFile(
    file,
    `http_server_config:
  http2: false
  headers:
    X-Content-Type-Options: nosniff
    Content-Security-Policy: "default-src 'none'"
basic_auth_users:
  prometheus: ${HASH}
`,
  );
  const port = freePort();
  const child = startProgram(
    ["serve", `--web.listen-address=127.0.0.1:${port}`, "--web.config.file", file],
    { env: { KAFKA_BROKERS: "127.0.0.1:1" }, stdout: "null" },
  );
  try {
    await child.stderrMatch(/Serving metrics url=\S+ /, "serve exited before serving");
    const authorization = `Basic ${btoa("prometheus:s3cret")}`;
    for (
      const [path, init, status] of [
        ["/metrics", { headers: { authorization } }, 200],
        ["/metrics", {}, 401],
        ["/nowhere", { headers: { authorization } }, 404],
      ] as const
    ) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
      await response.body?.cancel();
      assert.equal(response.status, status, path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", `${path} ${status}`);
      assert.equal(response.headers.get("content-security-policy"), "default-src 'none'");
    }
  } finally {
    await child.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
