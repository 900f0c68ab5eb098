/**
 * The in-process replay loop: every record through `applyRecord()`, the one
 * path from record bytes to metrics, with the event clock advanced first.
 * @module
 */

import type { MetricsCore } from "../metrics/mod.ts";
import { applyRecord, type ApplyRecordOptions } from "../pipeline/apply_record.ts";
import { sleep } from "../util/sleep.ts";
import { type EventClock, eventTimeMs } from "./event_clock.ts";
import { InputCursor } from "./input_cursor.ts";
import type { Pacer } from "./pacer.ts";
import type { Progress } from "./progress.ts";
import type { InputRecord } from "./record.ts";
import { RecordHeader } from "./record_header.ts";
import type { ReplayStats } from "./stats.ts";
import { yieldToEventLoop } from "./yield.ts";

/** Options for {@linkcode applyRecords}. */
export interface ApplyRecordsOptions {
  /** The clock the core was built with; advanced to each record's event time. */
  clock: EventClock;
  /** Counts what happened to each record. */
  stats: ReplayStats;
  /** DASHSTREAM_MAX_PAYLOAD_BYTES. */
  maxPayloadBytes: number;
  /** Stops the loop (between slices) when aborted. */
  signal: AbortSignal;
  /** `--rate`: apply at most this schedule allows. */
  pacer?: Pacer;
  /** Told the records and input offset after each slice. */
  progress?: Progress;
  /** Monotonic ms clock for slicing (default `performance.now`). */
  now?: () => number;
}

// Work runs in slices of about this many ms, then yields so signals, scrapes and the progress
// line get their turn; the clock is read once per CHECK_EVERY records.
const SLICE_MS = 50;
const CHECK_EVERY = 256;

/**
 * Applies `records` to `core` in order. Synchronous within a slice (no
 * promise per record); yields to the event loop between slices. Returns true
 * once every record was applied, false when `signal` aborted first.
 */
export async function applyRecords(
  core: MetricsCore,
  records: Iterator<InputRecord>,
  options: ApplyRecordsOptions,
): Promise<boolean> {
  const { clock, stats, pacer, progress, signal } = options;
  const now = options.now ?? (() => performance.now());
  const header = new RecordHeader();
  const maxPayloadBytes = options.maxPayloadBytes;
  const applyOptions: ApplyRecordOptions = { maxPayloadBytes };
  const input = new InputCursor(records);
  while (!signal.aborted) {
    const sliceEnd = now() + SLICE_MS;
    const limit = pacer === undefined ? Infinity : pacer.due();
    let sinceCheck = 0;
    while (stats.records < limit) {
      const record = input.next();
      if (record === undefined) break;
      header.peek(record.value, maxPayloadBytes);
      clock.advance(eventTimeMs(header, record));
      stats.count(applyRecord(core, header.value, applyOptions));
      if (++sinceCheck === CHECK_EVERY) {
        sinceCheck = 0;
        if (now() >= sliceEnd) break;
      }
    }
    progress?.update(stats.records, input.position);
    if (input.done) return true;
    if (pacer !== undefined && stats.records >= limit) {
      await sleep(pacer.waitMs(stats.records), signal);
    } else {
      await yieldToEventLoop();
    }
  }
  return false;
}
