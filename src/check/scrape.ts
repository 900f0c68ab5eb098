/**
 * Fetching an exposition over HTTP(S): Accept header, per-attempt timeout, and `--wait`, which
 * retries connection failures and 5xx/429 answers until a deadline (for CI right after a
 * service starts). Client errors (4xx) fail at once: retrying would not change them.
 *
 * @module
 */

import { formatByteSize } from "../config/byte_size.ts";
import { RunError } from "../errors.ts";
import { InputLimitError, readAll } from "../util/read_all.ts";
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
  /** The most a body may hold after decompression (`--max-bytes`); default unlimited. */
  maxBytes?: number;
}

/** Redirects followed before giving up, as browsers and curl (`--max-redirs` 50) do, but fewer. */
export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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
    // Redirects are followed here, not by fetch, so a loop gets our message (Bun's advises
    // `verbose: true`) and the same limit holds on every runtime.
    let current = url;
    let response: Response;
    for (let hops = 0;; hops++) {
      response = await options.fetch(current, {
        headers: { accept: ACCEPT_HEADERS[options.accept], ...headersFor(current, url, options) },
        signal: controller.signal,
        redirect: "manual",
      });
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null) break;
      await response.body?.cancel().catch(() => {});
      const next = new URL(location, current).href;
      if (hops + 1 > MAX_REDIRECTS) {
        return {
          ok: false,
          rule: "target-unreachable",
          message: `GET ${url}: more than ${MAX_REDIRECTS} redirects (the last from ${current} ` +
            `to ${next}); check the target for a redirect loop, or give the final URL`,
          attempts: 1,
          retryable: false,
        };
      }
      current = next;
    }
    const body = await readBody(response, url, options);
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
    if (error instanceof RunError) throw error;
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

/**
 * The request headers for `current`: all of them on `url`'s origin, none of the credentials
 * (Authorization) after a redirect to another origin, as fetch would do.
 */
function headersFor(current: string, url: string, options: ScrapeOptions): Record<string, string> {
  const headers = { ...options.headers };
  if (new URL(current).origin !== new URL(url).origin) {
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === "authorization") delete headers[name];
    }
  }
  return headers;
}

/** The body, decompressed, up to `options.maxBytes`; over it a {@linkcode RunError}. */
async function readBody(response: Response, url: string, options: ScrapeOptions) {
  if (response.body === null) return new Uint8Array(0);
  try {
    return await readAll(response.body, { maxBytes: options.maxBytes });
  } catch (error) {
    if (!(error instanceof InputLimitError)) throw error;
    throw new RunError(
      `GET ${url}: the body holds more than ${formatByteSize(error.maxBytes)} after ` +
        "decompression (--max-bytes); raise --max-bytes if the exposition is really that large",
    );
  }
}

/**
 * GETs `url`, retrying as `options.waitMs` allows. Never throws, but for a body over
 * `options.maxBytes` ({@linkcode RunError}).
 */
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
