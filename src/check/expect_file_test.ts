import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { parseExpectationsFile } from "./expect_file.ts";

Deno.test("parseExpectationsFile() reads YAML and JSON lists", async () => {
  const yaml = await parseExpectationsFile(
    [
      "metrics:",
      "  - name: http_requests_total",
      "    type: counter",
      "    labels: [method, code]",
      "  - name: latency_seconds",
      "    type: histogram",
      "    buckets: [0.1, 1]",
      "    min: 0",
      "    series: [{ route: / }]",
      "    labelValues: { route: [/, /api] }",
    ].join("\n"),
    "app.yaml",
  );
  assert.equal(yaml.source, "app.yaml");
  assert.deepEqual(yaml.metrics, [
    { name: "http_requests_total", type: "counter", labels: ["method", "code"] },
    {
      name: "latency_seconds",
      type: "histogram",
      buckets: [0.1, 1],
      min: 0,
      series: [{ route: "/" }],
      labelValues: { route: ["/", "/api"] },
    },
  ]);
  const json = await parseExpectationsFile('[{"name":"up","type":"gauge"}]', "x.json");
  assert.deepEqual(json.metrics, [{ name: "up", type: "gauge" }]);
});

Deno.test("parseExpectationsFile() names the file, entry and field of a mistake", async () => {
  const cases: [string, string, RegExp][] = [
    ["- name: up\n  typo: gauge\n", "e.yaml", /e\.yaml': metrics\[0\]: unknown key 'typo'/],
    ["- name: up\n  type: countr\n", "e.yaml", /metrics\[0\] \(up\)\.type: "countr" is not one of/],
    ["- name: 9up\n", "e.yaml", /metrics\[0\]\.name: expected a metric name/],
    ["- name: up\n  type: gauge\n  buckets: [1]\n", "e.yaml", /only a histogram has buckets/],
    ["metrics: []\n", "e.yaml", /lists no metrics/],
    ["{bad json", "e.json", /e\.json': cannot parse it/],
    ["name: up\n", "e.yml", /expected a list of metrics/],
  ];
  for (const [text, path, pattern] of cases) {
    await assert.rejects(parseExpectationsFile(text, path), (error: Error) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, pattern);
      return true;
    });
  }
});
