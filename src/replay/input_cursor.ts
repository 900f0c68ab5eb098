/**
 * A replay input taken one record at a time, as both sinks (in-process apply and `--to-kafka`)
 * take it: with what their progress line reports, the end of the input and the input offset
 * reached.
 * @module
 */

import type { InputRecord } from "./record.ts";

/** Pulls the records of a replay input in order. */
export class InputCursor {
  /** True once the input has no more records. */
  done = false;
  /** Input offset of the last record taken (0 before the first). */
  position = 0;
  readonly #records: Iterator<InputRecord>;

  /** A cursor at the start of `records`. */
  constructor(records: Iterator<InputRecord>) {
    this.#records = records;
  }

  /** The next record; undefined, and `done`, at the end of the input. */
  next(): InputRecord | undefined {
    const next = this.#records.next();
    if (next.done) {
      this.done = true;
      return undefined;
    }
    this.position = next.value.offset;
    return next.value;
  }
}
