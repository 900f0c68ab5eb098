/**
 * A scrape flood, run as its own process (so its CPU does not starve the test's producer):
 * `deno run -A tests/support/scrape_load.ts '<json>'` with {@link ScrapeLoadSpec}. Each client
 * loops GET requests on one keep-alive connection for `seconds`, without pause. At the end it
 * prints one JSON line, {@link ScrapeLoadResult}. {@link startScrapeLoad} spawns it.
 *
 * @module
 */
import { start, type Started } from "./spawn.ts";

/** What the flood does. */
export interface ScrapeLoadSpec {
  /** The URL every client requests. */
  url: string;
  /** Concurrent clients, each on its own connection. */
  clients: number;
  /** How long the flood lasts. */
  seconds: number;
  /**
   * `Authorization` per request: "unknown-user" sends basic auth of a new unknown user on each
   * request (each one a password check the server has never seen); a string is sent as is.
   */
  authorization?: string;
}

/** What the flood saw. */
export interface ScrapeLoadResult {
  requests: number;
  /** Responses by status code, "error" for a request that failed without one. */
  statuses: Record<string, number>;
}

async function client(spec: ScrapeLoadSpec, deadline: number, result: ScrapeLoadResult) {
  // One HTTP client each: a connection of its own, kept alive across requests.
  const http = Deno.createHttpClient({ poolMaxIdlePerHost: 1 });
  try {
    while (performance.now() < deadline) {
      const headers: Record<string, string> = {};
      if (spec.authorization === "unknown-user") {
        headers.authorization = `Basic ${btoa(`intruder-${crypto.randomUUID()}:guess`)}`;
      } else if (spec.authorization) headers.authorization = spec.authorization;
      let status: string;
      try {
        const response = await fetch(spec.url, { headers, client: http });
        await response.arrayBuffer();
        status = String(response.status);
      } catch {
        status = "error";
      }
      result.requests++;
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    }
  } finally {
    http.close();
  }
}

/** Spawns the flood in its own Deno process; its stdout ends with the result line. */
export function startScrapeLoad(spec: ScrapeLoadSpec): Started {
  return start([Deno.execPath(), "run", "-A", import.meta.filename!, JSON.stringify(spec)]);
}

/** The result line a finished flood printed. */
export function scrapeLoadResult(flood: Started): ScrapeLoadResult {
  const lines = flood.stdout().trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

if (import.meta.main) {
  const spec: ScrapeLoadSpec = JSON.parse(Deno.args[0]);
  const result: ScrapeLoadResult = { requests: 0, statuses: {} };
  const deadline = performance.now() + spec.seconds * 1000;
  await Promise.all(Array.from({ length: spec.clients }, () => client(spec, deadline, result)));
  console.log(JSON.stringify(result));
}
