import assert from "node:assert/strict";
import { compareScrapes } from "./compare_scrapes.ts";
import { parseExposition } from "./parse.ts";

const exposition = (lines: string[], format: "text" | "openmetrics" = "text") =>
  parseExposition(lines.join("\n") + "\n", { format }).exposition;

const scrape = (requests: number, bucket: number, start?: number) =>
  exposition([
    "# TYPE requests_total counter",
    `requests_total ${requests}`,
    "# TYPE h histogram",
    `h_bucket{le="+Inf"} ${bucket}`,
    "h_sum 1",
    `h_count ${bucket}`,
    "# TYPE g gauge",
    `g ${-requests}`,
    ...(start === undefined
      ? []
      : ["# TYPE process_start_time_seconds gauge", `process_start_time_seconds ${start}`]),
  ]);

Deno.test("compareScrapes() accepts counters that grow or stay, whatever gauges do", () => {
  assert.deepEqual(compareScrapes(scrape(1, 1, 10), scrape(1, 2, 10), { scrape: 2 }), []);
});

Deno.test("compareScrapes() fails a counter or histogram count that goes down", () => {
  const found = compareScrapes(scrape(5, 3, 10), scrape(4, 2, 10), { scrape: 3 });
  assert.deepEqual(found.map((f) => [f.rule, f.severity, f.line, f.scrape]), [
    ["counter-decreased", "error", 2, 3],
    ["counter-decreased", "error", 4, 3],
    ["counter-decreased", "error", 6, 3],
  ]);
  assert.equal(
    found[0].message,
    "requests_total went down from 5 (scrape 2) to 4: it may only grow " +
      "(process_start_time_seconds did not change, so this is not a restart)",
  );
  assert.match(
    compareScrapes(scrape(5, 3), scrape(4, 3), { scrape: 2 })[0].message,
    /no process_start_time_seconds/,
  );
});

Deno.test("compareScrapes() reports a restart as a notice instead of resets", () => {
  const found = compareScrapes(scrape(5, 3, 10), scrape(0, 0, 20), { scrape: 2 });
  assert.deepEqual(found.map((f) => [f.rule, f.severity]), [["target-restarted", "notice"]]);
  assert.match(found[0].message, /process_start_time_seconds 10 -> 20/);
});

Deno.test("compareScrapes() reads OpenMetrics counters by their _total samples", () => {
  const om = (v: number) =>
    exposition(["# TYPE c counter", `c_total ${v}`, "# EOF"], "openmetrics");
  assert.deepEqual(compareScrapes(om(2), om(1), { scrape: 2 }).map((f) => f.rule), [
    "counter-decreased",
  ]);
});
