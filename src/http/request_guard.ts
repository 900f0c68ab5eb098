/**
 * What a request passes (docs/semantics.md, "Rule: HTTP limits"): before any other work, the
 * method before the URL is parsed and the size of the URL and of the headers; after basic auth,
 * the number of requests in flight and per second. Each refusal is an answer with its status,
 * never a parse error or a closed connection.
 *
 * @module
 */
import type { Handler } from "../runtime/mod.ts";
import { TokenBuckets } from "./token_buckets.ts";

/**
 * Longest request target (path and query) served; longer: 414. Both limits are under the HTTP
 * parser's 16 KiB for the whole head, so the handler sees the request and answers with the right
 * status; beyond that, `guardNodeServer` (src/runtime/node_handler.ts) answers 414 or 431 itself.
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

/** Options for {@linkcode limitRequests}. */
export interface LimitOptions {
  /** Most requests handled at once (probes excepted); 0: no limit. Default 40. */
  maxRequests?: number;
  /** Requests served per second; default {@linkcode MAX_REQUESTS_PER_SECOND}. */
  perSecond?: number;
  /** How long a refusal waits before it is sent; default {@linkcode BUSY_DELAY_MS}. */
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
 * most {@linkcode MAX_URL_BYTES} (414), headers of at most {@linkcode MAX_HEADER_BYTES} (431).
 */
export function guardRequests(handler: Handler): Handler {
  return (request, info) => {
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
    try {
      new URL(request.url);
    } catch {
      return plain(400, `bad request target: ${request.url.slice(0, 100)}`);
    }
    return handler(request, info);
  };
}

/**
 * Wraps `handler` (the exposition and the landing page, after basic auth: a refused guess never
 * takes what the real scraper needs) so it serves at most `maxRequests` at once and
 * {@linkcode MAX_REQUESTS_PER_SECOND} a second after a burst as large, probes excepted; beyond,
 * 503 with `Retry-After: 1`, sent after {@linkcode BUSY_DELAY_MS}: a client that asks again as
 * soon as it is answered (a flood) then asks once a second instead of thousands of times, and
 * what the thread has to spare goes to ingestion; the waiting refusal holds only a timer, no slot.
 */
export function limitRequests(handler: Handler, options: LimitOptions = {}): Handler {
  const maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
  const rate = options.perSecond ?? MAX_REQUESTS_PER_SECOND;
  const perSecond = new TokenBuckets({ ratePerSecond: rate, burst: rate });
  let inFlight = 0;
  return async (request, info) => {
    if (!PROBES.has(new URL(request.url).pathname)) {
      const over = maxRequests > 0 && inFlight >= maxRequests
        ? `${maxRequests} requests at once (--web.max-requests)`
        : !perSecond.take("")
        ? `${rate} requests a second`
        : undefined;
      if (over !== undefined) {
        const delay = options.busyDelayMs ?? BUSY_DELAY_MS;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        return plain(503, `more than ${over}: retry later`, { "retry-after": "1" });
      }
    }
    inFlight++;
    try {
      return await handler(request, info);
    } finally {
      inFlight--;
    }
  };
}
