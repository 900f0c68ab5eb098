/**
 * Content negotiation for a scrape: which exposition format the Accept header asks for, and
 * whether Accept-Encoding takes gzip. Any OpenMetrics entry with a q above 0 wins (Prometheus
 * lists it first when it can read it); otherwise the text format is served.
 *
 * @module
 */

// True when some comma-separated entry of `header` names a wanted value with a q above 0.
function accepts(header: string | null, wanted: (value: string) => boolean): boolean {
  if (!header) return false;
  return header.split(",").some((part) => {
    const [value, ...params] = part.trim().split(";").map((s) => s.trim());
    if (!wanted(value)) return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
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

/** True when the Accept-Encoding header takes gzip (or any coding). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  return accepts(acceptEncoding, (coding) => coding === "gzip" || coding === "*");
}
