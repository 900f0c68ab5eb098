import { gzipSync } from "node:zlib";
import { acceptsGzip, negotiateFormat, render, type RenderSource } from "../exposition/mod.ts";
import type { Handler } from "../runtime/mod.ts";
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
}

/**
 * The exporter's HTTP surface: the exposition on the telemetry path (`/metrics`), `/`
 * (landing page), `/-/healthy` and `/-/ready`. The same handler serves every mode that
 * exposes metrics.
 */
export function createMetricsHandler(
  core: RenderSource,
  options: MetricsHandlerOptions,
): Handler {
  const telemetryPath = options.telemetryPath ?? "/metrics";
  return async (request) => {
    const url = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    switch (url.pathname) {
      case telemetryPath: {
        const { body, contentType } = await render(core, {
          format: negotiateFormat(request.headers.get("accept"), url.searchParams.get("format")),
        });
        const headers = new Headers({
          "content-type": contentType,
          vary: "Accept, Accept-Encoding",
        });
        if (acceptsGzip(request.headers.get("accept-encoding"))) {
          headers.set("content-encoding", "gzip");
          return new Response(new Uint8Array(gzipSync(body)), { headers });
        }
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
  };
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
