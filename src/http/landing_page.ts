/**
 * The landing page at `/`: what this exporter is, what it consumes and whether it is healthy,
 * rendered on the server from a status snapshot. One self-contained HTML document: inline CSS,
 * no scripts, no external assets (it works with JavaScript off and without network access);
 * every value from outside is HTML-escaped.
 *
 * @module
 */

/** One assigned partition and its consumer lag. */
export interface LandingPartition {
  partition: number;
  /** Undefined until the first lag check after the assignment. */
  lag?: number;
}

/**
 * What the landing page shows. Build fields are always there; a mode without Kafka
 * (`replay --serve`) leaves the Kafka fields out and the page says so instead of showing blanks.
 */
export interface LandingStatus {
  /** The mode serving the page, e.g. `serve` or `replay`. */
  mode: string;
  version: string;
  commit: string;
  buildDate: string;
  /** e.g. `deno 2.1.4`. */
  runtime: string;
  /** Readiness as `/-/ready` answers it. */
  ready: boolean;
  /** Why it is not ready (shown only when `ready` is false). */
  notReadyReason?: string;
  /** Comma-separated bootstrap brokers. */
  brokers?: string;
  topic?: string;
  group?: string;
  /** Assigned partitions with their lag. */
  partitions?: readonly LandingPartition[];
  /** Records received per second over the last minute. */
  ratePerSecond?: number;
  /** Records failed over the last minute. */
  failuresLastMinute?: number;
  /** The last quality event's time in epoch ms; undefined before the first. */
  lastEventTimeMs?: number;
  /** Where the metrics are served (default `/metrics`). */
  telemetryPath?: string;
  /** Now, in epoch ms (for "… ago"). */
  nowMs: number;
  /** Seconds between automatic reloads (`<meta http-equiv="refresh">`); none when absent. */
  refreshSecs?: number;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f4f6f9}
header{background:#1d2330;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#b9c2d3}
main{padding:20px 32px;display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:18px}
section{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:14px 18px}
h2{font-size:16px;margin:0 0 10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px 4px 0;border-bottom:1px solid #eef1f5;vertical-align:top}
th{font-weight:600;color:#4a5568;white-space:nowrap;width:40%}
td.num,th.num{text-align:right}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600}
.ok{background:#d7f5de;color:#146c2e}
.bad{background:#fde0dc;color:#a4271b}
.muted{color:#6b7588}
.big{font-size:28px;font-weight:600}
ul{margin:0;padding-left:20px}
`;

/** Renders the landing page for `status`. */
export function renderLandingPage(status: LandingStatus): string {
  const e = escapeHtml;
  const metrics = status.telemetryPath ?? "/metrics";
  const refresh = status.refreshSecs === undefined
    ? ""
    : `\n<meta http-equiv="refresh" content="${Math.max(1, Math.round(status.refreshSecs))}">`;
  const readiness = status.ready
    ? `<span class="badge ok" id="readiness">Ready</span>`
    : `<span class="badge bad" id="readiness">Not ready</span> <span id="not-ready-reason">${
      e(status.notReadyReason ?? "no reason given")
    }</span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>DashFlow Exporter ${e(status.version)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>DashFlow Exporter</h1>
<p>Kafka DashStream quality events as Prometheus metrics &middot; <code>${
    e(status.mode)
  }</code> &middot; version <span id="version">${e(status.version)}</span></p>
</header>
<main>
<section>
<h2>Status</h2>
<p>${readiness}</p>
<table>
<tr><th>Records/s (last minute)</th><td class="num big" id="rate">${
    status.ratePerSecond === undefined
      ? `<span class="muted">n/a</span>`
      : formatRate(status.ratePerSecond)
  }</td></tr>
<tr><th>Failures (last minute)</th><td class="num" id="failures">${
    status.failuresLastMinute === undefined
      ? `<span class="muted">n/a</span>`
      : String(status.failuresLastMinute)
  }</td></tr>
<tr><th>Last event</th><td id="last-event">${lastEvent(status)}</td></tr>
</table>
</section>
${kafkaSection(status)}
<section>
<h2>Build</h2>
<table>
<tr><th>Version</th><td><code>${e(status.version)}</code></td></tr>
<tr><th>Commit</th><td><code>${e(status.commit)}</code></td></tr>
<tr><th>Build date</th><td>${e(status.buildDate)}</td></tr>
<tr><th>Runtime</th><td>${e(status.runtime)}</td></tr>
</table>
</section>
<section>
<h2>Endpoints</h2>
<ul>
<li><a href="${e(metrics)}">${e(metrics)}</a> &mdash; Prometheus text format 0.0.4</li>
<li><a href="${e(metrics)}?format=openmetrics">${
    e(metrics)
  }?format=openmetrics</a> &mdash; OpenMetrics 1.0 (what Prometheus asks for with <code>Accept</code>)</li>
<li><a href="/-/healthy">/-/healthy</a> &mdash; liveness</li>
<li><a href="/-/ready">/-/ready</a> &mdash; readiness</li>
</ul>
</section>
</main>
</body>
</html>
`;
}

function kafkaSection(status: LandingStatus): string {
  const e = escapeHtml;
  if (status.topic === undefined) {
    return `<section>
<h2>Kafka</h2>
<p class="muted" id="no-kafka">Not consuming from Kafka: <code>${
      e(status.mode)
    }</code> serves metrics computed from its input.</p>
</section>`;
  }
  const partitions = status.partitions;
  let rows: string;
  if (partitions === undefined || partitions.length === 0) {
    rows = `<tr><td colspan="2" class="muted">no partition assigned</td></tr>`;
  } else {
    const measured = partitions.every((p) => p.lag !== undefined);
    const total = measured ? String(partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0)) : "";
    rows = partitions.map((p) =>
      `<tr class="partition"><td>${p.partition}</td><td class="num">${
        p.lag ?? `<span class="muted">not measured yet</span>`
      }</td></tr>`
    ).join("\n") + `\n<tr><th>Total</th><td class="num" id="total-lag">${total}</td></tr>`;
  }
  return `<section>
<h2>Kafka</h2>
<table>
<tr><th>Brokers</th><td><code id="brokers">${e(status.brokers ?? "")}</code></td></tr>
<tr><th>Topic</th><td><code id="topic">${e(status.topic)}</code></td></tr>
<tr><th>Group</th><td><code id="group">${e(status.group ?? "")}</code></td></tr>
</table>
<h2 style="margin-top:14px">Assigned partitions</h2>
<table id="partitions">
<tr><th>Partition</th><th class="num">Lag</th></tr>
${rows}
</table>
</section>`;
}

function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(rate >= 10 ? 1 : 2);
}

function lastEvent(status: LandingStatus): string {
  const at = status.lastEventTimeMs;
  if (at === undefined || !Number.isFinite(at)) return `<span class="muted">none yet</span>`;
  const ago = Math.max(0, Math.round((status.nowMs - at) / 1000));
  return `<time datetime="${new Date(at).toISOString()}">${
    new Date(at).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")
  }</time> <span class="muted">(${ago} s ago)</span>`;
}
