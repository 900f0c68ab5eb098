import assert from "node:assert/strict";
import type { ExpositionFormat } from "./exposition.ts";
import { lintExposition } from "./lint.ts";
import { parseExposition } from "./parse.ts";

function lint(text: string, format: ExpositionFormat = "text"): string[] {
  const { exposition } = parseExposition(text, { format });
  return lintExposition(exposition).map((f) => `${f.rule}: ${f.message}`);
}

Deno.test("lintExposition() reports promtool's naming problems as warnings", () => {
  const text = [
    "# TYPE requests counter",
    "requests 1",
    "# HELP latency_milliseconds x",
    "# TYPE latency_milliseconds gauge",
    "latency_milliseconds 1",
    "# HELP size_bytes_total x",
    "# TYPE size_bytes_total gauge",
    'size_bytes_total{le="1"} 1',
    "# HELP req_ms x",
    "# TYPE req_ms gauge",
    "req_ms 1",
    "# HELP queue_gauge x",
    "# TYPE queue_gauge gauge",
    "queue_gauge 1",
    "# HELP job:rate x",
    "# TYPE job:rate gauge",
    "job:rate 1",
    "# HELP fooBar x",
    "# TYPE fooBar gauge",
    'fooBar{someLabel="1",__x="y"} 1',
    "# HELP x_count x",
    "# TYPE x_count gauge",
    "x_count 1",
    "",
  ].join("\n");
  assert.deepEqual(lint(text), [
    "lint-help: requests: no help text",
    'lint-counter-total: requests: counter metrics should have "_total" suffix',
    'lint-base-unit: latency_milliseconds: use base unit "seconds" instead of "milliseconds"',
    'lint-non-counter-total: size_bytes_total: non-counter metrics should not have "_total" suffix',
    'lint-reserved-suffix: size_bytes_total: non-histogram metrics should not have "le" label',
    "lint-unit-abbreviation: req_ms: metric names should not contain abbreviated units",
    "lint-type-in-name: queue_gauge: metric name should not include type 'gauge'",
    "lint-colon: job:rate: metric names should not contain ':'",
    "lint-camel-case: fooBar: metric names should be written in 'snake_case' not 'camelCase'",
    "lint-camel-case: fooBar: label names should be written in 'snake_case' not 'camelCase' (someLabel)",
    "lint-reserved-label: fooBar: label __x starts with __, which Prometheus reserves for internal use",
    'lint-reserved-suffix: x_count: non-histogram and non-summary metrics should not have "_count" suffix',
  ]);
});

Deno.test("lintExposition() skips empty families and untyped-only rules, names OM counters with _total", () => {
  assert.deepEqual(lint("# TYPE empty counter\n"), []);
  assert.deepEqual(lint("# HELP x_bucket x\nx_bucket 1\n"), []);
  assert.deepEqual(lint("# HELP r x\n# TYPE r counter\nr_total 1\n# EOF\n", "openmetrics"), []);
  assert.deepEqual(lint("# TYPE r counter\nr_total 1\n# EOF\n", "openmetrics"), [
    "lint-help: r_total: no help text",
  ]);
});
