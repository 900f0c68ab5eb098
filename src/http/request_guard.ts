/**
 * What every request passes before any other work (docs/semantics.md, "Rule: HTTP limits"): the
 * method before the URL is parsed, the size of the URL and of the headers, and the number of
 * requests in flight. Each refusal is an answer at once, never a parse error or a closed
 * connection.
 *
 * @module
 */
import type { Handler } from "../runtime/mod.ts";
import { TokenBuckets } from "./token_buckets.ts";

/**
 * Longest request target (path and query) served; longer: 414. Both limits are under the
 * runtimes' own parser limits (Bun: 16 KiB for the whole head), so the handler sees the request
 * and answers with the right status; beyond those, the runtime answers itself (Bun 431, Deno 400).
 */
export const MAX_URL_BYTES = 8 * 1024;
/** Most header bytes (names and values, 4 bytes of framing each) served; more: 431. */
export const MAX_HEADER_BYTES = 8 * 1024;
/** Default of `--web.max-requests`, as node_exporter's. */
export const DEFAULT_MAX_REQUESTS = 40;

/** Paths answered even over the in-flight limit: probes are cheap and must not fail under load. */
const PROBES = new Set(["/-/healthy", "/-/ready"]);

/**
 * Requests served per second (probes excepted), after a burst as large: Prometheus scrapes a few
 * times a second at most; a flood beyond is refused like one over the in-flight limit.
 */
export const MAX_REQUESTS_PER_SECOND = 100;

/** How long a request over the in-flight limit waits for its 503: see {@linkcode guardRequests}. */
export const BUSY_DELAY_MS = 1_000;

/** Options for {@linkcode guardRequests}. */
export interface GuardOptions {
  /** Most requests handled at once (probes excepted); 0: no limit. */
  maxRequests: number;
  /** How long a refused request waits for its 503; default {@linkcode BUSY_DELAY_MS}. */
  busyDelayMs?: number;
}

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** The length of the path and query of an absolute URL (the runtime adds scheme and host). */
function targetLength(url: string): number {
  const path = url.indexOf("/", url.indexOf("//") + 2);
  return path < 0 ? 0 : url.length - path;
}

/**
 * Wraps `handler`: only GET and HEAD (405 before the URL is even read), a request target of at
 * most {@linkcode MAX_URL_BYTES} (414), headers of at most {@linkcode MAX_HEADER_BYTES} (431),
 * and at most `maxRequests` in flight (503 with `Retry-After: 1` beyond, except the probes).
 * The 503 is sent after {@linkcode BUSY_DELAY_MS}: a client that asks again as soon as it is
 * answered (a flood) then asks once a second instead of thousands of times, and what the
 * thread has to spare goes to ingestion. A waiting refusal holds only a timer, no slot.
 */
export function guardRequests(handler: Handler, options: GuardOptions): Handler {
  let inFlight = 0;
  return async (request, info) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return plain(405, "method not allowed", { allow: "GET, HEAD" });
    }
    if (targetLength(request.url) > MAX_URL_BYTES) {
      return plain(414, `URI too long: the limit is ${MAX_URL_BYTES} bytes`);
    }
    let headerBytes = 0;
    request.headers.forEach((value, name) => (headerBytes += name.length + value.length + 4));
    if (headerBytes > MAX_HEADER_BYTES) {
      return plain(431, `request headers too large: the limit is ${MAX_HEADER_BYTES} bytes`);
    }
    let path: string;
    try {
      path = new URL(request.url).pathname;
    } catch {
      return plain(400, `bad request target: ${request.url.slice(0, 100)}`);
    }
    if (options.maxRequests > 0 && inFlight >= options.maxRequests && !PROBES.has(path)) {
      const delay = options.busyDelayMs ?? BUSY_DELAY_MS;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return plain(
        503,
        `too many requests in flight (${options.maxRequests}, --web.max-requests): retry later`,
        { "retry-after": "1" },
      );
    }
    inFlight++;
    try {
      return await handler(request, info);
    } finally {
      inFlight--;
    }
  };
}

/** Options for {@linkcode limitRequestRate}. */
export interface RateOptions {
  /** Requests served per second; default {@linkcode MAX_REQUESTS_PER_SECOND}. */
  perSecond?: number;
}

/**
 * Wraps `handler` (the exposition and the landing page, after basic auth: a refused guess never
 * uses up what the real scraper needs) so it serves at most {@linkcode MAX_REQUESTS_PER_SECOND}
 * requests a second after a burst as large, probes excepted; beyond, 503 with `Retry-After: 1`
 * at once (it holds nothing, while a served scrape costs an exposition's bytes).
 */
export function limitRequestRate(handler: Handler, options: RateOptions = {}): Handler {
  const rate = options.perSecond ?? MAX_REQUESTS_PER_SECOND;
  const perSecond = new TokenBuckets({ ratePerSecond: rate, burst: rate });
  return (request, info) => {
    if (perSecond.take("") || PROBES.has(new URL(request.url).pathname)) {
      return handler(request, info);
    }
    return plain(503, `more than ${rate} requests a second: retry later`, { "retry-after": "1" });
  };
}
