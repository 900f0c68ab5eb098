import assert from "node:assert/strict";
import { encodeOpenMetrics, formatOpenMetricsNumber } from "./openmetrics.ts";
import type { SnapshotValue } from "./snapshot.ts";

Deno.test("encodeOpenMetrics() names counter families without _total and samples with it", () => {
  const text = encodeOpenMetrics([
    { name: "x_total", help: "X", type: "counter", values: [{ value: 2, labels: { k: "v" } }] },
  ]);
  assert.equal(text, '# HELP x X\n# TYPE x counter\nx_total{k="v"} 2\n# EOF\n');
});

/** One histogram series of family `h`: its buckets (`le` given first), then _sum and _count. */
function series(
  labels: Record<string, string>,
  buckets: [le: number | string, count: number][],
  sum: number,
  count: number,
): SnapshotValue[] {
  return [
    ...buckets.map(([le, value]) => ({ value, labels: { le, ...labels }, metricName: "h_bucket" })),
    { value: sum, labels, metricName: "h_sum" },
    { value: count, labels, metricName: "h_count" },
  ];
}

/**
 * Histogram families `h` (help "H"): each case's samples in, and the lines written between the
 * family's HELP and TYPE lines and the closing # EOF.
 */
const HISTOGRAM_CASES: { name: string; values: SnapshotValue[]; lines: string[] }[] = [
  {
    name: "writes histograms with canonical le last",
    values: series({ model: "m" }, [[0.5, 1], [10, 1], ["+Inf", 1]], 0.25, 1),
    lines: [
      'h_bucket{model="m",le="0.5"} 1',
      'h_bucket{model="m",le="10.0"} 1',
      'h_bucket{model="m",le="+Inf"} 1',
      'h_sum{model="m"} 0.25',
      'h_count{model="m"} 1',
    ],
  },
  ...[-1, NaN].map((sum) => ({
    name: `leaves out _sum and _count of a series with a negative or NaN sum (${sum})`,
    values: [
      ...series({ m: "a" }, [["+Inf", 1]], sum, 1),
      ...series({ m: "b" }, [["+Inf", 2]], 3, 2),
    ],
    lines: [
      'h_bucket{m="a",le="+Inf"} 1',
      'h_bucket{m="b",le="+Inf"} 2',
      'h_sum{m="b"} 3',
      'h_count{m="b"} 2',
    ],
  })),
];

for (const { name, values, lines } of HISTOGRAM_CASES) {
  Deno.test(`encodeOpenMetrics() ${name}`, () => {
    assert.equal(
      encodeOpenMetrics([{ name: "h", help: "H", type: "histogram", values }]),
      ["# HELP h H", "# TYPE h histogram", ...lines, "# EOF", ""].join("\n"),
    );
  });
}

Deno.test("encodeOpenMetrics() escapes help and label values", () => {
  const text = encodeOpenMetrics([
    {
      name: "g",
      help: 'say "hi"\\\n',
      type: "gauge",
      values: [{ value: NaN, labels: { a: 'x"y\\z\n' } }],
    },
  ]);
  assert.equal(
    text,
    '# HELP g say \\"hi\\"\\\\\\n\n# TYPE g gauge\ng{a="x\\"y\\\\z\\n"} NaN\n# EOF\n',
  );
});

Deno.test("formatOpenMetricsNumber() spells special values the OpenMetrics way", () => {
  assert.equal(formatOpenMetricsNumber(NaN), "NaN");
  assert.equal(formatOpenMetricsNumber(Infinity), "+Inf");
  assert.equal(formatOpenMetricsNumber(-Infinity), "-Inf");
  assert.equal(formatOpenMetricsNumber(1.5), "1.5");
  assert.equal(formatOpenMetricsNumber(3), "3");
});

Deno.test("encodeOpenMetrics() of nothing is just # EOF", () => {
  assert.equal(encodeOpenMetrics([]), "# EOF\n");
});
