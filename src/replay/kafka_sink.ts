/**
 * `--to-kafka`: the input's records produced unchanged to a topic, in
 * batches, at `--rate` or as fast as the broker acknowledges.
 * @module
 */

import type { OutgoingRecord } from "../kafka/producer.ts";
import { sleep } from "../util/sleep.ts";
import { InputCursor } from "./input_cursor.ts";
import type { Pacer } from "./pacer.ts";
import type { Progress } from "./progress.ts";
import type { InputRecord } from "./record.ts";
import { RecordHeader } from "./record_header.ts";
import type { ReplayStats } from "./stats.ts";

/** Where batches go: `RecordProducer` in the program, a fake in tests. */
export interface RecordSender {
  /** Sends one batch and waits for its acknowledgement. */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
}

/** Options for {@linkcode produceRecords}. */
export interface ProduceRecordsOptions {
  /** Target topic. */
  topic: string;
  /** Counts records read and produced. */
  stats: ReplayStats;
  /** Bounds the decompression done to find a record's key. */
  maxPayloadBytes: number;
  /** Stops between batches when aborted. */
  signal: AbortSignal;
  /** `--rate`: no record is sent before the schedule allows it. */
  pacer?: Pacer;
  /** Told the records and input offset after each batch. */
  progress?: Progress;
  /** Most records per request (default 1000). */
  maxBatch?: number;
}

/** Largest batch: one produce request of typical quality events stays well under 1 MB. */
export const DEFAULT_MAX_BATCH = 1000;

/**
 * Produces `records` in order, one batch in flight at a time (so their order
 * in each partition is the input's). Values go out byte for byte. The key is
 * the input's when it has one (JSON Lines envelopes); otherwise it is the
 * header's thread id, as DashFlow producers key their records, or none.
 * Record timestamps are left to the broker, so old records are not deleted
 * at once by the topic's retention. With a pacer, batches are about 1/20 s
 * of records, each sent when its last record is due. Returns true once all
 * were acknowledged, false when `signal` aborted first.
 */
export async function produceRecords(
  sender: RecordSender,
  records: Iterator<InputRecord>,
  options: ProduceRecordsOptions,
): Promise<boolean> {
  const { stats, pacer, progress, signal, topic } = options;
  const maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
  const batchSize = pacer === undefined
    ? maxBatch
    : Math.min(maxBatch, Math.max(1, Math.ceil(pacer.perSecond / 20)));
  const header = new RecordHeader();
  const input = new InputCursor(records);
  while (!input.done) {
    const batch: OutgoingRecord[] = [];
    while (batch.length < batchSize) {
      const record = input.next();
      if (record === undefined) break;
      let key = record.key;
      if (key === undefined) {
        header.peek(record.value, options.maxPayloadBytes);
        key = header.threadId() ?? null;
      }
      batch.push({ key, value: record.value });
      stats.records++;
    }
    if (batch.length === 0) break;
    if (pacer !== undefined) {
      await sleep(pacer.waitMs(stats.produced + batch.length - 1), signal);
    }
    if (signal.aborted) return false;
    await sender.send(topic, batch);
    stats.produced += batch.length;
    progress?.update(stats.produced, input.position);
  }
  return true;
}
