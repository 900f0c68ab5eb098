/**
 * The progress line on stderr for long replays: records, rate, percent, ETA,
 * redrawn in place with `\r`. Hand-rolled: one line of text needs no
 * dependency, and this one never writes when stderr is not a terminal.
 * @module
 */

import type { Output } from "../runtime/mod.ts";

/** Options for {@linkcode Progress}. */
export interface ProgressOptions {
  /** Draw at all (stderr is a terminal and logs are not quiet). */
  enabled: boolean;
  /** The amount of work (e.g. input bytes) that `done` counts towards. */
  total: number;
  /** Monotonic ms clock (default `performance.now`). */
  now?: () => number;
  /** Nothing is drawn before this many ms, so short replays print no progress (default 1000). */
  delayMs?: number;
  /** Least ms between redraws (default 250). */
  intervalMs?: number;
}

/** A single-line progress display. Cheap to call often: it redraws on a timer. */
export class Progress {
  readonly #out: Output;
  readonly #enabled: boolean;
  readonly #total: number;
  readonly #now: () => number;
  readonly #startMs: number;
  readonly #intervalMs: number;
  #nextDrawMs: number;
  #drawn = false;

  /** Starts timing now. */
  constructor(out: Output, options: ProgressOptions) {
    this.#out = out;
    this.#enabled = options.enabled;
    this.#total = options.total;
    this.#now = options.now ?? (() => performance.now());
    this.#startMs = this.#now();
    this.#intervalMs = options.intervalMs ?? 250;
    this.#nextDrawMs = this.#startMs + (options.delayMs ?? 1000);
  }

  /** Reports `records` handled so far and `done` units of the total. */
  update(records: number, done: number): void {
    if (!this.#enabled) return;
    const now = this.#now();
    if (now < this.#nextDrawMs) return;
    this.#nextDrawMs = now + this.#intervalMs;
    this.#out.write(`\r${progressLine(records, done, this.#total, now - this.#startMs)}\x1b[K`);
    this.#drawn = true;
  }

  /** Erases the line, if one was drawn, so the summary starts on a clean line. */
  finish(): void {
    if (this.#drawn) this.#out.write("\r\x1b[K");
    this.#drawn = false;
  }
}

/** The text of the progress line, e.g. `replay: 120000 records  60000/s  40%  ETA 0:03`. */
export function progressLine(
  records: number,
  done: number,
  total: number,
  elapsedMs: number,
): string {
  const rate = elapsedMs > 0 ? Math.round((records * 1000) / elapsedMs) : 0;
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  let line = `replay: ${records} records  ${rate}/s  ${Math.floor(fraction * 100)}%`;
  if (fraction > 0 && fraction < 1) {
    line += `  ETA ${formatDuration((elapsedMs * (1 - fraction)) / fraction)}`;
  }
  return line;
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
