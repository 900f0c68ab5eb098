// `tail` start positions against the real broker: beginning, end (follow), an
// offset, -N, a timestamp (RFC 3339 and @epoch-ms), and --partition.
import assert from "node:assert/strict";
import { sampleQuality } from "./support/tail_records.ts";
import { waitFor, withTopic } from "./support/kafka.ts";
import {
  parseLines,
  produceRecords,
  runTail,
  summaryLine,
  tailReady,
  type TailTestRecord,
  topicToEnd,
  withTail,
} from "./support/tail.ts";

/** `n` quality events per partition, session `p<partition>-<i>`, with Kafka timestamps. */
function records(partitions: number, n: number, baseMs = 1_767_225_600_000): TailTestRecord[] {
  const out: TailTestRecord[] = [];
  for (let i = 0; i < n; i++) {
    for (let partition = 0; partition < partitions; partition++) {
      const session = `p${partition}-${i}`;
      out.push({
        value: sampleQuality({ sessionId: session }),
        key: session,
        partition,
        timestamp: baseMs + i * 1000,
      });
    }
  }
  return out;
}

/** `[partition, offset]` of each JSON line. */
function coords(lines: string[]): [number, number][] {
  return parseLines(lines).map((r) => [r.partition, r.offset]);
}

Deno.test("tail --from beginning --exit-at-end reads every partition in offset order, then exits", async () => {
  await withTopic("tail-pos-begin", async (topic) => {
    await produceRecords(topic, records(2, 3));
    const result = await runTail(topicToEnd(topic));
    assert.equal(result.code, 0, result.stderr);
    const seen = coords(result.lines);
    for (const partition of [0, 1]) {
      assert.deepEqual(seen.filter(([p]) => p === partition).map(([, o]) => o), [0, 1, 2]);
    }
    assert.equal(seen.length, 6);
    assert.equal(
      summaryLine(result.stderr),
      "tail: 6 records: 6 decoded (quality 6), 0 failed; 6 shown",
    );
  }, { partitions: 2 });
});

Deno.test("tail follows from the end by default: only records produced after it started, until SIGINT", async () => {
  await withTopic("tail-pos-end", async (topic) => {
    await produceRecords(topic, records(1, 2));
    await withTail(["--topic", topic], async (child) => {
      await tailReady(child);
      await produceRecords(topic, [
        { value: sampleQuality({ sessionId: "after-1" }) },
        { value: sampleQuality({ sessionId: "after-2" }) },
      ]);
      await waitFor(() => child.lines().length >= 2, {
        message: () => `2 lines; stdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`,
      });
      child.kill("SIGINT");
      assert.equal(await child.exited, 0, child.stderr());
      const lines = parseLines(child.lines());
      assert.deepEqual(lines.map((r) => r.offset), [2, 3]);
      assert.deepEqual(lines.map((r) => r.message.header.thread_id), ["after-1", "after-2"]);
      const summary = child.stderr().split("\n").filter((l) => l.startsWith("tail: "));
      assert.deepEqual(summary, ["tail: 2 records: 2 decoded (quality 2), 0 failed; 2 shown"]);
    });
  });
});

// Two partitions of 5 and of 4 records: where --from starts reading each.
const FROM_CASES = [
  {
    name: "tail --from OFFSET starts every partition there",
    topic: "tail-pos-offset",
    from: "3",
    n: 5,
    coords: [[0, 3], [0, 4], [1, 3], [1, 4]],
  },
  {
    name: "tail --from -N shows the last N records of each partition",
    topic: "tail-pos-last",
    from: "-2",
    n: 4,
    coords: [[0, 2], [0, 3], [1, 2], [1, 3]],
  },
];

for (const c of FROM_CASES) {
  Deno.test(c.name, async () => {
    await withTopic(c.topic, async (topic) => {
      await produceRecords(topic, records(2, c.n));
      const result = await runTail(topicToEnd(topic, c.from));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(coords(result.lines).toSorted(), c.coords);
    }, { partitions: 2 });
  });
}

Deno.test("tail --from OFFSET past the end warns, starts at the end and hints at @ for timestamps", async () => {
  await withTopic("tail-pos-past", async (topic) => {
    await produceRecords(topic, records(1, 2));
    const result = await runTail(topicToEnd(topic, "1767225600000"));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.lines, []);
    assert.match(
      result.stderr,
      /WARN {2}--from offset 1767225600000 is outside partition 0's offsets 0-2; starting at 2 \(for a timestamp in epoch ms write --from @1767225600000\)/,
    );
  });
});

Deno.test("tail --from a timestamp (RFC 3339 or @epoch-ms) starts at the first record at or after it", async () => {
  await withTopic("tail-pos-time", async (topic) => {
    const base = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    await produceRecords(topic, records(2, 5, base));
    for (
      const from of ["2026-01-01T00:00:02.500Z", `@${base + 2500}`, "2026-01-01T01:00:03+01:00"]
    ) {
      const result = await runTail(topicToEnd(topic, from));
      assert.equal(result.code, 0, result.stderr);
      const lines = parseLines(result.lines);
      assert.deepEqual(
        lines.map((r) => [r.partition, r.offset]).toSorted(),
        [[0, 3], [0, 4], [1, 3], [1, 4]],
        from,
      );
      assert.ok(lines.every((r) => r.timestamp_ms >= base + 2500), from);
    }
    // After the last record: nothing, and it exits at once.
    const late = await runTail([...topicToEnd(topic, "2027-01-01T00:00:00Z")]);
    assert.equal(late.code, 0, late.stderr);
    assert.deepEqual(late.lines, []);
  }, { partitions: 2 });
});

Deno.test("tail --partition reads only the partitions named", async () => {
  await withTopic("tail-pos-partition", async (topic) => {
    await produceRecords(topic, records(3, 2));
    const one = await runTail([...topicToEnd(topic), "--partition", "1"]);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(coords(one.lines), [[1, 0], [1, 1]]);
    const two = await runTail([...topicToEnd(topic, "-1"), "--partition", "0,2"]);
    assert.deepEqual(coords(two.lines).toSorted(), [[0, 1], [2, 1]]);
    const missing = await runTail(["--topic", topic, "--partition", "0,5"]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      new RegExp(`Invalid --partition '5': topic '${topic}' has partitions 0-2`),
    );
  }, { partitions: 3 });
});
