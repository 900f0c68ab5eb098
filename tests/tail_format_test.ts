// `tail` output formats against the real broker: json (the default off a
// terminal), pretty (the default on one, colored unless NO_COLOR), and the raw
// --output record file.
import assert from "node:assert/strict";
import { readDelimited } from "../src/wire/record_file.ts";
import { MESSAGE_KINDS } from "../src/tail/message_kind.ts";
import { otherKindMessages } from "./support/sample/mod.ts";
import { sampleLibrarianMetrics, sampleQuality } from "./support/tail_records.ts";
import { encodeRecord } from "../src/wire/mod.ts";
import { commandWorks, programCommand, run } from "./support/spawn.ts";
import { kafkaBrokers, withTopic } from "./support/kafka.ts";
import {
  parseLines,
  produceRecords,
  runTail,
  type TailTestRecord,
  topicToEnd,
} from "./support/tail.ts";
import { withTempDir } from "./support/temp_dir.ts";

/** One record of every kind, in this order, keyed by the session. */
function everyKind(): TailTestRecord[] {
  return [
    sampleQuality(),
    sampleLibrarianMetrics(),
    ...otherKindMessages(),
  ].map((value) => ({ value, key: "sess-7f3a2c91" }));
}

/** The kinds of everyKind()'s records, in order: every kind but `empty`. */
const KINDS = MESSAGE_KINDS.filter((kind) => kind !== "empty");
/** The JSON `type` is the oneof member: a quality event is a `metrics` message. */
const TYPES = KINDS.map((kind) => kind === "quality" ? "metrics" : kind);

