// `replay --serve`: the replayed metrics on /metrics like `serve`, until SIGTERM (exit 0).
import assert from "node:assert/strict";
import { parseSamples, sample } from "./support/exposition.ts";
import { waitFor } from "./support/kafka.ts";
import { FIXTURES, GOLDEN, maskBuildInfo, startReplayServe } from "./support/replay.ts";

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

Deno.test("replay --serve serves the replayed metrics until SIGTERM, then exits 0", async () => {
  const server = await startReplayServe([`${FIXTURES}events.jsonl`]);
  try {
    await waitFor(async () => (await get(`${server.url}/-/ready`)).status === 200, {
      message: "/-/ready answers 200 once the input is applied",
    });
    // The first scrape is exactly what `replay FILE` prints: nothing observed the endpoint yet.
    const first = await get(`${server.url}/metrics`);
    assert.equal(first.status, 200);
    assert.equal(maskBuildInfo(first.body), await Deno.readTextFile(`${GOLDEN}events.prom`));
    // Like serve, later scrapes show the earlier ones.
    const second = parseSamples((await get(`${server.url}/metrics`)).body);
    assert.equal(sample(second, "dashstream_exporter_metrics_endpoint_duration_seconds_count"), 1);
  } finally {
    server.kill("SIGTERM");
  }
  assert.equal(await server.exited, 0, server.stderr());
  assert.match(server.stderr(), /replay: 19 records in .*: 15 applied/);
  assert.match(server.stderr(), /INFO {2}Stopped/);
});

Deno.test("replay --serve --rate serves while applying and stops cleanly mid-way", async () => {
  // 19 records at 4/s take about 5 s; the test stops it after a few.
  const server = await startReplayServe([`${FIXTURES}events.jsonl`, "--rate", "4"]);
  try {
    const received = async () =>
      sample(
        parseSamples((await get(`${server.url}/metrics`)).body),
        "dashstream_exporter_messages_received_total",
      );
    const early = await waitFor(async () => {
      const n = await received();
      return n >= 2 ? n : 0;
    }, { message: "a few records applied" });
    assert.ok(early < 19, `paced: ${early} of 19 records applied so far`);
    assert.equal((await get(`${server.url}/-/ready`)).status, 503, "not ready while applying");
  } finally {
    server.kill("SIGTERM");
  }
  assert.equal(await server.exited, 0, server.stderr());
  assert.match(server.stderr(), /\(interrupted before the end of the input\)/);
});
