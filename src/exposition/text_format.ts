/**
 * The Prometheus text format 0.0.4, written line by line so a render can be
 * paced (see pacer.ts). Byte-for-byte what prom-client 15's `Registry.metrics()`
 * writes for a registry without default labels (text_format_test.ts compares
 * the two), so the exposition is unchanged.
 * @module
 */
import { type Pace, pacedJoin } from "./pacer.ts";
import { readSnapshot, type Registry } from "./prom_registry.ts";
import type { Snapshot, SnapshotFamily } from "./snapshot.ts";

/** Content type of the Prometheus text format 0.0.4 served by default. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function escapeString(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Escapes a label value (backslash, newline, double quote), as both exposition formats want. */
export function escapeLabelText(text: string): string {
  return escapeString(text).replace(/"/g, '\\"');
}

// prom-client writes a numeric label value (e.g. a histogram's `le`) as is.
function formatLabels(labels: Readonly<Record<string, string | number>>): string {
  const out: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    out.push(`${name}="${typeof value === "string" ? escapeLabelText(value) : value}"`);
  }
  return out.length > 0 ? `{${out.join(",")}}` : "";
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "Nan";
  if (!Number.isFinite(value)) return value < 0 ? "-Inf" : "+Inf";
  return `${value}`;
}

function* familyLines(family: SnapshotFamily): Generator<string> {
  const name = escapeString(family.name);
  yield `# HELP ${name} ${escapeString(family.help)}`;
  yield `# TYPE ${name} ${family.type}`;
  for (const sample of family.values) {
    yield `${sample.metricName ?? name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`;
  }
}

/**
 * Encodes a snapshot in the text format, calling `pace` per line so a large
 * exposition yields to the event loop between slices.
 */
export async function encodeText(snapshot: Snapshot, pace?: Pace): Promise<string> {
  const families: string[] = [];
  for (const family of snapshot) families.push(await pacedJoin(familyLines(family), pace));
  return `${families.join("\n\n")}\n`;
}

/** Reads `registry` and encodes it with {@link encodeText}. */
export async function renderText(registry: Registry, pace?: Pace): Promise<string> {
  return encodeText(await readSnapshot(registry), pace);
}