Deno.test("tail writes JSON lines by default when stdout is not a terminal, every type decoded", async () => {
  await withTopic("tail-fmt-json", async (topic) => {
    await produceRecords(topic, everyKind());
    const result = await runTail(topicToEnd(topic));
    assert.equal(result.code, 0, result.stderr);
    const lines = parseLines(result.lines);
    assert.deepEqual(lines.map((r) => r.type), TYPES);
    for (const [i, r] of lines.entries()) {
      assert.equal(r.topic, topic);
      assert.equal(r.partition, 0);
      assert.equal(r.offset, i);
      assert.equal(r.key, "sess-7f3a2c91");
      assert.match(r.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(typeof r.timestamp_ms, "number");
      assert.match(r.message.header.message_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
      assert.match(r.message.header.type, /^MESSAGE_TYPE_/);
      assert.equal(r.message.header.timestamp, "2026-01-01T00:00:00.000000Z");
    }
    assert.equal(lines[0].message.metrics.quality_score.float_value, 0.92);
    assert.equal(lines[2].message.event_type, "EVENT_TYPE_NODE_END");
    assert.equal(lines[5].message.finish_reason, "FINISH_REASON_NONE");
    assert.equal(lines[6].message.arguments.query, "kafka consumer lag prometheus");
    assert.equal(lines[8].message.severity, "SEVERITY_ERROR");
    assert.equal(lines[9].framing, "framed_zstd", "the trace is big enough to be compressed");
    assert.equal(lines[9].message.final_state.sources, 3);
  });
});

Deno.test("tail --format pretty prints one plain line per record off a terminal; --color always colors", async () => {
  await withTopic("tail-fmt-pretty", async (topic) => {
    await produceRecords(topic, everyKind());
    const args = [...topicToEnd(topic), "--format", "pretty"];
    const plain = await runTail(args);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.lines.length, 10);
    assert.ok(!plain.stdout.includes("\x1b["), "no colors when stdout is not a terminal");
    assert.match(
      plain.lines[0],
      /^2026-01-01T00:00:00\.000Z p0@0 quality {9}score=0\.920 passed latency=1234ms model=gpt-4o-mini category=Medium session=sess-7f3a2c91$/,
    );
    const kinds = plain.lines.map((l) => l.split(" ")[2]);
    assert.deepEqual(kinds, KINDS);
    const colored = await runTail([...args, "--color", "always"], { env: { NO_COLOR: "1" } });
    assert.ok(colored.stdout.includes("\x1b[32mpassed\x1b[39m"), colored.stdout);
    // deno-lint-ignore no-control-regex
    assert.equal(colored.stdout.replace(/\x1b\[\d+m/g, ""), plain.stdout);
  });
});

/** Runs `tail ...args` with stdout on a pseudo-terminal (util-linux `script`). */
async function runOnTerminal(args: string[], env: Record<string, string>): Promise<string> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const line = [...programCommand(), "tail", ...args].map(quote).join(" ");
  const inherited = Deno.env.toObject();
  delete inherited.NO_COLOR;
  const output = await run(["script", "-qec", line, "/dev/null"], {
    env: { ...inherited, KAFKA_BROKERS: kafkaBrokers().join(","), ...env },
    clearEnv: true,
  });
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

const hasScript = commandWorks(["script", "--version"]);

Deno.test({
  name: "tail on a terminal defaults to colored pretty lines, and NO_COLOR turns colors off",
  ignore: !hasScript, // needs util-linux `script` for a pseudo-terminal
  fn: async () => {
    await withTopic("tail-fmt-tty", async (topic) => {
      await produceRecords(topic, [{ value: sampleQuality({ passed: false }) }]);
      const args = [
        ...topicToEnd(topic),
        "--log-level",
        "warn",
      ];
      const colored = await runOnTerminal(args, {});
      // deno-lint-ignore no-control-regex
      assert.match(colored, /\x1b\[36mquality {8}\x1b\[39m .*\x1b\[31mFAILED\x1b\[39m/);
      const plain = await runOnTerminal(args, { NO_COLOR: "1" });
      assert.ok(!plain.includes("\x1b["), JSON.stringify(plain));
      assert.match(plain, /p0@0 quality {9}score=0\.920 FAILED latency=1234ms/);
      assert.ok(!plain.includes('"topic"'), "pretty, not json");
    });
  },
});

Deno.test("tail --output writes the exact record values, size-delimited; --quiet prints no lines", async () => {
  await withTopic("tail-fmt-output", async (topic) => {
    const records = everyKind();
    records.push({ value: new Uint8Array([0x00, 0xff, 0xff]) }); // undecodable: written too
    await produceRecords(topic, records);
    await withTempDir("tail-output", async (dir) => {
      const quietFile = `${dir}/quiet.bin`;
      const quiet = await runTail([...topicToEnd(topic), "--output", quietFile, "--quiet"]);
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.equal(quiet.stdout, "");
      const expected = records.map((r) =>
        r.value instanceof Uint8Array ? r.value : encodeRecord(r.value as never)
      );
      const written = [...readDelimited(await Deno.readFile(quietFile))].map((r) => r.value);
      assert.deepEqual(written, expected);
      assert.match(quiet.stderr, /tail: 11 records: 10 decoded .*, 1 failed; 11 shown/);

      // Without --quiet, lines still go to stdout; a filter limits both.
      const loudFile = `${dir}/loud.bin`;
      const loud = await runTail([
        ...topicToEnd(topic),
        "--output",
        loudFile,
        "--type",
        "event,error",
      ]);
      assert.equal(loud.code, 0, loud.stderr);
      assert.deepEqual(
        parseLines(loud.lines).map((r) => r.type ?? "decode error"),
        ["event", "error", "decode error"],
      );
      const loudWritten = [...readDelimited(await Deno.readFile(loudFile))].map((r) => r.value);
      assert.deepEqual(loudWritten, [expected[2], expected[8], expected[10]]);

      const bad = await runTail(["--topic", topic, "--output", `${dir}/no/such/dir/f.bin`]);
      assert.equal(bad.code, 1);
      assert.match(
        bad.stderr,
        /dashflow-exporter: Cannot create --output '.*\/no\/such\/dir\/f\.bin': /,
      );
    });
  });
});
