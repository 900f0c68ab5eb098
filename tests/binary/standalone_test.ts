/**
 * The compiled binary on its own: no PATH, no node_modules beside it, no Deno
 * or Bun installed as far as it can tell. Runs when DASHFLOW_EXPORTER_BIN names
 * the binary (scripts/test.sh builds it with `bun build --compile`).
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { qualityMessage } from "../support/sample/mod.ts";
import { encodeRecord } from "../../src/wire/mod.ts";
import { parseSamples } from "../support/exposition.ts";
import { kafkaBrokers, produce, uniqueName, waitFor, withTopic } from "../support/kafka.ts";
import { run, start } from "../support/spawn.ts";

const BIN = process.env.DASHFLOW_EXPORTER_BIN;

/** A test of the binary alone, copied into an empty directory that is removed afterwards. */
function binaryTest(name: string, fn: (path: string) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !BIN,
    fn: async () => {
      const dir = mkdtempSync(join(tmpdir(), "dashflow-bin-"));
      try {
        const path = join(dir, "dashflow-exporter");
        copyFileSync(BIN!, path);
        Deno.chmodSync(path, 0o755);
        await fn(path);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
}

binaryTest("the binary runs with an empty PATH and nothing beside it: --version", async (path) => {
  const output = await run([path, "--version"], {
    clearEnv: true,
    env: { PATH: "" },
    cwd: tmpdir(),
  });
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(
    new TextDecoder().decode(output.stdout),
    /^dashflow-exporter \d+\.\d+\.\d+ \(commit [0-9a-f]+/,
  );
});

binaryTest(
  "the binary serves metrics from the real broker with an empty PATH, and exits 0 on SIGTERM",
  async (path) => {
    await withTopic("binary-serve", async (topic) => {
      await produce(
        topic,
        Array.from({ length: 25 }, () => ({
          value: encodeRecord(qualityMessage({ passed: true, model: "gpt-4o" })),
        })),
      );
      const child = start([path, "serve", "--port", "0", "--bind", "127.0.0.1"], {
        clearEnv: true,
        env: {
          PATH: "",
          KAFKA_BROKERS: kafkaBrokers().join(","),
          KAFKA_TOPIC: topic,
          KAFKA_GROUP_ID: uniqueName("binary"),
        },
        cwd: tmpdir(),
        stdout: "null",
      });
      const stderr = child.stderr;
      try {
        const port = await waitFor(
          () => /url=http:\/\/[^:]+:(\d+)\/metrics/.exec(stderr())?.[1],
          {
            timeoutMs: 15_000,
            message: () => `binary did not start serving:\n${stderr()}`,
          },
        );
        const samples = await waitFor(async () => {
          const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          const s = parseSamples(text);
          return s.get("dashstream_quality_monitor_queries_total") === 25 ? text : undefined;
        }, {
          timeoutMs: 30_000,
          message: () => `binary did not apply the records:\n${stderr()}`,
        });
        assert.match(samples, /dashflow_build_info\{[^}]*rust_version="bun \d/);
        assert.match(samples, /dashstream_queries_by_model_total\{model="gpt-4o"\} 25/);
      } finally {
        child.kill("SIGTERM");
        const status = await child.status;
        assert.equal(status.code, 0, stderr());
        assert.match(stderr(), /Stopped/);
      }
    });
  },
);
