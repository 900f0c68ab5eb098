import assert from "node:assert/strict";
import { lexLine, type LineToken } from "./lex_line.ts";

function sample(token: LineToken) {
  assert.equal(token.kind, "sample", JSON.stringify(token));
  return token as Extract<LineToken, { kind: "sample" }>;
}

function error(token: LineToken) {
  assert.equal(token.kind, "error", JSON.stringify(token));
  return token as Extract<LineToken, { kind: "error" }>;
}

/** Asserts each line lexes to exactly that token. */
function assertTokens(cases: [string, LineToken][], format: "text" | "openmetrics"): void {
  for (const [line, token] of cases) assert.deepEqual(lexLine(line, format), token, line);
}

/** Asserts each line lexes to an error of that rule at that column. */
function assertErrors(cases: [string, string, number][], format: "text" | "openmetrics"): void {
  for (const [line, rule, column] of cases) {
    const e = error(lexLine(line, format));
    assert.deepEqual([e.rule, e.column], [rule, column], `${JSON.stringify(line)}: ${e.message}`);
  }
}

Deno.test("lexLine() reads a text sample with labels, escapes and a timestamp", () => {
  const s = sample(
    lexLine('http_requests_total{path="/a\\"b\\\\c\\nd",code="200"} 12 1700000000000', "text"),
  );
  assert.equal(s.name, "http_requests_total");
  assert.deepEqual(s.labels, [{ name: "path", value: '/a"b\\c\nd' }, {
    name: "code",
    value: "200",
  }]);
  assert.equal(s.value, 12);
  assert.equal(s.timestamp, 1700000000000);
  assert.equal(s.valueColumn, 52);
});

Deno.test("lexLine() accepts the text format's blanks, tabs and trailing comma", () => {
  const s = sample(lexLine(' \tx  { a = "1" ,\tb="2", }  +Inf', "text"));
  assert.deepEqual(s.labels.map((l) => l.value), ["1", "2"]);
  assert.equal(s.value, Infinity);
  assert.equal(sample(lexLine("x NaN", "text")).rawValue, "NaN");
  assert.equal(sample(lexLine("x infinity", "text")).value, Infinity);
  assert.equal(sample(lexLine("x -1.5e-3", "text")).value, -0.0015);
  assert.equal(sample(lexLine("x{} .5", "text")).value, 0.5);
});

Deno.test("lexLine() reads text HELP, TYPE and plain comments", () => {
  assertTokens([
    ["# HELP x Line one\\nback\\\\slash", {
      kind: "help",
      name: "x",
      text: "Line one\nback\\slash",
    }],
    ["#TYPE x Gauge", { kind: "type", name: "x", type: "Gauge", typeColumn: 9 }],
    ["# some comment", { kind: "comment" }],
    ["# UNIT x seconds", { kind: "comment" }],
    ["   ", { kind: "blank" }],
  ], "text");
});

Deno.test("lexLine() names the rule and column of a bad text line", () => {
  const cases: [string, string, number][] = [
    ["x-y 1", "invalid-metric-name", 2],
    ["x{a=b} 1", "label-syntax", 5],
    ['x{a="1" b="2"} 1', "label-syntax", 9],
    ['x{a="1",a="2"} 1', "duplicate-label", 9],
    ['x{a="\\t"} 1', "invalid-escape", 6],
    ["x 1e", "invalid-value", 3],
    ["x 0x1p3", "invalid-value", 3],
    ["x 1_000", "invalid-value", 3],
    ["x 1 1.5", "invalid-timestamp", 5],
    ["x 1 ", "syntax", 4],
    ["x 1 2 3", "syntax", 7],
    ['x{a="1"}', "syntax", 9],
    ["x 1\r", "syntax", 4],
    ["# HELP x a\\tb", "invalid-escape", 11],
    ["# HELP", "syntax", 7],
  ];
  assertErrors(cases, "text");
  assert.equal(error(lexLine("x 1 2 3", "text")).name, "x");
});

Deno.test("lexLine() reads OpenMetrics metadata, EOF, exemplars and timestamps", () => {
  assertTokens([
    ["# EOF", { kind: "eof" }],
    ['# HELP x Say \\"hi\\"', { kind: "help", name: "x", text: 'Say "hi"' }],
    ["# UNIT x_seconds seconds", {
      kind: "unit",
      name: "x_seconds",
      unit: "seconds",
      unitColumn: 18,
    }],
  ], "openmetrics");
  const s = sample(
    lexLine('x_total{a="1"} 3 1700000000.25 # {trace_id="abc"} 1 1700000000', "openmetrics"),
  );
  assert.equal(s.timestamp, 1700000000.25);
  assert.deepEqual(s.exemplar?.labels, [{ name: "trace_id", value: "abc" }]);
  assert.equal(s.exemplar?.value, 1);
  assert.equal(s.exemplar?.timestamp, 1700000000);
  assert.equal(
    sample(lexLine('h_bucket{le="+Inf"} 3 # {} 0.5', "openmetrics")).exemplar?.value,
    0.5,
  );
});

Deno.test("lexLine() holds OpenMetrics to one space and no comments", () => {
  const cases: [string, string, number][] = [
    ["", "syntax", 1],
    ["# a comment", "syntax", 1],
    ["# EOF ", "syntax", 1],
    ["x  1", "syntax", 3],
    ["x 1 ", "syntax", 4],
    [" x 1", "syntax", 1],
    ["x\t1", "invalid-metric-name", 2],
    ['x{a="1",} 1', "label-syntax", 9],
    ['x{a="1", b="2"} 1', "label-syntax", 9],
    ["x Inf", "invalid-value", 3],
    ["x 1 1h", "invalid-timestamp", 5],
    ["x 1 # trace", "om-exemplar", 7],
    ['x 1 # {a="1"} z', "om-exemplar", 15],
    ["# TYPE x", "invalid-type", 9],
    ["# UNIT x sec-onds", "om-unit", 10],
  ];
  assertErrors(cases, "openmetrics");
});
