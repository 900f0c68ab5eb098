/**
 * The crafted broken files (tests/fixtures/check/invalid/, one or more per rule; index.json
 * records each file's rule, line and, where it matters, column) fail `check` with exit 1 at
 * the right place. The valid files (tests/fixtures/check/valid/) pass with exit 0.
 */
import assert from "node:assert/strict";
import { FIXTURES, jsonFindings, mapLimit, runCheck } from "./support/check.ts";

interface Expected {
  rule: string;
  line: number;
  column?: number;
  args?: string[];
}

const INDEX: Record<string, Expected> = JSON.parse(
  Deno.readTextFileSync(`${FIXTURES}invalid/index.json`),
);

Deno.test("every invalid fixture fails with exit 1 and names its rule and line", async () => {
  const files = Object.keys(INDEX);
  const present = [...Deno.readDirSync(`${FIXTURES}invalid`)].map((e) => e.name)
    .filter((n) => n !== "index.json").sort();
  assert.deepEqual(present, [...files].sort(), "index.json and the fixture files must match");
  const problems = (await mapLimit(files, async (file) => {
    const want = INDEX[file];
    const path = `tests/fixtures/check/invalid/${file}`;
    const run = await runCheck([path, "--format", "json", ...(want.args ?? [])]);
    const findings = jsonFindings(run);
    const hit = findings.find((f) =>
      f.severity === "error" && f.rule === want.rule && f.line === want.line &&
      (want.column === undefined || f.column === want.column)
    );
    if (run.code === 1 && hit) return undefined;
    const got = findings.map((f) => `${f.severity} ${f.rule}@${f.line}:${f.column ?? ""}`);
    return `${file}: want exit 1 with ${want.rule}@${want.line}:${want.column ?? ""}, ` +
      `got exit ${run.code} with ${got.join(", ")}${run.stderr ? `\n${run.stderr}` : ""}`;
  })).filter((p) => p !== undefined);
  assert.deepEqual(problems, []);
});

Deno.test("every error rule that reads files has an invalid fixture", async () => {
  const { RULES } = await import("../src/check/rules.ts");
  const covered = new Set(Object.values(INDEX).map((e) => e.rule));
  // Rules about URLs, scrapes and expectations are covered by check_cli_test.ts.
  const elsewhere = /^(expect-|target-|counter-decreased)/;
  const missing = Object.entries(RULES)
    .filter(([id, rule]) => rule.severity === "error" && !elsewhere.test(id) && !covered.has(id))
    .map(([id]) => id);
  assert.deepEqual(missing, []);
});

Deno.test("every valid fixture passes with exit 0", async () => {
  const files = [...Deno.readDirSync(`${FIXTURES}valid`)].map((e) => e.name).sort();
  assert.ok(files.length > 0);
  const problems = (await mapLimit(files, async (file) => {
    const run = await runCheck([`tests/fixtures/check/valid/${file}`]);
    return run.code === 0 ? undefined : `${file}: exit ${run.code}\n${run.stdout}${run.stderr}`;
  })).filter((p) => p !== undefined);
  assert.deepEqual(problems, []);
});
