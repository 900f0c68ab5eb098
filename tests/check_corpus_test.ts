/**
 * The real-world corpus: expositions of Debian's Prometheus server (2.42) and node exporter
 * (1.5), captured live on loopback and asked for both formats. `check` must pass them (exit 0,
 * or 3 for lint findings) and agree with `promtool check metrics` on the verdict and on every
 * lint finding. Our own `serve` is the third source: see check_serve_test.ts.
 *
 * Neither Debian daemon serves OpenMetrics (Prometheus 2.42 and node exporter 1.5 answer
 * text/plain even when asked): check reads the text they send and says so in a notice.
 */
import assert from "node:assert/strict";
import { ACCEPT_HEADERS } from "../src/check/content_type.ts";
import { jsonFindings, promtoolCheck, runCheck, startDaemon } from "./support/check.ts";
import { freePort } from "./support/spawn.ts";
import { BIN } from "./support/paths.ts";

/** promtool's lint lines ("name text") as a sorted list. */
function promtoolLint(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l !== "" && !l.startsWith("error")).sort();
}

/** check's warnings, in promtool's "name text" shape. */
function checkLint(stdout: string): string[] {
  return JSON.parse(stdout).findings
    .filter((f: { severity: string }) => f.severity === "warning")
    .map((f: { metric: string; message: string }) =>
      `${f.metric} ${f.message.slice(f.metric.length + 2).replace(/ \([a-zA-Z_]+\)$/, "")}`
    )
    .sort();
}

async function corpus(name: string, url: string) {
  for (const accept of ["prometheus", "openmetrics"] as const) {
    const response = await fetch(url, { headers: { accept: ACCEPT_HEADERS[accept] } });
    assert.equal(response.status, 200);
    const body = new Uint8Array(await response.arrayBuffer());
    const dir = Deno.makeTempDirSync({ prefix: "check-corpus-" });
    try {
      const file = `${dir}/${name}.prom`;
      Deno.writeFileSync(file, body);
      const check = await runCheck([file, "--format", "json"]);
      const promtool = await promtoolCheck(body);
      assert.ok(
        check.code === 0 || check.code === 3,
        `${name}: check exited ${check.code}:\n${check.stdout}`,
      );
      assert.equal(
        check.code,
        promtool.code,
        `${name}: check and promtool disagree:\n${check.stdout}\n${promtool.stderr}`,
      );
      assert.deepEqual(
        checkLint(check.stdout),
        promtoolLint(promtool.stderr),
        `${name}: lint findings differ`,
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
    // And straight from the URL, as CI would run it.
    const live = await runCheck([url, "--accept", accept, "--format", "json"]);
    assert.ok(
      live.code === 0 || live.code === 3,
      `${name} (live): exit ${live.code}:\n${live.stdout}`,
    );
    const rules = jsonFindings(live).map((f) => f.rule);
    assert.equal(rules.includes("content-negotiation"), accept === "openmetrics", rules.join(", "));
  }
}

Deno.test("Debian's Prometheus server exposition passes check, as promtool says", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "check-prometheus-" });
  const port = freePort();
  Deno.writeTextFileSync(
    `${dir}/prometheus.yml`,
    "global:\n  scrape_interval: 1h\nscrape_configs: []\n",
  );
  const daemon = await startDaemon(`${BIN}prometheus`, {
    args: [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    url: `http://127.0.0.1:${port}/metrics`,
  });
  try {
    await corpus("prometheus", daemon.url);
    const run = await runCheck([daemon.url]);
    assert.equal(run.code, 0, run.stdout);
  } finally {
    await daemon.stop();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("Debian's node exporter exposition passes check with promtool's lint findings", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "check-node-exporter-" });
  const port = freePort();
  const daemon = await startDaemon(`${BIN}prometheus-node-exporter`, {
    args: [
      `--web.listen-address=127.0.0.1:${port}`,
      `--collector.textfile.directory=${dir}`,
      "--no-collector.systemd",
    ],
    url: `http://127.0.0.1:${port}/metrics`,
  });
  try {
    await corpus("node-exporter", daemon.url);
    // node_memory_MemFree_bytes and friends: camelCase names, so exit 3 (as promtool).
    const run = await runCheck([daemon.url]);
    assert.equal(run.code, 3, run.stdout);
    assert.match(
      run.stdout,
      /node_memory_MemFree_bytes: metric names should be written in 'snake_case'/,
    );
  } finally {
    await daemon.stop();
    Deno.removeSync(dir, { recursive: true });
  }
});
