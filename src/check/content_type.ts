/**
 * Content negotiation: the Accept header `check` sends, and which grammar a response (by its
 * Content-Type) or a file (by its `# EOF`, or protobuf by its first bytes) is read with.
 *
 * @module
 */

import type { ExpositionFormat } from "./exposition.ts";

/** What `--accept` asks the target for. */
export type AcceptChoice = "prometheus" | "openmetrics" | "protobuf";

/** A body's format as `check` reads it: a text grammar, or delimited protobuf. */
export type BodyFormat = ExpositionFormat | "protobuf";

/**
 * Accept headers per choice. `openmetrics` still takes the text format as a fallback, as
 * Prometheus does, so an exporter without OpenMetrics answers instead of failing with 406.
 */
export const ACCEPT_HEADERS: Readonly<Record<AcceptChoice, string>> = {
  prometheus: "text/plain;version=0.0.4;q=1,*/*;q=0.1",
  openmetrics:
    "application/openmetrics-text;version=1.0.0;q=1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
  protobuf: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" +
    "encoding=delimited;q=1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
};

/** How a response's Content-Type maps to a grammar. */
export type ContentTypeVerdict =
  | { kind: "format"; format: BodyFormat }
  | { kind: "missing" }
  | { kind: "unsupported"; mediaType: string };

/** Reads the media type of a Content-Type header. */
export function formatFromContentType(header: string | null): ContentTypeVerdict {
  if (header === null || header.trim() === "") return { kind: "missing" };
  const mediaType = header.split(";")[0].trim().toLowerCase();
  if (mediaType === "application/openmetrics-text") {
    return { kind: "format", format: "openmetrics" };
  }
  if (mediaType === "text/plain") return { kind: "format", format: "text" };
  if (mediaType === "application/vnd.google.protobuf") {
    return { kind: "format", format: "protobuf" };
  }
  return { kind: "unsupported", mediaType };
}

const EOF_LINE = /(?:^|\n)# EOF(?:\n|$)/;

/**
 * A file's grammar when nothing says: OpenMetrics when a line is `# EOF` (wherever it is, so
 * text after it is reported), else text.
 */
export function sniffFormat(text: string): ExpositionFormat {
  return EOF_LINE.test(text) ? "openmetrics" : "text";
}

/** Display name of a format, e.g. for the report header. */
export function formatLabel(format: BodyFormat): string {
  if (format === "protobuf") return "protobuf (delimited MetricFamily)";
  return format === "text" ? "text 0.0.4" : "OpenMetrics 1.0";
}
