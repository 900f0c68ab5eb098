import assert from "node:assert/strict";
import type { OutgoingRecord } from "../kafka/producer.ts";
import { qualityMessage } from "../../tests/support/sample/mod.ts";
import { encodeRecord } from "../wire/encode.ts";
import { produceRecords, type RecordSender } from "./kafka_sink.ts";
import { Pacer } from "./pacer.ts";
import type { InputRecord } from "./record.ts";
import { ReplayStats } from "./stats.ts";

function fakeSender(): RecordSender & { batches: OutgoingRecord[][] } {
  const batches: OutgoingRecord[][] = [];
  return {
    batches,
    send: (topic, records) => {
      assert.equal(topic, "t");
      batches.push(records);
      return Promise.resolve();
    },
  };
}

const options = () => ({
  topic: "t",
  stats: new ReplayStats(),
  maxPayloadBytes: 1 << 20,
  signal: new AbortController().signal,
});

Deno.test("produceRecords() sends values unchanged; keys from the input, else thread_id", async () => {
  const keyed = encodeRecord(qualityMessage({ sessionId: "from-header" }));
  const unkeyed = encodeRecord(qualityMessage({ sessionId: "s-9" }));
  const headerless = encodeRecord(qualityMessage({ header: null }));
  const records: InputRecord[] = [
    { index: 1, offset: 0, value: keyed, key: "from-envelope" },
    { index: 2, offset: 10, value: keyed, key: null },
    { index: 3, offset: 20, value: unkeyed },
    { index: 4, offset: 30, value: headerless },
    { index: 5, offset: 40, value: null, key: "tombstone" },
  ];
  const sender = fakeSender();
  const opts = options();
  assert.equal(await produceRecords(sender, records.values(), opts), true);
  assert.deepEqual(sender.batches.flat(), [
    { key: "from-envelope", value: keyed },
    { key: null, value: keyed },
    { key: "s-9", value: unkeyed },
    { key: null, value: headerless },
    { key: "tombstone", value: null },
  ]);
  assert.equal(sender.batches[0][0].value, keyed, "the very bytes, not a copy");
  assert.equal(opts.stats.produced, 5);
});

Deno.test("produceRecords() batches up to maxBatch, or 1/20 s of records when paced", async () => {
  const records = (n: number) =>
    Array.from({ length: n }, (_, i): InputRecord => ({ index: i + 1, offset: i, value: null }));
  const sender = fakeSender();
  await produceRecords(sender, records(25).values(), { ...options(), maxBatch: 10 });
  assert.deepEqual(sender.batches.map((b) => b.length), [10, 10, 5]);

  const paced = fakeSender();
  const started = performance.now();
  await produceRecords(paced, records(12).values(), { ...options(), pacer: new Pacer(100) });
  assert.deepEqual(paced.batches.map((b) => b.length), [5, 5, 2]);
  // Record 12 is due 110 ms after the first.
  assert.ok(performance.now() - started >= 100);
});

Deno.test("produceRecords() stops between batches when aborted", async () => {
  const controller = new AbortController();
  const sender: RecordSender = {
    send: () => {
      controller.abort();
      return Promise.resolve();
    },
  };
  const records = Array.from({ length: 30 }, (_, i): InputRecord => ({
    index: i + 1,
    offset: i,
    value: null,
  }));
  const opts = { ...options(), signal: controller.signal, maxBatch: 10 };
  assert.equal(await produceRecords(sender, records.values(), opts), false);
  assert.equal(opts.stats.produced, 10);
});
