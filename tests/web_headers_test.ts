/**
 * Web config `http_server_config.headers` on a running `serve`: on every response, refusals
 * included. Runs the program (source, or DASHFLOW_EXPORTER_BIN).
 */
import assert from "node:assert/strict";
import { waitFor } from "./support/kafka.ts";
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

Deno.test("serve re-reads a changed web config: new users and headers apply, a bad file is logged", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/web.yml`;
  const write = (user: string, frame: string) =>
    Deno.writeTextFile(
      file,
      `http_server_config:\n  headers:\n    X-Frame-Options: ${frame}\n` +
        `basic_auth_users:\n  ${user}: ${HASH}\n`,
    );
  await write("alice", "deny");
  const port = freePort();
  const child = startProgram(
    ["serve", `--web.listen-address=127.0.0.1:${port}`, "--web.config.file", file],
    { env: { KAFKA_BROKERS: "127.0.0.1:1" }, stdout: "null" },
  );
  const as = async (user: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: `Basic ${btoa(`${user}:s3cret`)}` },
    });
    await response.body?.cancel();
    return { status: response.status, frame: response.headers.get("x-frame-options") };
  };
  try {
    await child.stderrMatch(/Serving metrics url=\S+ /, "serve exited before serving");
    assert.deepEqual(await as("alice"), { status: 200, frame: "deny" });
    await write("bob", "sameorigin");
    await waitFor(async () => (await as("bob")).status === 200, { message: "bob let in" });
    assert.deepEqual(await as("bob"), { status: 200, frame: "sameorigin" });
    assert.equal((await as("alice")).status, 401, "alice removed");
    await Deno.writeTextFile(file, "basic_auth_users:\n  bob: plain\n");
    // The file is checked on a request: scrape until the error is logged.
    await waitFor(async () => {
      await as("bob");
      return /basic_auth_users\.bob is not a bcrypt hash.*keeping the web config/.test(
        child.stderr(),
      );
    }, { message: "the bad file logged" });
    assert.deepEqual(await as("bob"), { status: 200, frame: "sameorigin" }, "last good config");
  } finally {
    await child.stop();
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal((await child.status).code, 0);
});
