import { gzipSync } from "node:zlib";
import { acceptsGzip, render, type RenderSource, wantsOpenMetrics } from "../exposition/mod.ts";
import type { Handler } from "../runtime/mod.ts";

/** Options for {@linkcode createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /** Readiness for `/-/ready` (e.g. the consumer joined its group and holds partitions). */
  ready: () => boolean;
  /** Shown on the landing page. */
  version: string;
  /** Where the exposition is served (`--web.telemetry-path`); default `/metrics`. */
  telemetryPath?: string;
}

const LANDING = (version: string) =>
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>DashFlow Exporter</title></head>
<body>
<h1>DashFlow Exporter</h1>
<p>Kafka DashStream quality events as Prometheus metrics. Version ${version}.</p>
<ul>
<li><a href="/metrics">/metrics</a> (Prometheus text 0.0.4; OpenMetrics when asked for)</li>
<li><a href="/-/healthy">/-/healthy</a></li>
<li><a href="/-/ready">/-/ready</a></li>
</ul>
</body>
</html>
`;

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
          openMetrics: wantsOpenMetrics(request.headers.get("accept")),
        });
        const headers = new Headers({
          "content-type": contentType,
          vary: "Accept, Accept-Encoding",
        });
        if (acceptsGzip(request.headers.get("accept-encoding"))) {
          headers.set("content-encoding", "gzip");
          return new Response(new Uint8Array(gzipSync(body)), { headers });
        }
        return new Response(body, { headers });
      }
      case "/":
        return new Response(LANDING(options.version), {
          headers: { "content-type": "text/html; charset=utf-8" },
        });
      case "/-/healthy":
        return new Response("Healthy\n", { headers: { "content-type": "text/plain" } });
      case "/-/ready":
        return options.ready()
          ? new Response("Ready\n", { headers: { "content-type": "text/plain" } })
          : new Response("Not ready: waiting for a partition assignment\n", {
            status: 503,
            headers: { "content-type": "text/plain" },
          });
      default:
        return new Response(`not found: ${url.pathname} (try ${telemetryPath})\n`, { status: 404 });
    }
  };
}
