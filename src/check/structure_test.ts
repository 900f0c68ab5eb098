import assert from "node:assert/strict";
import type { ExpositionFormat } from "./exposition.ts";
import { parseExposition } from "./parse.ts";
import { checkStructure } from "./structure.ts";

function structure(lines: string[], format: ExpositionFormat = "text"): string[] {
  const text = lines.join("\n") + "\n";
  const { exposition, findings } = parseExposition(text, { format });
  assert.deepEqual(findings, [], "the input should parse");
  return checkStructure(exposition).map((f) => `${f.rule}@${f.line}`);
}

const H = ["# HELP h Latency.", "# TYPE h histogram"];

Deno.test("checkStructure() accepts well-formed histograms, summaries and counters", () => {
  assert.deepEqual(
    structure([
      ...H,
      'h_bucket{a="1",le="0.5"} 1',
      'h_bucket{a="1",le="1"} 2',
      'h_bucket{a="1",le="+Inf"} 2',
      'h_sum{a="1"} 1.2',
      'h_count{a="1"} 2',
      "# TYPE s summary",
      's{quantile="0"} NaN',
      's{quantile="1"} NaN',
      "s_sum 0",
      "s_count 0",
      "# TYPE c_total counter",
      "c_total 0",
      "# TYPE g gauge",
      "g -5",
    ]),
    [],
  );
});

Deno.test("checkStructure() finds each histogram defect at its line", () => {
  assert.deepEqual(
    structure([...H, 'h_bucket{le="2"} 5', 'h_bucket{le="1"} 4', "h_sum 1", "h_count 5"]),
    ["histogram-le-order@4", "histogram-inf-missing@4"],
  );
  assert.deepEqual(
    structure([...H, 'h_bucket{le="1"} 5', 'h_bucket{le="+Inf"} 4', "h_sum 1", "h_count 4"]),
    ["histogram-not-cumulative@4"],
  );
  assert.deepEqual(
    structure([...H, 'h_bucket{le="+Inf"} 4', "h_sum 1", "h_count 5"]),
    ["histogram-count-mismatch@5"],
  );
  assert.deepEqual(structure([...H, 'h_bucket{le="+Inf"} 4']), [
    "histogram-sum-count@3",
    "histogram-sum-count@3",
  ]);
  assert.deepEqual(
    structure([...H, "h_bucket 4", 'h_bucket{le="+Inf"} 4', "h_sum 1", "h_count 4"]),
    [
      "histogram-le@3",
    ],
  );
  assert.deepEqual(structure([...H, "h_sum 1", "h_count 0"]), ["histogram-inf-missing@3"]);
  assert.deepEqual(
    structure([...H, 'h_bucket{le="+Inf"} -1', "h_sum 1", "h_count -1"]),
    ["negative-count@3", "negative-count@5"],
  );
});

Deno.test("checkStructure() checks summaries, counters and duplicates", () => {
  assert.deepEqual(structure(["# TYPE s summary", 's{quantile="2"} 1', "s_sum 1", "s_count 1"]), [
    "summary-quantile@2",
  ]);
  assert.deepEqual(structure(["# TYPE s summary", "s 1", "s_sum 1"]), [
    "summary-quantile@2",
    "summary-sum-count@3",
  ]);
  assert.deepEqual(structure(["# TYPE c counter", "c -1", 'c{a="1"} NaN']), [
    "counter-negative@2",
    "counter-negative@3",
  ]);
  assert.deepEqual(structure(['g{a="1",b="2"} 1', 'g{b="2",a="1"} 1']), ["duplicate-series@2"]);
  assert.deepEqual(structure(["# TYPE h histogram", "h 1"]), [
    "sample-name@2",
    "histogram-inf-missing@2",
    "histogram-sum-count@2",
    "histogram-sum-count@2",
  ]);
});

Deno.test("checkStructure() applies the OpenMetrics rules", () => {
  const om = (lines: string[]) => structure([...lines, "# EOF"], "openmetrics");
  assert.deepEqual(om(["# TYPE c counter", "c_total 1", "c_created 1700000000"]), []);
  assert.deepEqual(om(["# TYPE c_total counter", "c_total_total 1"]), ["om-total@1"]);
  assert.deepEqual(om(["# TYPE c counter", "c 1"]), ["om-total@2"]);
  assert.deepEqual(om(["# TYPE c counter", 'c_total{a="1"} 1', 'c_created{a="2"} 1']), [
    "om-created@3",
  ]);
  assert.deepEqual(om(["# TYPE c counter", "# UNIT c seconds", "c_total 1"]), ["om-unit@2"]);
  // Sum and count are optional together, and a sum must not be negative.
  assert.deepEqual(om([...H, 'h_bucket{le="+Inf"} 1']), []);
  assert.deepEqual(om([...H, 'h_bucket{le="+Inf"} 1', "h_count 1"]), ["histogram-sum-count@4"]);
  assert.deepEqual(om([...H, 'h_bucket{le="+Inf"} 1', "h_count 1", "h_sum -1"]), [
    "histogram-sum-count@5",
  ]);
  assert.deepEqual(
    om([...H, 'h_bucket{le="-1"} 0', 'h_bucket{le="+Inf"} 1', "h_count 1", "h_sum 1"]),
    ["histogram-sum-count@6"],
  );
  assert.deepEqual(om(["# TYPE g gauge", 'g 1 # {a="1"} 1']), ["om-exemplar@2"]);
  assert.deepEqual(om(["# TYPE i info", 'i_info{v="1"} 1']), []);
  assert.deepEqual(om(["# TYPE st stateset", 'st{st="a"} 1', "st 0"]), ["om-info-stateset@3"]);
  assert.deepEqual(
    om([...H, 'h_bucket{a="1",le="+Inf"} 1', 'h_bucket{a="2",le="+Inf"} 1', 'h_count{a="1"} 1']),
    ["histogram-sum-count@5", "om-interleaved-series@5"],
  );
  // Several points of one series are fine in OpenMetrics when their timestamps increase.
  assert.deepEqual(om(["# TYPE g gauge", "g 1 1", "g 2 2"]), []);
  assert.deepEqual(om(["# TYPE g gauge", "g 1 2", "g 2 1"]), ["duplicate-series@3"]);
  assert.deepEqual(
    om(["# TYPE gh gaugehistogram", 'gh_bucket{le="+Inf"} 2', "gh_gcount 3", "gh_gsum -1"]),
    ["histogram-count-mismatch@3"],
  );
});

Deno.test("checkStructure() skips the anatomy of a family with an unreadable line", () => {
  const { exposition } = parseExposition('# TYPE h histogram\nh_bucket{le="1"} oops\n', {
    format: "text",
  });
  assert.deepEqual(checkStructure(exposition), []);
});
