/**
 * Scrapes that overlap share one render: ingestion has priority over serving, and a flood of
 * scrapers must not cost one encode each. See docs/semantics.md, "Rule: shared exposition".
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import type { ExpositionFormat } from "./negotiate.ts";
import { render, type RenderSource } from "./render.ts";

/** What one scrape asks for. */
export interface ScrapeRequest {
  /** The negotiated format (text 0.0.4, OpenMetrics 1.0 or delimited protobuf). */
  format: ExpositionFormat;
  /** Gzip the body. */
  gzip: boolean;
}

/** One scrape's answer. */
export interface SharedExposition {
  body: string | Uint8Array;
  contentType: string;
  /** "gzip" when the body is compressed. */
  contentEncoding?: string;
}

/** Options for {@linkcode createSharedRender}. */
export interface SharedRenderOptions {
  /** Longest a finished render is reused, in ms (default 1000). */
  maxReuseMs?: number;
  /** A finished render is reused for this many times its own duration, up to `maxReuseMs`. */
  reuseFactor?: number;
  /** Renders one exposition; default {@linkcode render} of the source (tests replace it). */
  render?: (
    options: { format: ExpositionFormat },
  ) => Promise<{ body: string | Uint8Array; contentType: string }>;
}

interface Entry {
  /** When the render finished (undefined while it runs), on the source's monotonic clock. */
  doneAt?: number;
  /** How long it took, ms. */
  tookMs: number;
  result: Promise<{ body: string | Uint8Array; contentType: string }>;
  gzipped?: Uint8Array;
}

/**
 * Returns a scrape function over `source`: a scrape that arrives while an exposition of the same
 * format is being rendered waits for that render; one that arrives while another scrape is in
 * flight also takes the last finished render when it is younger than 10× its render time (at most
 * 1 s); a scrape alone always gets a fresh render. The gzip of a render is made once.
 */
export function createSharedRender(
  source: RenderSource,
  options: SharedRenderOptions = {},
): (request: ScrapeRequest) => Promise<SharedExposition> {
  const maxReuseMs = options.maxReuseMs ?? 1000;
  const reuseFactor = options.reuseFactor ?? 10;
  const renderOne = options.render ?? ((o: { format: ExpositionFormat }) => render(source, o));
  const now = source.monotonicClock;
  const entries = new Map<ExpositionFormat, Entry>();
  let inFlight = 0;

  const fresh = (format: ExpositionFormat): Entry => {
    const started = now();
    const entry: Entry = {
      tookMs: 0,
      result: renderOne({ format }).then((rendered) => {
        entry.doneAt = now();
        entry.tookMs = entry.doneAt - started;
        return rendered;
      }),
    };
    // A failed render is not shared with later scrapes.
    entry.result.catch(() => entries.get(format) === entry && entries.delete(format));
    entries.set(format, entry);
    return entry;
  };

  return async ({ format, gzip }) => {
    inFlight++;
    try {
      let entry = entries.get(format);
      const shareable = entry !== undefined && (entry.doneAt === undefined ||
        (inFlight > 1 &&
          now() - entry.doneAt < Math.min(maxReuseMs, reuseFactor * entry.tookMs)));
      if (!shareable || entry === undefined) entry = fresh(format);
      const { body, contentType } = await entry.result;
      if (!gzip) return { body, contentType };
      entry.gzipped ??= new Uint8Array(gzipSync(body));
      return { body: entry.gzipped, contentType, contentEncoding: "gzip" };
    } finally {
      inFlight--;
    }
  };
}
