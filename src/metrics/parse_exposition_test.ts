import assert from "node:assert/strict";
import { ExpositionParseError, parseExposition, seriesKey } from "./parse_exposition.ts";

Deno.test("parseExposition() reads samples, types and help", () => {
  const parsed = parseExposition(
    [
      "# HELP a_total Help with \\\\ and \\n escapes",
      "# TYPE a_total counter",
      "a_total 3",
      'b{z="1",a="x\\"y"} 1.5',
      'c_bucket{le="+Inf"} +Inf',
      "d NaN",
      "e -Inf 123",
      "# just a comment",
      "",
    ].join("\n"),
  );
  assert.equal(parsed.samples.get("a_total"), 3);
  assert.equal(parsed.samples.get('b{a="x\\"y",z="1"}'), 1.5, "labels sorted");
  assert.equal(parsed.samples.get('c_bucket{le="+Inf"}'), Infinity);
  assert.ok(Number.isNaN(parsed.samples.get("d")));
  assert.equal(parsed.samples.get("e"), -Infinity);
  assert.equal(parsed.types.get("a_total"), "counter");
  assert.equal(parsed.help.get("a_total"), "Help with \\ and \n escapes");
  assert.equal(parsed.eof, false);
});

Deno.test("parseExposition() notes # EOF and rejects content after it", () => {
  assert.equal(parseExposition("a 1\n# EOF\n").eof, true);
  assert.throws(() => parseExposition("# EOF\na 1\n"), ExpositionParseError);
});

Deno.test("parseExposition() rejects malformed lines", () => {
  for (
    const bad of ["1abc 1", "a{b=1} 1", 'a{b="1"', "a 1 2 3", "a x", 'a{b="1",b="2"} 1', "a 1\na 2"]
  ) {
    assert.throws(() => parseExposition(bad), ExpositionParseError, bad);
  }
});

Deno.test("seriesKey() sorts labels and escapes values", () => {
  assert.equal(seriesKey("m"), "m");
  assert.equal(seriesKey("m", { b: "2", a: 'q"\n' }), 'm{a="q\\"\\n",b="2"}');
});
