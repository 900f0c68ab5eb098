/**
 * What a replay did with its records, and the one-line summary it ends with.
 * @module
 */

import type { RecordOutcome } from "../pipeline/apply_record.ts";

/** Counts of a replay's records by what happened to them. */
export class ReplayStats {
  /** Records read from the input, bad input included. */
  records = 0;
  /** Quality events applied to the metrics core. */
  applied = 0;
  /** Decoded messages that are not quality events' carrier (no counter in the core). */
  ignored = 0;
  /** Metrics messages with a scope other than "quality". */
  wrongScope = 0;
  /** Records without a value (tombstones). */
  missingPayload = 0;
  /** Record values that failed to decode. */
  decodeError = 0;
  /** Messages the metrics core failed on. */
  processError = 0;
  /** Unreadable input skipped with `--skip-bad`. */
  badInput = 0;
  /** Records produced to Kafka. */
  produced = 0;

  /** Counts one record applied with outcome `outcome`. */
  count(outcome: RecordOutcome): void {
    this.records++;
    switch (outcome) {
      case "applied":
        this.applied++;
        break;
      case "ignored":
        this.ignored++;
        break;
      case "wrong_scope":
        this.wrongScope++;
        break;
      case "missing_payload":
        this.missingPayload++;
        break;
      case "decode_error":
        this.decodeError++;
        break;
      case "process_error":
        this.processError++;
        break;
    }
  }

  /** Counts one unreadable piece of input that was skipped. */
  countBadInput(): void {
    this.records++;
    this.badInput++;
  }

  /** Records that failed, by reason (only reasons that occurred), and their total. */
  failures(): { total: number; reasons: [string, number][] } {
    const reasons: [string, number][] = [
      ["decode", this.decodeError],
      ["process", this.processError],
      ["missing payload", this.missingPayload],
      ["bad input", this.badInput],
    ];
    const present = reasons.filter(([, n]) => n > 0);
    return { total: present.reduce((sum, [, n]) => sum + n, 0), reasons: present };
  }
}

/** Options for {@linkcode formatSummary}. */
export interface SummaryOptions {
  /** Wall time the replay took, ms. */
  elapsedMs: number;
  /** The topic records were produced to (`--to-kafka`); absent: applied in process. */
  topic?: string;
  /** The replay stopped on SIGINT/SIGTERM before the end of the input. */
  interrupted?: boolean;
}

/**
 * The final line, e.g. `replay: 1000 records in 0.05 s (20000 records/s): 990
 * applied, 4 ignored, 2 wrong scope, 4 failed (decode 3, bad input 1)`.
 */
export function formatSummary(stats: ReplayStats, options: SummaryOptions): string {
  const seconds = options.elapsedMs / 1000;
  const done = options.topic === undefined ? stats.records : stats.produced;
  const rate = seconds > 0 ? Math.round(done / seconds) : done;
  const { total, reasons } = stats.failures();
  const failed = `${total} failed` +
    (reasons.length > 0 ? ` (${reasons.map(([why, n]) => `${why} ${n}`).join(", ")})` : "");
  const stopped = options.interrupted ? " (interrupted before the end of the input)" : "";
  if (options.topic !== undefined) {
    return `replay: ${stats.produced} records produced to ${options.topic} in ` +
      `${seconds.toFixed(2)} s (${rate} records/s), ${failed}${stopped}`;
  }
  return `replay: ${stats.records} records in ${seconds.toFixed(2)} s (${rate} records/s): ` +
    `${stats.applied} applied, ${stats.ignored} ignored, ${stats.wrongScope} wrong scope, ` +
    `${failed}${stopped}`;
}
