// Bad replay input fails with the record number and byte offset and exit code 1 (usage errors
// exit 2); --skip-bad counts it and goes on.
import assert from "node:assert/strict";
import { readDelimited } from "../src/wire/record_file.ts";
import { concatBytes } from "../src/util/concat_bytes.ts";
import { FIXTURES, GOLDEN, maskBuildInfo, runReplay, text } from "./support/replay.ts";
import { withTempDir } from "./support/temp_dir.ts";

function withTempFile<T>(
  name: string,
  bytes: Uint8Array,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  return withTempDir("replay-errors", async (dir) => {
    const path = `${dir}/${name}`;
    await Deno.writeFile(path, bytes);
    return await fn(path);
  });
}

const encoder = new TextEncoder();
const sampleBin = await Deno.readFile(`${FIXTURES}sample.bin`);
const sampleRecords = [...readDelimited(sampleBin)];
const lastRecord = sampleRecords[sampleRecords.length - 1];
const eventsJsonl = await Deno.readTextFile(`${FIXTURES}events.jsonl`);

/** One stderr line, the program's, naming the failure; no stack trace. */
function assertOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], /^dashflow-exporter: /);
  assert.match(lines[0], pattern);
}

Deno.test("replay fails on a truncated last record naming its number and offset", async () => {
  await withTempFile("cut.bin", sampleBin.subarray(0, sampleBin.length - 10), async (path) => {
    const { code, stdout, stderr } = await runReplay([path]);
    assert.equal(code, 1);
    assert.equal(stdout.length, 0, "no partial exposition");
    assertOneLineError(
      stderr,
      new RegExp(
        `Cannot replay .*cut\\.bin as size-delimited records: record ${lastRecord.index} at ` +
          `byte offset ${lastRecord.offset}: declares ${lastRecord.value.length} bytes but only ` +
          `${lastRecord.value.length - 10} remain \\(truncated file\\?\\); fix the input, or ` +
          "pass --skip-bad",
      ),
    );
  });
});

Deno.test("replay fails on a corrupt length prefix naming its number and offset", async () => {
  const head = sampleBin.subarray(0, sampleRecords[2].offset);
  const file = concatBytes([head, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]);
  await withTempFile("corrupt.bin", file, async (path) => {
    const { code, stderr } = await runReplay([path]);
    assert.equal(code, 1);
    assertOneLineError(
      stderr,
      new RegExp(`record 3 at byte offset ${head.length}: corrupt length prefix`),
    );
  });
});

Deno.test("replay fails on input ending inside a length prefix", async () => {
  const file = concatBytes([
    sampleBin.subarray(0, sampleRecords[1].offset),
    new Uint8Array([0x80]),
  ]);
  await withTempFile("short.bin", file, async (path) => {
    const { code, stderr } = await runReplay([path]);
    assert.equal(code, 1);
    assertOneLineError(
      stderr,
      new RegExp(`record 2 at byte offset ${sampleRecords[1].offset}: the file ends inside`),
    );
  });
});

// events.jsonl with one line replaced: record 3 starts after the first two lines.
function jsonlWithLine3(line: string): { bytes: Uint8Array; offset: number } {
  const lines = eventsJsonl.split("\n");
  const offset = encoder.encode(lines.slice(0, 2).join("\n") + "\n").length;
  return {
    bytes: encoder.encode([...lines.slice(0, 2), line, ...lines.slice(2)].join("\n")),
    offset,
  };
}

for (
  const [what, line, pattern] of [
    [
      "a JSON line that is neither an envelope nor a DashStreamMessage",
      '{"metrics": {"scope": "quality"}, "colour": "blue"}',
      /line 3 is neither a record envelope \(it has no "value" field\) nor a DashStreamMessage in protobuf's canonical JSON: .*colour/,
    ],
    [
      "a line that is not JSON",
      '{"metrics": {"scope": "quality"',
      /line 3 is not valid JSON/,
    ],
    [
      "an envelope whose value is not base64",
      '{"value": "not base64!", "key": "k"}',
      /line 3 is a record envelope with "value" is not base64/,
    ],
    [
      "an envelope with a bad timestamp",
      '{"value": "AP//", "timestamp": "yesterday"}',
      /line 3 is a record envelope with "timestamp" must be ms since the epoch/,
    ],
    ["a JSON array", "[1, 2]", /line 3 is JSON but not an object \(an array\)/],
  ] as const
) {
  Deno.test(`replay fails on ${what}, naming the record and offset`, async () => {
    const { bytes, offset } = jsonlWithLine3(line);
    await withTempFile("bad.jsonl", bytes, async (path) => {
      const { code, stdout, stderr } = await runReplay([path]);
      assert.equal(code, 1);
      assert.equal(stdout.length, 0);
      assertOneLineError(
        stderr,
        new RegExp(
          `Cannot replay .*bad\\.jsonl as JSON Lines: record 3 at byte offset ${offset}: `,
        ),
      );
      assertOneLineError(stderr, pattern);
    });
  });
}

