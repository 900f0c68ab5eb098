/**
 * Fetching an exposition over HTTP(S): Accept header, per-attempt timeout, and `--wait`, which
 * retries connection failures and 5xx/429 answers until a deadline (for CI right after a
 * service starts). Client errors (4xx) fail at once: retrying would not change them.
 *
 * @module
 */

import { sleep } from "../util/sleep.ts";
import { ACCEPT_HEADERS, type AcceptChoice } from "./content_type.ts";
import { formatDuration } from "./duration.ts";

/** Options for {@link scrapeTarget}. */
export interface ScrapeOptions {
  accept: AcceptChoice;
  /** Limit of one attempt, body included. */
  timeoutMs: number;
  /** Keep retrying retryable failures this long (0: one attempt). */
  waitMs: number;
  /** Extra request headers (Authorization, ...). */
  headers?: Readonly<Record<string, string>>;
  /** The fetch to use (the runtime's TLS-aware client). */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Aborts waiting and the request in flight. */
  signal?: AbortSignal;
  /** Wall clock in ms (injected for tests). */
  clock?: () => number;
}

/** A successful scrape. */
export interface Scraped {
  ok: true;
  status: number;
  contentType: string | null;
  body: Uint8Array;
  attempts: number;
}

/** A failed scrape, with the rule it breaks and why. */
export interface ScrapeFailure {
  ok: false;
  rule: "target-unreachable" | "target-http-status";
  message: string;
  attempts: number;
}

type Attempt = (Scraped | ScrapeFailure) & { retryable?: boolean };

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}

async function attempt(url: string, options: ScrapeOptions): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const response = await options.fetch(url, {
      headers: { accept: ACCEPT_HEADERS[options.accept], ...options.headers },
      signal: controller.signal,
      redirect: "follow",
    });
    const body = new Uint8Array(await response.arrayBuffer());
    if (response.status < 200 || response.status > 299) {
      const text = new TextDecoder().decode(body.subarray(0, 200)).trim();
      return {
        ok: false,
        rule: "target-http-status",
        message: `GET ${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd() +
          ` (expected 2xx)` + (text ? `: ${JSON.stringify(text)}` : ""),
        attempts: 1,
        retryable: response.status >= 500 || response.status === 429,
      };
    }
    return {
      ok: true,
      status: response.status,
      contentType: response.headers.get("content-type"),
      body,
      attempts: 1,
    };
  } catch (error) {
    return {
      ok: false,
      rule: "target-unreachable",
      message: timedOut
        ? `GET ${url}: no complete answer within ${formatDuration(options.timeoutMs)} (--timeout)`
        : `GET ${url} failed: ${describe(error)}`,
      attempts: 1,
      retryable: true,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** GETs `url`, retrying as `options.waitMs` allows. Never throws. */
export async function scrapeTarget(
  url: string,
  options: ScrapeOptions,
): Promise<Scraped | ScrapeFailure> {
  const clock = options.clock ?? Date.now;
  const deadline = clock() + options.waitMs;
  let delay = 100;
  for (let attempts = 1;; attempts++) {
    const { retryable, ...result } = await attempt(url, options);
    result.attempts = attempts;
    if (result.ok || !retryable || options.waitMs <= 0 || options.signal?.aborted) return result;
    const left = deadline - clock();
    if (left <= 0) {
      result.message += ` (still failing after ${attempts} attempts over ` +
        `${formatDuration(options.waitMs)}, --wait)`;
      return result;
    }
    await sleep(Math.min(delay, left), options.signal);
    delay = Math.min(delay * 2, 1000);
  }
}
