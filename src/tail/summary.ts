/**
 * The counts `tail` reports on exit, as one line:
 * `tail: 12 records: 10 decoded (quality 8, event 2), 2 failed; 7 shown`.
 * @module
 */

import { MESSAGE_KINDS, type MessageKind } from "./message_kind.ts";
import type { TailRecord } from "./tail_record.ts";
import { counted } from "../util/counted.ts";

/** Counts of records read, decoded, failed, shown, and decoded per kind. */
export class TailSummary {
  /** Records read from Kafka. */
  records = 0;
  /** Records decoded into a message. */
  decoded = 0;
  /** Records that failed to decode. */
  failed = 0;
  /** Records that passed the filters and were printed or written. */
  shown = 0;
  readonly #byKind = new Map<MessageKind, number>();

  /** Counts one record read. */
  count(entry: TailRecord): void {
    this.records++;
    if (entry.ok) {
      this.decoded++;
      this.#byKind.set(entry.kind, (this.#byKind.get(entry.kind) ?? 0) + 1);
    } else {
      this.failed++;
    }
  }

  /** Decoded records of `kind`. */
  decodedOf(kind: MessageKind): number {
    return this.#byKind.get(kind) ?? 0;
  }

  /** The summary line (without the newline). */
  line(): string {
    const kinds = MESSAGE_KINDS.filter((k) => this.decodedOf(k) > 0)
      .map((k) => `${k} ${this.decodedOf(k)}`);
    const perKind = kinds.length > 0 ? ` (${kinds.join(", ")})` : "";
    return `tail: ${counted(this.records, "record")}: ` +
      `${this.decoded} decoded${perKind}, ${this.failed} failed; ${this.shown} shown`;
  }
}
