/**
 * Hostile inputs of every mode that reads one whole: `check` on an endless HTTP body, a gzip
 * body of 1 MB that inflates to 1 GiB, a redirect loop and 800k lint findings; `replay` of a
 * 4 MB gzip file that inflates to 4 GiB; `tail` of one 10 MB record of 5 million empty events.
 * Each stays under 512 MB of resident memory (VmHWM of the spawned program: the source on Deno,
 * or the binary with DASHFLOW_EXPORTER_BIN) and ends with one line naming the limit and its flag.
 * Inputs are generated on the fly.
 */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { serveHttp, withServer } from "./support/check.ts";
import { produce, uniqueName, withAdmin } from "./support/kafka.ts";
import { runMeasured } from "./support/rss.ts";
import { emptyEventsRecord } from "./support/sample/mod.ts";
import { runProgram, text } from "./support/spawn.ts";
import { concatBytes } from "../src/util/concat_bytes.ts";
import { topicToEnd } from "./support/tail.ts";

const MB = 1e6;
const MIB = 1024 * 1024;
const RSS_LIMIT = 512 * MIB;

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /verbose: true|Maximum call stack|at .*\.ts:\d+/);
}

function assertRss(peak: number, what: string): void {
  console.log(`${what}: peak RSS ${(peak / MIB).toFixed(0)} MiB`);
  assert.ok(peak > 0, "no RSS read");
  assert.ok(peak < RSS_LIMIT, `${what}: peak RSS ${(peak / MIB).toFixed(0)} MiB`);
}

/** `size` bytes of zeros, gzip-compressed as one member (1 GiB: about 1 MB). */
async function gzipZeros(size: number): Promise<Uint8Array<ArrayBuffer>> {
  const gzip = zlib.createGzip({ level: 9 });
  const chunks: Uint8Array[] = [];
  gzip.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise((resolve) => gzip.on("end", resolve));
  const zeros = new Uint8Array(MIB);
  for (let written = 0; written < size; written += MIB) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end();
  await ended;
  return concatBytes(chunks);
}

let gibOfZeros: Promise<Uint8Array<ArrayBuffer>> | undefined;
const gzippedGib = () => gibOfZeros ??= gzipZeros(1024 * MIB);

Deno.test("check: an endless HTTP body stops at --max-bytes: one line, exit 1, under 512 MB", async () => {
  const line = new TextEncoder().encode("a_metric 1\n".repeat(6000));
  await withServer(
    serveHttp(() =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull: (controller) => controller.enqueue(line),
        }),
        { headers: { "content-type": "text/plain; version=0.0.4" } },
      )
    ),
    async (server) => {
      const out = await runMeasured(["check", `${server.origin}/metrics`]);
      assert.equal(out.code, 1, out.stderr);
      assertOneLine(
        out.stderr,
        /^dashflow-exporter: GET http:\/\/127\.0\.0\.1:\d+\/metrics: the body holds more than 16 MiB after decompression \(--max-bytes\); raise --max-bytes/,
      );
      assertRss(out.peakRssBytes, "check, endless body");
    },
  );
});

Deno.test("check: a 1 MB gzip body inflating to 1 GiB stops at --max-bytes; a raised limit is obeyed", async () => {
  const body = await gzippedGib();
  assert.ok(body.length < 1.1 * MB, `${body.length} bytes`);
  await withServer(
    serveHttp(() =>
      new Response(body, {
        headers: { "content-type": "text/plain; version=0.0.4", "content-encoding": "gzip" },
      })
    ),
    async (server) => {
      const out = await runMeasured(["check", `${server.origin}/metrics`]);
      assert.equal(out.code, 1, out.stderr);
      assertOneLine(
        out.stderr,
        /the body holds more than 16 MiB after decompression \(--max-bytes\)/,
      );
      assertRss(out.peakRssBytes, "check, gzip bomb");
      const raised = await runMeasured([
        "check",
        `${server.origin}/metrics`,
        "--max-bytes",
        "64Mi",
      ]);
      assert.equal(raised.code, 1, raised.stderr);
      assertOneLine(raised.stderr, /the body holds more than 64 MiB after decompression/);
    },
  );
});

Deno.test("check: a redirect loop is our own one-line finding, not the runtime's advice", async () => {
  await withServer(
    serveHttp((request) =>
      new Response(null, {
        status: 302,
        headers: { location: new URL(request.url).pathname === "/a" ? "/b" : "/a" },
      })
    ),
    async (server) => {
      const out = await runMeasured(["check", `${server.origin}/a`]);
      assert.equal(out.code, 1, out.stderr);
      assert.match(
        out.stdout,
        /GET http:\/\/127\.0\.0\.1:\d+\/a: more than 10 redirects \(the last from .*\/a to .*\/b\); check the target for a redirect loop, or give the final URL \[target-unreachable\]/,
      );
      assert.doesNotMatch(out.stdout + out.stderr, /verbose/);
    },
  );
});

