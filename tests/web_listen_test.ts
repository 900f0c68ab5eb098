/**
 * Exporter-toolkit listening flags on `serve` and `replay --serve`: `--web.listen-address`
 * (repeatable) and `--web.telemetry-path`. Runs the program (source, or DASHFLOW_EXPORTER_BIN).
 */
import assert from "node:assert/strict";
import { parseSamples, sample } from "./support/exposition.ts";
import { waitFor } from "./support/kafka.ts";
import { FIXTURES } from "./support/replay.ts";
import { freePort, type Started, startProgram } from "./support/spawn.ts";

/** Serve's Kafka is never reached here: it serves HTTP regardless. */
const NO_BROKER = { KAFKA_BROKERS: "127.0.0.1:1" };

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

/** Waits until `count` listeners are logged; returns their URLs. */
async function urls(child: Started, count: number): Promise<string[]> {
  const pattern = new RegExp(`(?:url=(\\S+)[^]*){${count}}`);
  await child.stderrMatch(pattern, "exited before serving");
  return [...child.stderr().matchAll(/Serving metrics url=(\S+)/g)].map((m) => m[1]);
}

/** Whether this machine can bind IPv6 loopback. */
function hasIpv6Loopback(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test("serve --web.listen-address=127.0.0.1:PORT --web.telemetry-path=/m serves metrics on /m", async () => {
  const port = freePort();
  const child = startProgram(
    ["serve", `--web.listen-address=127.0.0.1:${port}`, "--web.telemetry-path=/m"],
    // --web.listen-address wins over the env vars, as every flag does.
    { env: { ...NO_BROKER, METRICS_PORT: "1", METRICS_BIND_IP: "10.0.0.1" }, stdout: "null" },
  );
  try {
    assert.deepEqual(await urls(child, 1), [`http://127.0.0.1:${port}/m`]);
    const metrics = await get(`http://127.0.0.1:${port}/m`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /^dashflow_build_info\{.*\} 1$/m);
    const old = await get(`http://127.0.0.1:${port}/metrics`);
    assert.equal(old.status, 404);
    assert.match(old.body, /try \/m/);
    assert.equal((await get(`http://127.0.0.1:${port}/-/healthy`)).status, 200);
  } finally {
    await child.stop();
  }
});

Deno.test("serve listens on every --web.listen-address at once, [v6]:port included", async () => {
  const v6 = hasIpv6Loopback();
  const ports = [freePort(), freePort()];
  const args = ["serve", "--web.listen-address", `127.0.0.1:${ports[0]}`];
  args.push("--web.listen-address", v6 ? `[::1]:${ports[1]}` : `localhost:${ports[1]}`);
  const child = startProgram(args, { env: NO_BROKER, stdout: "null" });
  try {
    const served = await urls(child, 2);
    assert.equal(served.length, 2, child.stderr());
    for (const url of served) {
      assert.equal((await get(url)).status, 200, url);
    }
    if (v6) assert.ok(served.includes(`http://[::1]:${ports[1]}/metrics`), served.join(" "));
  } finally {
    await child.stop();
  }
  assert.match(child.stderr(), /INFO {2}Stopped/);
});

Deno.test("serve --web.listen-address=:PORT listens on every IPv4 interface", async () => {
  const port = freePort();
  const child = startProgram(["serve", `--web.listen-address=:${port}`], {
    env: NO_BROKER,
    stdout: "null",
  });
  try {
    assert.deepEqual(await urls(child, 1), [`http://0.0.0.0:${port}/metrics`]);
    assert.equal((await get(`http://127.0.0.1:${port}/metrics`)).status, 200);
  } finally {
    await child.stop();
  }
});

Deno.test("serve fails with exit 1 when one of its listen addresses is taken", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    const child = startProgram(
      [
        "serve",
        `--web.listen-address=127.0.0.1:${freePort()}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { env: NO_BROKER, stdout: "null" },
    );
    const status = await child.status;
    assert.equal(status.code, 1, child.stderr());
    assert.match(child.stderr(), new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: `));
  } finally {
    taken.close();
  }
});

Deno.test("replay --serve takes --web.listen-address and --web.telemetry-path", async () => {
  const port = freePort();
  const child = startProgram([
    "replay",
    `${FIXTURES}events.jsonl`,
    "--serve",
    `--web.listen-address=127.0.0.1:${port}`,
    "--web.telemetry-path=/replayed",
  ], { stdout: "null" });
  try {
    assert.deepEqual(await urls(child, 1), [`http://127.0.0.1:${port}/replayed`]);
    await waitFor(async () => (await get(`http://127.0.0.1:${port}/-/ready`)).status === 200, {
      message: "the input is applied",
    });
    const metrics = await get(`http://127.0.0.1:${port}/replayed`);
    assert.equal(
      sample(parseSamples(metrics.body), "dashstream_exporter_messages_received_total"),
      19,
    );
    assert.equal((await get(`http://127.0.0.1:${port}/metrics`)).status, 404);
  } finally {
    await child.stop();
  }
});

Deno.test("serve --web.max-connections=2 closes a third connection at once and takes one again when one closes", async () => {
  const port = freePort();
  const child = startProgram(
    ["serve", `--web.listen-address=127.0.0.1:${port}`, "--web.max-connections=2"],
    { env: NO_BROKER, stdout: "null" },
  );
  const open: Deno.TcpConn[] = [];
  const request = new TextEncoder().encode("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
  /** Sends a request on `conn`; the bytes of the answer, "" when the server closed it. */
  const ask = async (conn: Deno.TcpConn): Promise<string> => {
    try {
      await conn.write(request);
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf);
      return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
    } catch {
      return ""; // reset
    }
  };
  try {
    await urls(child, 1);
    for (let i = 0; i < 2; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      open.push(conn);
      assert.match(await ask(conn), /^HTTP\/1\.1 200/, `connection ${i + 1}`);
    }
    const third = await Deno.connect({ hostname: "127.0.0.1", port });
    assert.equal(await ask(third), "", "a third connection is closed");
    third.close();
    open.shift()!.close();
    // The server notices the close on its own time: wait until a new connection is served.
    await waitFor(async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const answer = await ask(conn);
      conn.close();
      return /^HTTP\/1\.1 200/.test(answer);
    }, { message: "a connection served again after one closed" });
  } finally {
    for (const conn of open) conn.close();
    await child.stop();
  }
});
