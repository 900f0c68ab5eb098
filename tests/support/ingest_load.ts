/**
 * Ingestion under load, for the hostile HTTP suite: a producer at a steady rate, and the
 * consumer group's progress read from the broker (its committed offsets), never through the
 * exporter's HTTP server, so a flooded server cannot skew the measurement.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { encodeRecord } from "../../src/wire/mod.ts";
import { MODEL_LABELS } from "../../src/metrics/normalize_model.ts";
import { committedOffsets, kafkaClient } from "./kafka.ts";
import { sampleQuality } from "./tail_records.ts";

/** One tag per label of the model normalization (each maps to itself): every per-model series. */
const MODEL_TAGS = MODEL_LABELS;
const CATEGORIES = ["simple", "Medium", "complex", "unknown"];

/** A producer running in the background; see {@link startSteadyProducer}. */
export interface SteadyProducer {
  /** Records acknowledged so far. */
  sent(): number;
  /** Stops producing; resolves with the number of records acknowledged in all. */
  stop(): Promise<number>;
}

/**
 * Produces quality events to `topic` at `ratePerSecond` (records spread over the partitions,
 * sent every 50 ms in one batch), catching up after a slow send. The events cycle through every
 * model label and category, so the exposition has every series it can have.
 */
export async function startSteadyProducer(
  topic: string,
  options: { ratePerSecond: number },
): Promise<SteadyProducer> {
  const values = MODEL_TAGS.flatMap((model, i) =>
    CATEGORIES.map((category) =>
      Buffer.from(encodeRecord(sampleQuality({ sessionId: `load-${i}`, model, category })))
    )
  );
  const producer = kafkaClient().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let sent = 0;
  let running = true;
  const started = performance.now();
  const loop = (async () => {
    while (running) {
      const due = Math.floor((performance.now() - started) / 1000 * options.ratePerSecond);
      const count = Math.min(due - sent, 2_000);
      if (count > 0) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: count }, (_, i) => ({
            value: values[(sent + i) % values.length],
          })),
        });
        sent += count;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    sent: () => sent,
    async stop() {
      running = false;
      await loop;
      await producer.disconnect();
      return sent;
    },
  };
}

/** Records the group has committed on `topic` (the sum of its committed offsets). */
export async function ingested(groupId: string, topic: string): Promise<number> {
  let total = 0;
  for (const offset of (await committedOffsets(groupId, topic)).values()) {
    total += Math.max(0, offset);
  }
  return total;
}

/** Records per second the group committed over the next `ms` (a measurement window). */
export async function ingestRate(groupId: string, topic: string, ms: number): Promise<number> {
  const before = await ingested(groupId, topic);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await ingested(groupId, topic);
  return (after - before) / ((performance.now() - start) / 1000);
}
