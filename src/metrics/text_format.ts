/**
 * The Prometheus text format 0.0.4, written line by line so a render can be
 * paced (see pacer.ts). Byte-for-byte what prom-client 15's `Registry.metrics()`
 * writes for a registry without default labels (text_format_test.ts compares
 * the two), so the exposition is unchanged.
 * @module
 */
import type { Registry } from "prom-client";
import { type Pace, pacedJoin } from "./pacer.ts";

interface Sample {
  value: number;
  labels?: Record<string, string | number>;
  metricName?: string;
  sharedLabels?: Record<string, string | number>;
}

interface Family {
  name: string;
  help: string;
  type: string;
  values?: Sample[];
}

interface RegisteredMetric {
  get(): Promise<Family> | Family;
  getForPromString?(): Promise<Family> | Family;
}

function escapeString(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Escapes a label value (backslash, newline, double quote), as both exposition formats want. */
export function escapeLabelText(text: string): string {
  return escapeString(text).replace(/"/g, '\\"');
}

// prom-client writes a numeric label value (e.g. a histogram's `le`) as is.
function escapeLabelValue(value: string | number): string | number {
  return typeof value === "string" ? escapeLabelText(value) : value;
}

function formatLabels(
  labels: Record<string, string | number>,
  exclude?: Record<string, string | number>,
): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (!exclude || !Object.hasOwn(exclude, name)) out.push(`${name}="${escapeLabelValue(value)}"`);
  }
  return out;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "Nan";
  if (!Number.isFinite(value)) return value < 0 ? "-Inf" : "+Inf";
  return `${value}`;
}

function* familyLines(family: Family): Generator<string> {
  const name = escapeString(family.name);
  yield `# HELP ${name} ${escapeString(family.help)}`;
  yield `# TYPE ${name} ${family.type}`;
  for (const sample of family.values ?? []) {
    const labels = sample.labels ?? {};
    const shared = sample.sharedLabels ?? {};
    const parts = [...formatLabels(labels, shared), formatLabels(shared).join(",")].filter(
      Boolean,
    );
    const labelText = parts.length > 0 ? `{${parts.join(",")}}` : "";
    yield `${sample.metricName ?? name}${labelText} ${formatValue(sample.value)}`;
  }
}

/**
 * Renders every metric of `registry` in the text format, calling `pace` per line
 * so a large exposition yields to the event loop between slices.
 */
export async function renderText(registry: Registry, pace?: Pace): Promise<string> {
  const families: string[] = [];
  for (const metric of registry.getMetricsAsArray() as unknown as RegisteredMetric[]) {
    const family = metric.getForPromString ? await metric.getForPromString() : await metric.get();
    families.push(await pacedJoin(familyLines(family), pace));
  }
  return `${families.join("\n\n")}\n`;
}
