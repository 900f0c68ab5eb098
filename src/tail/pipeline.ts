/**
 * What `tail` does with each record: decode, count, filter, print a line and
 * append the raw value to `--output`, until `--limit` records were shown or
 * stdout is closed (e.g. piped into `head`). Synchronous and Kafka-free, so it
 * is tested without a broker.
 * @module
 */

import { Buffer } from "node:buffer";
import { errorMessage, RunError } from "../errors.ts";
import type { KafkaRecord } from "../kafka/record.ts";
import type { FileSink, Output } from "../runtime/mod.ts";
import { encodeDelimited } from "../wire/record_file.ts";
import { matchesFilters, type TailFilters } from "./filters.ts";
import { TailSummary } from "./summary.ts";
import { decodeTailRecord, type TailRecord } from "./tail_record.ts";

/** Options for {@linkcode TailPipeline}. */
export interface TailPipelineOptions {
  /** Where lines go. */
  stdout: Output;
  /** Renders a record as one line; absent with `--quiet` (no lines). */
  render?: (entry: TailRecord) => string;
  /** `--output`: receives each shown record's exact value, size-delimited. */
  file?: { path: string; sink: FileSink };
  filters?: TailFilters;
  /** `--limit`: stop after this many records were shown. */
  limit?: number;
  /** DASHSTREAM_MAX_PAYLOAD_BYTES. */
  maxPayloadBytes?: number;
  /**
   * `--max-line-bytes`: a record whose line would be longer is decoded and shown by its header
   * only, marked truncated; unlimited when absent.
   */
  maxLineBytes?: number;
}

/** Handles records one at a time and knows when to stop. */
export class TailPipeline {
  /** The counts so far. */
  readonly summary = new TailSummary();
  readonly #options: TailPipelineOptions;
  #stopReason: "limit" | "stdout_closed" | undefined;
  #failure: RunError | undefined;

  constructor(options: TailPipelineOptions) {
    this.#options = options;
    if (options.limit !== undefined && options.limit <= 0) this.#stopReason = "limit";
  }

  /** True once no more records should be handled: limit reached, stdout closed, or a failure. */
  get done(): boolean {
    return this.#stopReason !== undefined || this.#failure !== undefined;
  }

  /** Why the pipeline is done, if it is. */
  get stopReason(): "limit" | "stdout_closed" | "failure" | undefined {
    return this.#failure !== undefined ? "failure" : this.#stopReason;
  }

  /** A failure to report after stopping (the `--output` file could not be written). */
  get failure(): RunError | undefined {
    return this.#failure;
  }

  /** Handles one record; ignored once done. Never throws. */
  handle(record: KafkaRecord): void {
    if (this.done) return;
    const { stdout, render, file, filters, limit } = this.#options;
    const { maxPayloadBytes, maxLineBytes } = this.#options;
    const entry = decodeTailRecord(record, { maxPayloadBytes, maxLineBytes });
    this.summary.count(entry);
    if (filters !== undefined && !matchesFilters(entry, filters)) return;
    // A tombstone has no value to write: the record file cannot represent "no value".
    if (file !== undefined && record.value !== null) {
      try {
        file.sink.write(encodeDelimited(record.value));
      } catch (error) {
        this.#failure = new RunError(
          `Cannot write to --output '${file.path}': ${errorMessage(error)} ` +
            "(check the disk space and permissions)",
        );
        return;
      }
    }
    if (render !== undefined) {
      let line: string;
      try {
        line = render(entry);
        // The estimate missed (long strings full of escapes): cut after all, by the header.
        if (
          maxLineBytes !== undefined && entry.ok && entry.truncated === undefined &&
          line.length > maxLineBytes / 3 && Buffer.byteLength(line) > maxLineBytes
        ) {
          line = render({ ...entry, truncated: { maxLineBytes } });
        }
      } catch (error) {
        // A renderer bug must not stop the tail: say so on the record's line.
        line = `p${record.partition}@${record.offset} cannot render this record: ` +
          errorMessage(error);
      }
      try {
        stdout.write(line + "\n");
      } catch {
        // The reader went away (`tail ... | head`): stop quietly, like kcat.
        this.#stopReason = "stdout_closed";
        return;
      }
    }
    this.summary.shown++;
    if (limit !== undefined && this.summary.shown >= limit) this.#stopReason = "limit";
  }
}