Deno.test("replay --skip-bad skips bad JSON lines, counts them, and applies the rest", async () => {
  const lines = eventsJsonl.split("\n");
  const withBad = [
    lines[0],
    "this is not json",
    ...lines.slice(1, 5),
    '{"value": 42}',
    ...lines.slice(5),
  ].join("\n");
  await withTempFile("some-bad.jsonl", encoder.encode(withBad), async (path) => {
    const { code, stdout, stderr } = await runReplay([path, "--skip-bad"]);
    assert.equal(code, 0, stderr);
    // Skipped lines leave no trace in the metrics: the output is that of the clean file.
    assert.equal(maskBuildInfo(text(stdout)), await Deno.readTextFile(`${GOLDEN}events.prom`));
    assert.match(stderr, /WARN {2}Skipped bad input: record 2 at byte offset \d+: line 2 is not/);
    assert.match(stderr, /WARN {2}Skipped bad input: record 7 at byte offset \d+: line 7 is a/);
    assert.match(
      stderr,
      /replay: 21 records in .*: 15 applied, 1 ignored, 1 wrong scope, 4 failed \(decode 1, missing payload 1, bad input 2\)\n$/,
    );
  });
});

Deno.test("replay --skip-bad on a truncated file applies the records before the damage", async () => {
  await withTempFile("cut.bin", sampleBin.subarray(0, sampleBin.length - 10), async (path) => {
    const { code, stdout, stderr } = await runReplay([path, "--skip-bad"]);
    assert.equal(code, 0, stderr);
    assert.match(text(stdout), /^dashstream_exporter_messages_received_total 306$/m);
    assert.match(stderr, /Skipped bad input: record 307 at byte offset \d+: declares/);
    assert.match(
      stderr,
      /replay: 307 records in .*: 302 applied, 1 ignored, 1 wrong scope, 3 failed \(decode 2, bad input 1\)\n$/,
    );
  });
});

Deno.test("replay --to-kafka with bad input fails before connecting or producing", async () => {
  await withTempFile("cut.bin", sampleBin.subarray(0, sampleBin.length - 10), async (path) => {
    // Nothing listens on port 1: reaching the broker would fail differently, and slowly.
    const { code, stderr } = await runReplay([
      path,
      "--to-kafka",
      "--topic",
      "never-created",
      "--brokers",
      "127.0.0.1:1",
    ]);
    assert.equal(code, 1);
    assertOneLineError(stderr, /record 307 at byte offset \d+: declares/);
  });
});

Deno.test("replay fails with exit code 1 on a missing file or corrupt gzip", async () => {
  const missing = await runReplay(["/nonexistent/traffic.bin"]);
  assert.equal(missing.code, 1);
  assertOneLineError(missing.stderr, /Cannot read replay input '\/nonexistent\/traffic\.bin': /);

  const gz = await Deno.readFile(`${FIXTURES}sample.bin.gz`);
  await withTempFile("cut.bin.gz", gz.subarray(0, gz.length / 2), async (path) => {
    const { code, stderr } = await runReplay([path]);
    assert.equal(code, 1);
    assertOneLineError(stderr, /starts like gzip \(1F 8B\) but does not decompress/);
  });
});

for (
  const [args, pattern] of [
    [["--serve", "--to-kafka", "--topic", "t"], /--serve and --to-kafka cannot be combined/],
    [["--to-kafka"], /--to-kafka needs --topic T/],
    [["--topic", "t"], /--topic applies to --to-kafka only/],
    [["--port", "9999"], /--port applies to --serve only/],
    [["--rate", "0"], /Invalid --rate '0': expected records per second/],
    [["--rate", "fast"], /Invalid --rate 'fast'/],
    [["--format", "xml"], /Invalid --format 'xml': expected one of auto, delimited, jsonl/],
    [["--max-payload-bytes", "-1"], /Invalid --max-payload-bytes '-1'/],
  ] as const
) {
  Deno.test(`replay ${args.join(" ")} is a usage error (exit 2)`, async () => {
    const { code, stdout, stderr } = await runReplay([`${FIXTURES}events.jsonl`, ...args]);
    assert.equal(code, 2);
    assert.equal(stdout.length, 0);
    assertOneLineError(stderr, pattern);
  });
}

Deno.test("replay without a file is a usage error (exit 2)", async () => {
  const { code, stderr } = await runReplay([]);
  assert.equal(code, 2);
  assert.match(stderr, /missing required argument 'file'/);
});
