/**
 * `check` against `promtool check metrics` (Prometheus 2.42, from Debian) on every fixture.
 * Where the two disagree, the table below says why, and the test fails if promtool's answer
 * changes, so the documentation cannot go stale.
 *
 * The short version: promtool parses the text format with Prometheus' expfmt parser, which
 * checks syntax and metadata order but never values or histogram/summary anatomy, merges a
 * family's lines wherever they appear, silently keeps one of two duplicate series, and has no
 * OpenMetrics support at all (it reads OpenMetrics as the text format, so it rejects valid
 * OpenMetrics and misses OpenMetrics-only rules).
 */
import assert from "node:assert/strict";
import { FIXTURES, mapLimit, promtoolCheck, runCheck } from "./support/check.ts";

interface Disagreement {
  /** promtool's exit code: 0 valid, 3 lint problems only, 1 parse error. */
  promtool: 0 | 1 | 3;
  why: string;
}

const VALUES = "promtool never looks at sample values";
const ANATOMY = "promtool does not check histogram structure";
const OM = "promtool cannot read OpenMetrics: it parses it as the text format";

/** Invalid fixtures (check: exit 1) that promtool does not reject. */
const INVALID: Record<string, Disagreement> = {
  "counter_nan.prom": { promtool: 0, why: `${VALUES}: a NaN counter passes` },
  "counter_negative.prom": { promtool: 0, why: `${VALUES}: a negative counter passes` },
  "duplicate_series.prom": {
    promtool: 0,
    why: "expfmt keeps one of two samples of the same series without a word",
  },
  "histogram_count_mismatch.prom": { promtool: 0, why: `${ANATOMY}: _count != +Inf passes` },
  "histogram_inf_missing.prom": { promtool: 0, why: `${ANATOMY}: no +Inf bucket passes` },
  "histogram_le_missing.prom": { promtool: 0, why: `${ANATOMY}: a bucket without le passes` },
  "histogram_le_order.prom": {
    promtool: 0,
    why: `${ANATOMY}: expfmt sorts buckets itself, so their order is never seen`,
  },
  "histogram_not_cumulative.prom": { promtool: 0, why: `${ANATOMY}: decreasing buckets pass` },
  "histogram_sum_missing.prom": { promtool: 0, why: `${ANATOMY}: a missing _sum reads as 0` },
  "interleaved_family.prom": {
    promtool: 0,
    why: "expfmt merges a family's lines wherever they appear, though the format wants one group",
  },
  "negative_count.prom": { promtool: 0, why: `${VALUES}: negative bucket counts pass` },
  "sample_name.prom": {
    promtool: 0,
    why: `${ANATOMY}: a histogram sample without _bucket/_sum/_count passes`,
  },
  "summary_count_missing.prom": {
    promtool: 0,
    why: "promtool does not require a summary's _count",
  },
  "summary_quantile.prom": { promtool: 0, why: `${VALUES}: quantile 1.5 passes` },
  "om_blank_line.om": { promtool: 0, why: `${OM}, where blank lines are fine` },
  "om_comment.om": { promtool: 0, why: `${OM}, where comments are fine` },
  "om_double_space.om": { promtool: 0, why: `${OM}, where any blanks separate tokens` },
  "om_trailing_comma.om": { promtool: 0, why: `${OM}, where a trailing comma is fine` },
  "om_type_unknown_word.om": { promtool: 0, why: `${OM}, where 'untyped' is a type` },
  "om_inf_unsigned.om": { promtool: 0, why: `${OM}, where 'Inf' is a number` },
  "om_duplicate_unit.om": { promtool: 0, why: `${OM}: # UNIT is a comment there` },
  "om_unit.om": { promtool: 0, why: `${OM}: # UNIT is a comment there` },
  "om_eof_missing.om": { promtool: 0, why: `${OM}: # EOF means nothing there` },
  "om_eof_not_last.om": { promtool: 0, why: `${OM}: # EOF is a comment there` },
  "om_histogram_negative_sum.om": { promtool: 0, why: `${OM} and checks no values` },
  "om_histogram_sum_without_count.om": { promtool: 0, why: `${OM} and no histogram structure` },
  "om_interleaved_series.om": { promtool: 0, why: `${OM} and no series order` },
  "om_created_orphan.om": {
    promtool: 3,
    why: `${OM}: _total and _created become untyped families (lint: no help text)`,
  },
  "om_total_family.om": {
    promtool: 3,
    why: `${OM}: requests_total_total is an untyped family (lint: no help text)`,
  },
  "om_total_sample.om": {
    promtool: 3,
    why: `${OM}: it lints the counter for lacking _total instead of rejecting the sample`,
  },
};

/** Valid fixtures (check: exit 0) that promtool rejects. */
const VALID: Record<string, Disagreement> = {
  "om_all_types.om": { promtool: 1, why: `${OM}, whose HELP text cannot escape \\"` },
  "om_no_final_newline.om": {
    promtool: 1,
    why: `${OM}, which requires a final newline (OpenMetrics does not after # EOF)`,
  },
  "native_histogram.pb": {
    promtool: 1,
    why: "promtool check metrics reads the text format only, not delimited protobuf",
  },
};

async function compare(dir: "invalid" | "valid", table: Record<string, Disagreement>) {
  const files = [...Deno.readDirSync(`${FIXTURES}${dir}`)].map((e) => e.name)
    .filter((n) => n !== "index.json").sort();
  const expectedCheck = dir === "invalid" ? 1 : 0;
  const problems = await mapLimit(files, async (file) => {
    const path = `${FIXTURES}${dir}/${file}`;
    const promtool = await promtoolCheck(Deno.readFileSync(path));
    const args = dir === "invalid" && file === "om_eof_missing.om"
      ? ["--input-format", "openmetrics"]
      : [];
    const check = await runCheck([path, ...args]);
    const documented = table[file];
    const want = documented?.promtool ?? expectedCheck;
    if (check.code !== expectedCheck) return `${file}: check exited ${check.code}`;
    if (promtool.code !== want) {
      return `${file}: promtool exited ${promtool.code}, the table says ${want}` +
        (documented ? ` (${documented.why})` : " (agreement)") + `\n${promtool.stderr}`;
    }
    return undefined;
  });
  assert.deepEqual(problems.filter((p) => p !== undefined), []);
  for (const file of Object.keys(table)) assert.ok(files.includes(file), `${file} is gone`);
}

Deno.test("promtool rejects the invalid fixtures check rejects, except where documented", async () => {
  await compare("invalid", INVALID);
});

Deno.test("promtool accepts the valid fixtures check accepts, except where documented", async () => {
  await compare("valid", VALID);
});