Deno.test("check: 800k lint findings exit 3 under 512 MB, the report saying how many it left out", async () => {
  // 160k families of 5 lint findings each: no help, _total on a gauge, a colon, a camelCase
  // label, a label starting with __. Each is counted; 100 of each rule are listed.
  let text = "";
  for (let i = 0; i < 160_000; i++) {
    text += `# TYPE a${i}Xb:c_total gauge\na${i}Xb:c_total{__x="1",fooBar="1"} 1\n`;
  }
  const file = await Deno.makeTempFile({ suffix: ".prom" });
  const rules = [
    "lint-camel-case",
    "lint-colon",
    "lint-help",
    "lint-non-counter-total",
    "lint-reserved-label",
  ];
  try {
    await Deno.writeTextFile(file, text);
    const human = await runMeasured(["check", file]);
    assert.equal(human.code, 3, human.stderr);
    assert.equal(human.stderr, "");
    assert.match(human.stdout, /VALID with lint findings: 0 errors, 800000 warnings \(exit 3\)\n$/);
    for (const rule of rules) {
      assert.match(
        human.stdout,
        new RegExp(
          `^\\.\\.\\. and 159900 more ${rule} findings, counted, not listed \\(at most 100 per rule: --max-findings-per-rule\\)$`,
          "m",
        ),
      );
    }
    assertRss(human.peakRssBytes, "check, 800k findings");
    const json = await runMeasured(["check", file, "--format", "json"]);
    assert.equal(json.code, 3, json.stderr);
    const body = JSON.parse(json.stdout);
    assert.equal(body.summary.warnings, 800_000);
    assert.equal(body.findings.length, 500);
    assert.deepEqual(body.findingsLeftOut, Object.fromEntries(rules.map((r) => [r, 159_900])));
    assertRss(json.peakRssBytes, "check --format json, 800k findings");
    const junit = await runMeasured(["check", file, "--format", "junit"]);
    assert.equal(junit.code, 3, junit.stderr);
    assert.match(junit.stdout, /and 159900 more lint-help findings, counted, not listed/);
    assertRss(junit.peakRssBytes, "check --format junit, 800k findings");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("replay: a 4 MB gzip file inflating to 4 GiB stops at --max-input-bytes: one line, exit 1, under 512 MB", async () => {
  const member = await gzippedGib();
  const file = await Deno.makeTempFile({ suffix: ".bin.gz" });
  try {
    // Four gzip members, as `cat a.gz b.gz` writes: 4 GiB of zeros.
    const out = await Deno.open(file, { write: true });
    for (let i = 0; i < 4; i++) await out.write(member);
    out.close();
    assert.ok((await Deno.stat(file)).size < 4.4 * MB);
    const run = await runMeasured(["replay", file]);
    assert.equal(run.code, 1, run.stderr);
    assertOneLine(
      run.stderr,
      /^dashflow-exporter: Cannot replay .*\.bin\.gz: it is gzip and inflates to more than 256 MiB \(--max-input-bytes\); raise --max-input-bytes/,
    );
    assertRss(run.peakRssBytes, "replay, gzip bomb");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("tail: one 10 MB record of 5 million empty events is shown truncated with a marker, under 512 MB", async () => {
  const topic = uniqueName("hostile-tail");
  await withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [{
        topic,
        numPartitions: 1,
        configEntries: [{ name: "max.message.bytes", value: String(16 * MIB) }],
      }],
    })
  );
  try {
    const value = emptyEventsRecord(5_000_000);
    await produce(topic, [{ value }]);
    for (const format of ["json", "pretty"]) {
      const run = await runMeasured([
        "tail",
        ...topicToEnd(topic),
        "--format",
        format,
        "--log-level",
        "warn",
      ], { env: { NO_COLOR: "1" } });
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.trimEnd().split("\n");
      assert.equal(lines.length, 1);
      assert.ok(lines[0].length < 2_000, `a line of ${lines[0].length} characters`);
      if (format === "json") {
        const json = JSON.parse(lines[0]);
        assert.equal(json.type, "event_batch");
        assert.equal(json.size, value.length);
        assert.match(json.truncated.reason, /longer than --max-line-bytes \(16 MiB\)/);
      } else {
        assert.match(
          lines[0],
          /event_batch +\(not shown: .* longer than --max-line-bytes, 16 MiB\)/,
        );
      }
      assert.match(run.stderr, /1 record: 1 decoded \(event_batch 1\), 0 failed; 1 shown/);
      assertRss(run.peakRssBytes, `tail --format ${format}, 10 MB record`);
    }
  } finally {
    await withAdmin((admin) => admin.deleteTopics({ topics: [topic], timeout: 10_000 }))
      .catch(() => {});
  }
});

Deno.test("check: a file or standard input over --max-bytes fails in one line naming the flag", async () => {
  const body = new TextEncoder().encode("a_metric 1\n".repeat(1_600_000)); // 17.6 MB
  const file = await Deno.makeTempFile({ suffix: ".prom" });
  try {
    await Deno.writeFile(file, body);
    const fromFile = await runProgram(["check", file]);
    assert.equal(fromFile.code, 1, text(fromFile.stderr));
    assertOneLine(
      text(fromFile.stderr),
      /^dashflow-exporter: .*\.prom holds more than 16 MiB \(--max-bytes\); raise --max-bytes/,
    );
    const fromStdin = await runProgram(["check", "-"], { stdin: body });
    assert.equal(fromStdin.code, 1, text(fromStdin.stderr));
    assertOneLine(
      text(fromStdin.stderr),
      /^dashflow-exporter: standard input holds more than 16 MiB \(--max-bytes\)/,
    );
    const raised = await runProgram(["check", file, "--max-bytes", "32Mi", "--no-lint"]);
    assert.equal(raised.code, 1, "duplicate series: invalid, but read");
    assert.match(text(raised.stdout), /duplicate/i);
  } finally {
    await Deno.remove(file);
  }
});
