// `tail --limit` and `--exit-at-end` against the real broker.
import assert from "node:assert/strict";
import { eventMessage } from "./support/sample/mod.ts";
import { sampleQuality } from "./support/tail_records.ts";
import { programCommand } from "./support/spawn.ts";
import { kafkaBrokers, waitFor, withTopic } from "./support/kafka.ts";
import {
  parseLines,
  produceRecords,
  runTail,
  summaryLine,
  tailReady,
  topicToEnd,
  withTail,
} from "./support/tail.ts";

Deno.test("tail --limit N exits after showing N records, even with more to read", async () => {
  await withTopic("tail-limit", async (topic) => {
    await produceRecords(topic, Array.from({ length: 10 }, () => ({ value: sampleQuality() })));
    const result = await runTail(["--topic", topic, "--from", "beginning", "--limit", "3"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseLines(result.lines).map((r) => r.offset), [0, 1, 2]);
    assert.equal(
      summaryLine(result.stderr),
      "tail: 3 records: 3 decoded (quality 3), 0 failed; 3 shown",
    );
  });
});

Deno.test("tail --limit counts shown records only: filtered-out ones do not use it up", async () => {
  await withTopic("tail-limit-filter", async (topic) => {
    await produceRecords(topic, [
      { value: eventMessage() },
      { value: sampleQuality() },
      { value: eventMessage() },
      { value: sampleQuality() },
      { value: sampleQuality() },
    ]);
    const result = await runTail([
      "--topic",
      topic,
      "--from",
      "beginning",
      "--limit",
      "2",
      "--type",
      "quality",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseLines(result.lines).map((r) => r.offset), [1, 3]);
  });
});

Deno.test("tail --limit while following exits once enough new records arrived", async () => {
  await withTopic("tail-limit-follow", async (topic) => {
    await withTail(["--topic", topic, "--limit", "2"], async (child) => {
      await tailReady(child);
      await produceRecords(topic, Array.from({ length: 3 }, () => ({ value: sampleQuality() })));
      assert.equal(await child.exited, 0, child.stderr());
      assert.deepEqual(parseLines(child.lines()).map((r) => r.offset), [0, 1]);
    });
  });
});

Deno.test("tail --exit-at-end on an empty topic exits at once with an empty summary", async () => {
  await withTopic("tail-eae-empty", async (topic) => {
    for (const from of ["beginning", "end"]) {
      const result = await runTail(topicToEnd(topic, from));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(summaryLine(result.stderr), "tail: 0 records: 0 decoded, 0 failed; 0 shown");
    }
  }, { partitions: 3 });
});

Deno.test("tail --exit-at-end skips empty partitions and stops at the end seen at start while the topic grows", async () => {
  await withTopic("tail-eae-stop", async (topic) => {
    await produceRecords(topic, [
      { value: sampleQuality(), partition: 0 },
      { value: sampleQuality(), partition: 0 },
      { value: sampleQuality(), partition: 1 },
    ]);
    // Partition 2 is empty: it must not keep tail waiting.
    const result = await runTail(topicToEnd(topic));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines.length, 3);
    assert.match(result.stderr, /INFO {2}Tailing .* start=0:0,1:0,2:0 end=0:2,1:1,2:0 /);

    // A producer keeps writing while tail reads: it still exits, at the end it saw at start.
    let producing = true;
    const producer = (async () => {
      while (producing) await produceRecords(topic, [{ value: sampleQuality(), partition: 0 }]);
    })();
    try {
      const growing = await runTail(topicToEnd(topic));
      assert.equal(growing.code, 0, growing.stderr);
      const end = Number(/ end=0:(\d+),/.exec(growing.stderr)?.[1]);
      const offsets = parseLines(growing.lines).filter((r) => r.partition === 0).map((r) =>
        r.offset
      );
      assert.deepEqual(offsets, Array.from({ length: end }, (_, i) => i));
    } finally {
      producing = false;
      await producer;
    }
  }, { partitions: 3 });
});

Deno.test("tail without --exit-at-end keeps following after catching up", async () => {
  await withTopic("tail-follow", async (topic) => {
    await produceRecords(topic, [{ value: sampleQuality() }]);
    await withTail(["--topic", topic, "--from", "beginning"], async (child) => {
      await waitFor(() => child.lines().length >= 1, { message: () => child.stderr() });
      await produceRecords(topic, [{ value: sampleQuality() }]);
      await waitFor(() => child.lines().length >= 2, { message: () => child.stderr() });
      child.kill("SIGTERM");
      assert.equal(await child.exited, 0, child.stderr());
    });
  });
});

Deno.test("tail stops quietly with exit 0 when its reader goes away (| head)", async () => {
  await withTopic("tail-epipe", async (topic) => {
    await produceRecords(topic, Array.from({ length: 50 }, () => ({ value: sampleQuality() })));
    const [cmd, ...base] = programCommand();
    const child = new Deno.Command(cmd, {
      args: [...base, "tail", "--topic", topic, "--from", "beginning", "--log-level", "warn"],
      env: { KAFKA_BROKERS: kafkaBrokers().join(",") },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    // Read the first chunk, then close the pipe like `head` does.
    const reader = child.stdout.getReader();
    const first = await reader.read();
    assert.ok(!first.done && first.value.length > 0);
    await reader.cancel();
    // A record after the reader left makes tail write (if the first ones fit the pipe).
    await produceRecords(topic, [{ value: sampleQuality() }]);
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const status = await child.status;
    clearTimeout(timer);
    assert.equal(status.code, 0, await stderr);
    assert.match(await stderr, /^tail: \d+ records: /m);
  });
});
