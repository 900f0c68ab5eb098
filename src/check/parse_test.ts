import assert from "node:assert/strict";
import { decodeExposition, parseExposition } from "./parse.ts";

const rules = (findings: { rule: string; line?: number }[]) =>
  findings.map((f) => `${f.rule}@${f.line}`);

Deno.test("parseExposition() groups text samples into typed and untyped families", () => {
  const { exposition, findings } = parseExposition(
    [
      "# HELP h_seconds Latency.",
      "# TYPE h_seconds histogram",
      'h_seconds_bucket{le="1"} 1',
      'h_seconds_bucket{le="+Inf"} 2',
      "h_seconds_sum 3",
      "h_seconds_count 2",
      "# TYPE rpc summary",
      'rpc{quantile="0.5"} 1',
      "rpc_sum 1",
      "rpc_count 1",
      "plain_total 4",
      "",
    ].join("\n"),
    { format: "text" },
  );
  assert.deepEqual(findings, []);
  assert.deepEqual(
    exposition.families.map((f) => [f.name, f.type, f.samples.length, f.help ?? null]),
    [["h_seconds", "histogram", 4, "Latency."], ["rpc", "summary", 3, null], [
      "plain_total",
      "untyped",
      1,
      null,
    ]],
  );
  assert.equal(exposition.lines, 11);
  assert.equal(exposition.families[1].typeLine, 7);
});

Deno.test("parseExposition() groups OpenMetrics counters under their family name", () => {
  const { exposition, findings } = parseExposition(
    "# TYPE req counter\nreq_total 1\nreq_created 1.7e9\n# TYPE t_seconds gauge\n" +
      "# UNIT t_seconds seconds\nt_seconds 1\n# EOF\n",
    { format: "openmetrics" },
  );
  assert.deepEqual(findings, []);
  assert.deepEqual(exposition.families.map((f) => [f.name, f.samples.length, f.unit]), [
    ["req", 2, undefined],
    ["t_seconds", 1, "seconds"],
  ]);
});

Deno.test("parseExposition() reports metadata order problems once, with lines", () => {
  const { findings } = parseExposition(
    [
      "# HELP a A.",
      "# HELP a Again.",
      "a 1",
      "# TYPE a gauge",
      "b 1",
      'a{x="1"} 2',
      'b{x="1"} 2',
      'a{x="2"} 2',
      "# TYPE c gauges",
      "",
    ].join("\n"),
    { format: "text" },
  );
  assert.deepEqual(rules(findings), [
    "duplicate-help@2",
    "metadata-after-samples@4",
    "interleaved-family@6",
    "interleaved-family@7",
    "invalid-type@9",
  ]);
});

Deno.test("parseExposition() wants a final newline in text and # EOF last in OpenMetrics", () => {
  assert.deepEqual(rules(parseExposition("a 1", { format: "text" }).findings), [
    "missing-newline@1",
  ]);
  assert.deepEqual(parseExposition("", { format: "text" }).findings, []);
  assert.deepEqual(rules(parseExposition("", { format: "openmetrics" }).findings), ["om-eof@1"]);
  assert.deepEqual(rules(parseExposition("a 1\n", { format: "openmetrics" }).findings), [
    "om-eof@1",
  ]);
  assert.deepEqual(rules(parseExposition("a 1\n# EOF\n\n", { format: "openmetrics" }).findings), [
    "om-eof@3",
  ]);
  assert.deepEqual(parseExposition("a 1\n# EOF", { format: "openmetrics" }).findings, []);
});

Deno.test("parseExposition() warns about # EOF in the text format", () => {
  const { findings } = parseExposition("a 1\n# EOF\n", { format: "text" });
  assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [["lint-text-eof", "warning"]]);
});

Deno.test("parseExposition() goes on after a bad line and taints its family", () => {
  const { exposition, findings } = parseExposition(
    '# TYPE h histogram\nh_bucket{le="1"} x\nh_bucket{le="+Inf"} 1\nok 1\n',
    { format: "text" },
  );
  assert.deepEqual(rules(findings), ["invalid-value@2"]);
  assert.equal(exposition.families[0].tainted, true);
  assert.equal(exposition.families[1].name, "ok");
});

Deno.test("decodeExposition() names each line with invalid UTF-8", () => {
  const bytes = new Uint8Array([
    ...new TextEncoder().encode('a 1\nb{x="'),
    0xff,
    0x22,
    0x7d,
    0x20,
    0x31,
    0x0a,
  ]);
  const { text, findings } = decodeExposition(bytes);
  assert.deepEqual(rules(findings), ["invalid-utf8@2"]);
  assert.match(text, /^a 1\nb\{x="\ufffd"\} 1\n$/);
});
