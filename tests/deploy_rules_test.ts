/**
 * deploy/prometheus/: `promtool check config`, `promtool check rules` and `promtool test rules`
 * (the unit tests in deploy/prometheus/tests/, series fixtures included) pass; every alert has a
 * severity and a runbook note and is unit-tested both firing and quiet; every rule reads only
 * series the exporter (or the scrape) provides.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { catalogSeriesNames, DEPLOY, metricNames, run, SCRAPE_SERIES } from "./support/deploy.ts";
import { BIN } from "./support/paths.ts";

const PROMTOOL = `${BIN}promtool`;
const DIR = `${DEPLOY}prometheus/`;

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function rules(file: string): Rule[] {
  return parse(Deno.readTextFileSync(`${DIR}${file}`)).groups.flatMap((g: { rules: Rule[] }) =>
    g.rules
  );
}

function unitTestFiles(): string[] {
  return [...Deno.readDirSync(`${DIR}tests`)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".yml"))
    .map((entry) => `tests/${entry.name}`)
    .sort();
}

Deno.test("promtool check config accepts prometheus.yml and the rule files it names", async () => {
  const result = await run(PROMTOOL, ["check", "config", "prometheus.yml"], { cwd: DIR });
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, /SUCCESS: 2 rule files found/);
});

Deno.test("promtool check rules accepts rules.yml and alerts.yml", async () => {
  const result = await run(PROMTOOL, ["check", "rules", "rules.yml", "alerts.yml"], { cwd: DIR });
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, new RegExp(`SUCCESS: ${rules("rules.yml").length} rules found`));
  assert.match(result.output, new RegExp(`SUCCESS: ${rules("alerts.yml").length} rules found`));
});

Deno.test("promtool test rules: every unit test of deploy/prometheus/tests passes", async () => {
  const files = unitTestFiles();
  assert.ok(files.length > 0, "no unit test files");
  const result = await run(PROMTOOL, ["test", "rules", ...files], { cwd: DIR });
  assert.equal(result.code, 0, result.output);
  assert.equal(result.output.match(/SUCCESS/g)?.length, files.length, result.output);
});

Deno.test("every alert has a severity, a runbook note, and unit tests firing and quiet", () => {
  const fired = new Set<string>();
  const quiet = new Set<string>();
  const evaluated = new Set<string>();
  for (const file of unitTestFiles()) {
    const unit = parse(Deno.readTextFileSync(`${DIR}${file}`));
    for (const test of unit.tests) {
      for (const check of test.alert_rule_test ?? []) {
        (check.exp_alerts?.length ? fired : quiet).add(check.alertname);
      }
      for (const check of test.promql_expr_test ?? []) evaluated.add(check.expr);
    }
  }
  const alerts = rules("alerts.yml");
  assert.ok(alerts.length > 0);
  for (const rule of alerts) {
    const name = rule.alert!;
    assert.match(rule.labels?.severity ?? "", /^(critical|warning|info)$/, `${name}: severity`);
    for (const key of ["summary", "description", "runbook"]) {
      assert.ok(rule.annotations?.[key]?.trim(), `${name}: no ${key} annotation`);
    }
    assert.ok(fired.has(name), `${name}: no unit test where it fires`);
    assert.ok(quiet.has(name), `${name}: no unit test where it stays quiet`);
  }
  for (const rule of rules("rules.yml")) {
    assert.ok(evaluated.has(rule.record!), `${rule.record}: no promql_expr_test`);
  }
});

Deno.test("the rules read only series of the catalog, of the scrape, or recorded in rules.yml", () => {
  const recorded = rules("rules.yml").map((rule) => rule.record!);
  const known = new Set([...catalogSeriesNames(), ...SCRAPE_SERIES, ...recorded]);
  for (const rule of [...rules("rules.yml"), ...rules("alerts.yml")]) {
    const names = [...metricNames(rule.expr)];
    assert.ok(names.length > 0, `${rule.alert ?? rule.record}: no metric found in ${rule.expr}`);
    for (const name of names) {
      assert.ok(known.has(name), `${rule.alert ?? rule.record}: unknown series ${name}`);
    }
  }
});

Deno.test("metricNames finds names, not labels, functions, windows or numbers", () => {
  assert.deepEqual(
    [...metricNames(
      'histogram_quantile(0.95, sum by (le, job) (rate(a_bucket{job=~"$job",x="y z"}[$__rate_interval]))) / clamp_min(b, 1e-9) > bool 0 and on (instance) c:d:e',
    )].sort(),
    ["a_bucket", "b", "c:d:e"],
  );
});
