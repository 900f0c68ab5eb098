/**
 * Backlogs for the benchmarks against the real broker: a topic filled once with records
 * and reused by later runs. Used by e2e.ts and envelope.ts.
 * @module
 */
import { Buffer } from "node:buffer";
import { CompressionTypes, type Kafka } from "kafkajs";
import { sampleRecords } from "../../tests/support/sample/mod.ts";

/** kafkajs encodes a plain Uint8Array wrongly (the broker rejects it): give it a Buffer view. */
export function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The typical quality mix: 20,000 distinct records (~30% zstd-framed), repeated. */
export function typicalMix(): (i: number) => Uint8Array {
  const distinct = sampleRecords(20_000, { seed: 42 }).map((r) => r.value);
  return (i) => distinct[i % distinct.length];
}

/** What {@linkcode prefill} fills a topic with. */
export interface PrefillOptions {
  partitions: number;
  count: number;
  /** The value of record `i`. */
  make: (i: number) => Uint8Array;
}

/**
 * Creates `topic` with `partitions` and fills it with `count` values from `make` (uncompressed
 * batches of ~1,000 records, record `i` on partition `i % partitions`), unless it already holds
 * exactly that; a topic that holds anything else is deleted first.
 */
export async function prefill(kafka: Kafka, topic: string, options: PrefillOptions): Promise<void> {
  const { partitions, count, make } = options;
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
      if (total === count && offsets.length === partitions) return;
      await admin.deleteTopics({ topics: [topic] });
    }
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  const started = performance.now();
  const batch = 1_000; // ~0.6 MB per request: under the broker's 1 MB message.max.bytes
  for (let i = 0; i < count; i += batch * 4) {
    const sends = [];
    for (let j = i; j < Math.min(count, i + batch * 4); j += batch) {
      const messages = [];
      for (let k = j; k < Math.min(count, j + batch); k++) {
        messages.push({ key: null, value: buf(make(k)), partition: k % partitions });
      }
      sends.push(producer.send({ topic, acks: 1, compression: CompressionTypes.None, messages }));
    }
    await Promise.all(sends);
  }
  await producer.disconnect();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.error(`prefill: ${count} records into ${topic} in ${seconds} s`);
}
