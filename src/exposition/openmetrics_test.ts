import assert from "node:assert/strict";
import { encodeOpenMetrics, formatOpenMetricsNumber } from "./openmetrics.ts";

Deno.test("encodeOpenMetrics() names counter families without _total and samples with it", () => {
  const text = encodeOpenMetrics([
    { name: "x_total", help: "X", type: "counter", values: [{ value: 2, labels: { k: "v" } }] },
  ]);
  assert.equal(text, '# HELP x X\n# TYPE x counter\nx_total{k="v"} 2\n# EOF\n');
});

Deno.test("encodeOpenMetrics() writes histograms with canonical le last", () => {
  const text = encodeOpenMetrics([{
    name: "h",
    help: "H",
    type: "histogram",
    values: [
      { value: 1, labels: { le: 0.5, model: "m" }, metricName: "h_bucket" },
      { value: 1, labels: { le: 10, model: "m" }, metricName: "h_bucket" },
      { value: 1, labels: { le: "+Inf", model: "m" }, metricName: "h_bucket" },
      { value: 0.25, labels: { model: "m" }, metricName: "h_sum" },
      { value: 1, labels: { model: "m" }, metricName: "h_count" },
    ],
  }]);
  assert.equal(
    text,
    [
      "# HELP h H",
      "# TYPE h histogram",
      'h_bucket{model="m",le="0.5"} 1',
      'h_bucket{model="m",le="10.0"} 1',
      'h_bucket{model="m",le="+Inf"} 1',
      'h_sum{model="m"} 0.25',
      'h_count{model="m"} 1',
      "# EOF",
      "",
    ].join("\n"),
  );
});

Deno.test("encodeOpenMetrics() leaves out _sum and _count of a series with a negative or NaN sum", () => {
  for (const sum of [-1, NaN]) {
    const text = encodeOpenMetrics([{
      name: "h",
      help: "H",
      type: "histogram",
      values: [
        { value: 1, labels: { le: "+Inf", m: "a" }, metricName: "h_bucket" },
        { value: sum, labels: { m: "a" }, metricName: "h_sum" },
        { value: 1, labels: { m: "a" }, metricName: "h_count" },
        { value: 2, labels: { le: "+Inf", m: "b" }, metricName: "h_bucket" },
        { value: 3, labels: { m: "b" }, metricName: "h_sum" },
        { value: 2, labels: { m: "b" }, metricName: "h_count" },
      ],
    }]);
    assert.equal(
      text,
      [
        "# HELP h H",
        "# TYPE h histogram",
        'h_bucket{m="a",le="+Inf"} 1',
        'h_bucket{m="b",le="+Inf"} 2',
        'h_sum{m="b"} 3',
        'h_count{m="b"} 2',
        "# EOF",
        "",
      ].join("\n"),
      String(sum),
    );
  }
});

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
