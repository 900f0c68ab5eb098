import {
  acceptsGzip,
  createSharedRender,
  negotiateFormat,
  type RenderSource,
} from "../exposition/mod.ts";
import type { Handler } from "../runtime/mod.ts";
import { limitRequests } from "./request_guard.ts";
import { type LandingStatus, renderLandingPage } from "./landing_page.ts";

/** Options for {@linkcode createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /** Readiness for `/-/ready` (e.g. the consumer is a member of its group). */
  ready: () => boolean;
  /** Why not ready, for the 503 of `/-/ready`; a generic reason when absent or undefined. */
  notReadyReason?: () => string | undefined;
  /** Shown on the landing page when `landing` is absent. */
  version: string;
  /** The landing page's status, read on each request to `/`. */
  landing?: () => LandingStatus;
  /** Where the exposition is served (`--web.telemetry-path`); default `/metrics`. */
  telemetryPath?: string;
  /** Requests handled at once, probes excepted (`--web.max-requests`); 0: no limit. Default 40. */
  maxRequests?: number;
}

/**
 * The exporter's HTTP surface: the exposition on the telemetry path (`/metrics`), `/`
 * (landing page), `/-/healthy` and `/-/ready`. The same handler serves every mode that
 * exposes metrics, behind `guardRequests` (methods, sizes) and basic auth, and serves a bounded
 * number of requests at once and per second (`limitRequests`). Overlapping scrapes share one
 * render (`createSharedRender`).
 */
export function createMetricsHandler(
  core: RenderSource,
  options: MetricsHandlerOptions,
): Handler {
  const telemetryPath = options.telemetryPath ?? "/metrics";
  const scrape = createSharedRender(core);
  return limitRequests(async (request) => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case telemetryPath: {
        const { body, contentType, contentEncoding } = await scrape({
          format: negotiateFormat(request.headers.get("accept"), url.searchParams.get("format")),
          gzip: acceptsGzip(request.headers.get("accept-encoding")),
        });
        const headers = new Headers({
          "content-type": contentType,
          vary: "Accept, Accept-Encoding",
        });
        if (contentEncoding) headers.set("content-encoding", contentEncoding);
        return new Response(typeof body === "string" ? body : new Uint8Array(body), { headers });
      }
      case "/":
        return new Response(renderLandingPage(landingStatus(options)), {
          headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
        });
      case "/-/healthy":
        return new Response("Healthy\n", { headers: { "content-type": "text/plain" } });
      case "/-/ready":
        return options.ready()
          ? new Response("Ready\n", { headers: { "content-type": "text/plain" } })
          : new Response(
            `Not ready: ${
              options.notReadyReason?.() ?? "not a member of the consumer group yet"
            }\n`,
            {
              status: 503,
              headers: { "content-type": "text/plain" },
            },
          );
      default:
        return new Response(`not found: ${url.pathname} (try ${telemetryPath})\n`, { status: 404 });
    }
  }, { maxRequests: options.maxRequests });
}

/** The status the landing page shows: the mode's, or build and readiness alone. */
function landingStatus(options: MetricsHandlerOptions): LandingStatus {
  const status = modeStatus(options);
  // The page links to where this handler serves the exposition.
  return { ...status, telemetryPath: options.telemetryPath ?? status.telemetryPath };
}

function modeStatus(options: MetricsHandlerOptions): LandingStatus {
  return options.landing?.() ?? {
    mode: "exporter",
    version: options.version,
    commit: "unknown",
    buildDate: "unknown",
    runtime: "unknown",
    ready: options.ready(),
    nowMs: Date.now(),
  };
}
