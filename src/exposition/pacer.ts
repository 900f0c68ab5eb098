/**
 * Cooperative pacing for long renders: a huge exposition must not hold the event
 * loop (and with it Kafka consumption) for longer than a slice.
 * @module
 */

/** Called once per produced line; resolves after a macrotask yield when the slice is used up. */
export type Pace = () => Promise<void> | undefined;

/** Options for {@linkcode createPace}. */
export interface PaceOptions {
  /** Longest run of work between yields, in ms (default 5). */
  sliceMs?: number;
  /** Monotonic clock in ms. */
  now: () => number;
  /** When the work began, on that clock (default: read it now). */
  start?: number;
  /** Lets queued I/O run, e.g. `() => new Promise((r) => setTimeout(r, 0))`. */
  yieldToEventLoop: () => Promise<void>;
}

/** How many lines pass between two clock reads: reading the clock per line costs more than a line. */
const CHECK_EVERY = 512;

/** Creates a pace function that yields to the event loop every `sliceMs` of work. */
export function createPace(options: PaceOptions): Pace {
  const sliceMs = options.sliceMs ?? 5;
  let count = 0;
  let sliceStart = options.start ?? options.now();
  return () => {
    if (++count % CHECK_EVERY !== 0) return undefined;
    if (options.now() - sliceStart < sliceMs) return undefined;
    return options.yieldToEventLoop().then(() => {
      sliceStart = options.now();
    });
  };
}

/** Collects `lines` into one string joined by newlines, calling `pace` after each line. */
export async function pacedJoin(lines: Iterable<string>, pace: Pace | undefined): Promise<string> {
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    const wait = pace?.();
    if (wait) await wait;
  }
  return out.join("\n");
}
