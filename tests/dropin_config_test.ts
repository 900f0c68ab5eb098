/**
 * Drop-in configuration: values the original exporter accepts start us with the same meaning
 * (RUST_LOG, PROMETHEUS_SESSION_TIMEOUT_SECS=0, a bucket list ending in inf). Runs the program
 * (source, or DASHFLOW_EXPORTER_BIN). The values it refused or silently replaced are usage
 * errors, in tests/cli_test.ts.
 */
import assert from "node:assert/strict";
import { histogram, parseSamples } from "./support/exposition.ts";
import { waitFor } from "./support/kafka.ts";
import { FIXTURES } from "./support/replay.ts";
import { freePort, runProgram, startProgram, text } from "./support/spawn.ts";

Deno.test("a bucket list ending in inf and a session timeout of 0 start replay as the original", async () => {
  const { code, stdout, stderr } = await runProgram(["replay", `${FIXTURES}events.jsonl`], {
    env: {
      PROMETHEUS_LATENCY_BUCKETS_MS: "10, 100, inf",
      PROMETHEUS_SESSION_TURN_BUCKETS: "+Inf",
      PROMETHEUS_SESSION_TIMEOUT_SECS: "0",
    },
  });
  assert.equal(code, 0, text(stderr));
  const samples = parseSamples(text(stdout));
  assert.deepEqual(Object.keys(histogram(samples, "dashstream_query_latency_ms").buckets), [
    "10",
    "100",
    "+Inf",
  ]);
  const turns = histogram(samples, "dashstream_turns_by_session");
  assert.deepEqual(Object.keys(turns.buckets), ["+Inf"], "inf alone: the +Inf bucket only");
  assert.ok(turns.count > 0, "sessions observed");
});

async function serveLog(env: Record<string, string>, args: string[] = []): Promise<string> {
  const port = freePort();
  const child = startProgram(
    ["serve", `--web.listen-address=127.0.0.1:${port}`, ...args],
    { env: { KAFKA_BROKERS: "127.0.0.1:1", ...env }, stdout: "null" },
  );
  try {
    await waitFor(async () => {
      try {
        return (await (await fetch(`http://127.0.0.1:${port}/-/healthy`)).text()) !== "";
      } catch {
        return false;
      }
    }, { message: "serve answers /-/healthy" });
  } finally {
    await child.stop();
  }
  return child.stderr();
}

Deno.test("serve honours RUST_LOG when --log-level is not given", async () => {
  const warn = await serveLog({ RUST_LOG: "warn,rdkafka=debug" });
  assert.doesNotMatch(warn, /INFO/, "RUST_LOG=warn drops info lines");
  const flag = await serveLog({ RUST_LOG: "warn" }, ["--log-level", "info"]);
  assert.match(flag, /INFO {2}Serving metrics/, "--log-level wins over RUST_LOG");
  const own = await serveLog({ RUST_LOG: "error,prometheus_exporter=info" });
  assert.match(own, /INFO {2}Serving metrics/, "the original's own target sets the level");
});
