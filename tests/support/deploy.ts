/**
 * Helpers for the deploy/ tests: paths, the metric names a PromQL expression reads, the series
 * names of the catalog, child processes, a real Prometheus and polling.
 *
 * @module
 */
import { CATALOG, GUARD_METRICS, PARTITION_METRICS } from "../../src/metrics/catalog.ts";
import { waitFor } from "./kafka.ts";
import { BIN, ROOT } from "./paths.ts";
import { freePort, run as runCommand, start, text } from "./spawn.ts";

/** One row of docs/scaling.md's table "The original dashboard's queries over N replicas". */
export interface FleetQuery {
  panel: string;
  /** The original dashboard's query, for one instance (the spec's list, verbatim). */
  one: string;
  /** The same panel over N replicas. */
  fleet: string;
}

const FLEET_QUERIES_HEADING = "### The original dashboard's queries over N replicas";

/** The rows of docs/scaling.md's table of the original dashboard's queries over N replicas. */
export function fleetQueries(): FleetQuery[] {
  const doc = Deno.readTextFileSync(`${ROOT}docs/scaling.md`);
  const section = doc.split(FLEET_QUERIES_HEADING)[1]?.split(/\n#/)[0];
  if (section === undefined) throw new Error(`docs/scaling.md has no "${FLEET_QUERIES_HEADING}"`);
  const rows: FleetQuery[] = [];
  for (const line of section.split("\n")) {
    const match = line.match(/^\| ([^|`]+?) +\| `([^`]+)` +\| `([^`]+)` +\|$/);
    if (match) rows.push({ panel: match[1], one: match[2], fleet: match[3] });
  }
  return rows;
}

/** Options of {@linkcode prometheusTest}. */
export interface PrometheusTestOptions {
  /** Skip the test without KAFKA_BROKERS (it feeds serve from the test broker). */
  kafka?: boolean;
}

/**
 * A test that runs a real Prometheus beside the exporter. The resource sanitizers are off: the
 * Prometheus child and its HTTP clients are cleaned up by the test itself, in its `finally`.
 */
export function prometheusTest(
  name: string,
  fn: () => Promise<void>,
  options: PrometheusTestOptions = {},
): void {
  Deno.test({
    name,
    ignore: options.kafka === true && !Deno.env.get("KAFKA_BROKERS"),
    sanitizeResources: false,
    sanitizeOps: false,
    fn,
  });
}

/** deploy/, with a trailing slash. */
export const DEPLOY = `${ROOT}deploy/`;

/** Series Prometheus adds to every target it scrapes (dashboards and alerts may read them). */
export const SCRAPE_SERIES: readonly string[] = ["up", "scrape_duration_seconds"];

/**
 * Every series name the exporter exposes: histograms as their _bucket, _sum and _count; `serve`'s
 * per-partition series and the input guards' counters included.
 */
export function catalogSeriesNames(): Set<string> {
  const names = new Set<string>();
  const specs = [
    ...CATALOG,
    ...Object.values(PARTITION_METRICS),
    ...Object.values(GUARD_METRICS),
  ];
  for (const spec of specs) {
    if (spec.type === "histogram") {
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(spec.name + suffix);
    } else {
      names.add(spec.name);
    }
  }
  return names;
}

const KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "inf",
  "nan",
]);

/**
 * The metric names an expression reads (PromQL, or a Grafana target with `$variables`): label
 * matchers, range windows, string literals, grouping clauses and function names are not names.
 */
export function metricNames(expr: string): Set<string> {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\[[^\]]*\]/g, "[]")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w.$:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:]|\s*\()/g)) {
    const name = match[0];
    if (!KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return names;
}

/** A child process a test started. */
export interface Child {
  /** Its stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once it exits. */
  exited: Promise<number>;
  /** SIGTERM (SIGKILL after 5 s), then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `cmd args...` with its output collected. Always stop it (try/finally). */
export function spawn(
  cmd: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Child {
  const child = start([cmd, ...args], { env: options.env });
  return {
    output: child.output,
    exited: child.status.then((status) => status.code),
    async stop() {
      await child.stop();
    },
  };
}

/** Runs `cmd args...` to completion: exit code and output. */
export async function run(cmd: string, args: string[], options: { cwd?: string } = {}): Promise<{
  code: number;
  output: string;
}> {
  const result = await runCommand([cmd, ...args], { cwd: options.cwd });
  return { code: result.code, output: text(result.stdout) + text(result.stderr) };
}

/** Options of {@linkcode startPrometheus}. */
export interface PrometheusOptions {
  /** The text of prometheus.yml, written into the directory. */
  config: string;
  /** More flags, e.g. `--enable-feature=native-histograms`. */
  flags?: readonly string[];
}

/**
 * Starts Debian's Prometheus (`.cache/bin/prometheus`) on a free port with `options.config`, its
 * config and data in `dir`; waits until it is ready. Returns its origin and the child, which the
 * caller stops (try/finally).
 */
export async function startPrometheus(
  dir: string,
  options: PrometheusOptions,
): Promise<[string, Child]> {
  const port = freePort();
  const origin = `http://127.0.0.1:${port}`;
  Deno.writeTextFileSync(`${dir}/prometheus.yml`, options.config);
  const prometheus = spawn(`${BIN}prometheus`, [
    `--config.file=${dir}/prometheus.yml`,
    `--storage.tsdb.path=${dir}/data`,
    `--web.listen-address=127.0.0.1:${port}`,
    ...options.flags ?? [],
  ]);
  try {
    await waitFor(async () => (await fetch(`${origin}/-/ready`)).ok, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: () => `prometheus did not get ready:\n${prometheus.output()}`,
    });
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  return [origin, prometheus];
}
