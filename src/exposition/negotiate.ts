/**
 * Content negotiation for a scrape: which exposition format the Accept header asks for, and
 * whether Accept-Encoding takes gzip. The delimited protobuf format is served when its entry has
 * the highest q of the entries we can serve (ties go to protobuf: Prometheus lists it first when
 * it wants native histograms). Otherwise any OpenMetrics entry with a q above 0 wins (Prometheus
 * lists it first when it can read it); otherwise the text format is served.
 *
 * @module
 */

/** An exposition format {@link negotiateFormat} can pick. */
export type ExpositionFormat = "text" | "openmetrics" | "protobuf";

interface AcceptEntry {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(header: string | null): AcceptEntry[] {
  if (!header) return [];
  return header.split(",").map((part) => {
    const [type, ...rest] = part.trim().split(";").map((s) => s.trim());
    const params = new Map<string, string>();
    for (const param of rest) {
      const eq = param.indexOf("=");
      if (eq > 0) params.set(param.slice(0, eq).toLowerCase(), param.slice(eq + 1).trim());
    }
    const q = params.has("q") ? Number(params.get("q")) : 1;
    return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q };
  });
}

// True when some comma-separated entry of `header` names a wanted value with a q above 0.
function accepts(header: string | null, wanted: (value: string) => boolean): boolean {
  return parseAccept(header).some((entry) => wanted(entry.type) && entry.q > 0);
}

// The protobuf entry Prometheus sends: MetricFamily messages, length-delimited.
function isDelimitedProtobuf(entry: AcceptEntry): boolean {
  if (entry.type !== "application/vnd.google.protobuf") return false;
  const proto = entry.params.get("proto");
  const encoding = entry.params.get("encoding");
  return (proto === undefined || proto === "io.prometheus.client.MetricFamily") &&
    (encoding === undefined || encoding === "delimited");
}

/**
 * True when the Accept header prefers OpenMetrics, as Prometheus sends it, or when the
 * `format` query parameter asks for it (`openmetrics`; `text` asks for the text format):
 * a link in a browser cannot set Accept.
 */
export function wantsOpenMetrics(accept: string | null, format?: string | null): boolean {
  if (format === "openmetrics") return true;
  if (format === "text") return false;
  return accepts(accept, (type) => type === "application/openmetrics-text");
}

/**
 * The format to serve for an Accept header and an optional `format` query parameter
 * (`text`, `openmetrics` or `protobuf`, which override Accept). Protobuf needs its entry to
 * carry the highest q among protobuf, OpenMetrics, `text/plain` and wildcards; without a
 * protobuf entry the choice is {@link wantsOpenMetrics}'s, unchanged.
 */
export function negotiateFormat(accept: string | null, format?: string | null): ExpositionFormat {
  if (format === "protobuf") return "protobuf";
  if (format !== "text" && format !== "openmetrics") {
    let best = 0;
    let protobuf = 0;
    for (const entry of parseAccept(accept)) {
      if (isDelimitedProtobuf(entry)) protobuf = Math.max(protobuf, entry.q);
      else if (
        entry.type === "application/openmetrics-text" || entry.type === "text/plain" ||
        entry.type === "text/*" || entry.type === "*/*"
      ) best = Math.max(best, entry.q);
    }
    if (protobuf > 0 && protobuf >= best) return "protobuf";
  }
  return wantsOpenMetrics(accept, format) ? "openmetrics" : "text";
}

/** True when the Accept-Encoding header takes gzip (or any coding). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  return accepts(acceptEncoding, (coding) => coding === "gzip" || coding === "*");
}
