import assert from "node:assert/strict";
import {
  formatValue,
  parseOpenMetricsTimestamp,
  parseOpenMetricsValue,
  parseTextTimestamp,
  parseTextValue,
} from "./numbers.ts";

Deno.test("parseTextValue() takes Go float syntax without hex or separators", () => {
  assert.equal(parseTextValue("1e3"), 1000);
  assert.equal(parseTextValue("-.5"), -0.5);
  assert.equal(parseTextValue("5."), 5);
  assert.equal(parseTextValue("Inf"), Infinity);
  assert.equal(parseTextValue("-infinity"), -Infinity);
  assert.ok(Number.isNaN(parseTextValue("nan")!));
  for (const bad of ["", "0x10", "1_000", "one", "1e", "+-1", "1.2.3"]) {
    assert.equal(parseTextValue(bad), undefined, bad);
  }
});

Deno.test("parseOpenMetricsValue() wants a sign on infinities", () => {
  assert.equal(parseOpenMetricsValue("+Inf"), Infinity);
  assert.equal(parseOpenMetricsValue("-Inf"), -Infinity);
  assert.equal(parseOpenMetricsValue("Inf"), undefined);
  assert.ok(Number.isNaN(parseOpenMetricsValue("NaN")!));
});

Deno.test("timestamps: text wants integer ms, OpenMetrics a decimal of seconds", () => {
  assert.equal(parseTextTimestamp("-1700000000000"), -1700000000000);
  assert.equal(parseTextTimestamp("1.5"), undefined);
  assert.equal(parseOpenMetricsTimestamp("1700000000.25"), 1700000000.25);
  assert.equal(parseOpenMetricsTimestamp("+Inf"), undefined);
});

Deno.test("formatValue() writes exposition spellings", () => {
  assert.deepEqual([Infinity, -Infinity, NaN, 0.5].map(formatValue), [
    "+Inf",
    "-Inf",
    "NaN",
    "0.5",
  ]);
});
