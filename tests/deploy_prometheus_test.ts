/**
 * deploy/ against a real Prometheus (Debian's 2.42, as `.cache/bin/prometheus`): it scrapes
 * `replay --serve` fed with the sample traffic (tests/fixtures/replay/sample.bin, paced so the
 * counters move while Prometheus watches) through the shipped scrape job, loads the shipped
 * rules and alerts, and every query of the shipped Grafana dashboard and of the original
 * dashboard's list must return data.
 *
 * `replay --serve` exposes every series `serve` does (consumer lag included, at 0: there is no
 * consumer), so no broker is needed. The exporter exposes the lag summed over a member's
 * partitions, not per partition, so the dashboard's lag panel is per instance.
 */
import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { programCommand } from "./support/exporter.ts";
import { BIN, type Child, DEPLOY, freePort, ROOT, spawn, until } from "./deploy_support.ts";

const PROMETHEUS = `${BIN}prometheus`;
const SAMPLE = `${ROOT}tests/fixtures/replay/sample.bin`;
/** Records in sample.bin (its generator's header, and tests/golden/replay/sample.prom). */
const SAMPLE_RECORDS = 307;
/** The scrape job of deploy/prometheus/prometheus.yml this test uses (plain HTTP). */
const JOB = "dashstream-quality";

/**
 * The queries of the original's Grafana dashboard that must keep working (the project's spec,
 * "Dashboard queries that must keep working"), verbatim.
 */
const SPEC_DASHBOARD_QUERIES = [
  "100*sum(rate(dashstream_quality_monitor_queries_passed_total[5m]))/clamp_min(sum(rate(dashstream_quality_monitor_queries_total[5m])),1e-9)",
  "avg(dashstream_quality_monitor_quality_score)",
  "sum(dashstream_quality_retry_count_sum)/clamp_min(sum(dashstream_quality_retry_count_count),1)",
  "histogram_quantile(0.95, sum(rate(dashstream_query_latency_ms_bucket[5m])) by (le))",
  'rate(dashstream_queries_by_model_total{model="gpt-4o-mini"}[5m])',
  "dashstream_quality_accuracy",
  "dashstream_quality_relevance",
  "dashstream_quality_completeness",
  'rate(dashstream_quality_monitor_queries_failed_total{category="Complex"}[5m])',
];

interface Dashboard {
  panels: { title: string; targets?: { expr: string }[]; panels?: Dashboard["panels"] }[];
}

/** Every target expression of the dashboard, with its panel's title. */
function dashboardQueries(): { panel: string; expr: string }[] {
  const dashboard: Dashboard = JSON.parse(
    Deno.readTextFileSync(`${DEPLOY}grafana/dashflow-exporter.json`),
  );
  const out: { panel: string; expr: string }[] = [];
  const walk = (panels: Dashboard["panels"]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) out.push({ panel: panel.title, expr: target.expr });
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  return out;
}

/**
 * What Grafana substitutes before sending a query: the template variables (all instances of the
 * test's job) and `$__rate_interval` (a window that spans the whole paced replay).
 */
function grafanaSubstitute(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", "1m")
    .replaceAll("$job", JOB)
    .replaceAll("$instance", ".+");
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query through Prometheus' HTTP API: the result vector (a scalar as one sample). */
async function query(origin: string, expr: string): Promise<Sample[]> {
  const response = await fetch(`${origin}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = await response.json();
  if (body.status !== "success") {
    throw new Error(`query ${expr} failed: ${body.errorType}: ${body.error}`);
  }
  const { resultType, result } = body.data;
  return resultType === "scalar" ? [{ metric: {}, value: result }] : result;
}

/** The temp Prometheus config: the shipped plain job and rule files, scraping every second. */
function prometheusConfig(exporterPort: number): string {
  const shipped = parse(Deno.readTextFileSync(`${DEPLOY}prometheus/prometheus.yml`));
  const job = shipped.scrape_configs.find((j: { job_name: string }) => j.job_name === JOB);
  assert.ok(job, `prometheus.yml has no job ${JOB}`);
  assert.equal(job.scheme, undefined, `job ${JOB} is the plain HTTP one`);
  return stringify({
    global: { scrape_interval: "1s", evaluation_interval: "1s" },
    rule_files: shipped.rule_files.map((file: string) => `${DEPLOY}prometheus/${file}`),
    scrape_configs: [{
      ...job,
      scrape_interval: "1s",
      static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
    }],
  });
}

Deno.test({
  name: "a real Prometheus scraping the exporter answers every dashboard query and rule",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "deploy-prometheus-" });
    const prometheusPort = freePort();
    const exporterPort = freePort();
    const origin = `http://127.0.0.1:${prometheusPort}`;
    Deno.writeTextFileSync(`${dir}/prometheus.yml`, prometheusConfig(exporterPort));
    const prometheus = spawn(PROMETHEUS, [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
    ]);
    let exporter: Child | undefined;
    try {
      await until(async () => (await fetch(`${origin}/-/ready`)).ok, {
        message: () => `prometheus did not get ready:\n${prometheus.output()}`,
      });
      // Prometheus first, then the exporter: it scrapes the counters as they move.
      const [cmd, ...base] = programCommand();
      exporter = spawn(cmd, [
        ...base,
        "replay",
        SAMPLE,
        "--serve",
        "--port",
        String(exporterPort),
        "--bind",
        "127.0.0.1",
        "--rate",
        "40",
      ]);
      const received = `dashstream_exporter_messages_received_total{job="${JOB}"}`;
      await until(async () => {
        const [last] = await query(origin, received);
        const [scrapes] = await query(origin, `count_over_time(${received}[1m])`);
        return Number(last?.value[1]) === SAMPLE_RECORDS && Number(scrapes?.value[1]) >= 5;
      }, {
        message: () =>
          `Prometheus did not scrape all ${SAMPLE_RECORDS} records:\n${
            exporter!.output()
          }\n${prometheus.output()}`,
      });
      // Rules evaluate every second; wait for one evaluation after the data is in.
      const evaluatedAfter = Date.now();
      await until(async () => {
        const body = await (await fetch(`${origin}/api/v1/rules`)).json();
        return body.data.groups.every((g: { lastEvaluation: string }) =>
          Date.parse(g.lastEvaluation) > evaluatedAfter
        );
      }, { message: () => "the rules were not evaluated" });

      const queries = [
        ...dashboardQueries().map(({ panel, expr }) => ({
          source: `dashboard panel "${panel}"`,
          expr: grafanaSubstitute(expr),
        })),
        ...SPEC_DASHBOARD_QUERIES.map((expr) => ({ source: "spec dashboard list", expr })),
      ];
      assert.ok(queries.length > SPEC_DASHBOARD_QUERIES.length, "the dashboard has queries");
      const empty: string[] = [];
      for (const { source, expr } of queries) {
        const samples = await query(origin, expr);
        const finite = samples.filter((s) => Number.isFinite(Number(s.value[1])));
        if (finite.length === 0) {
          empty.push(`${source}: ${expr} -> ${JSON.stringify(samples)}`);
        }
      }
      assert.deepEqual(empty, [], `queries without data:\n${empty.join("\n")}`);

      // The shipped rules loaded and evaluate cleanly on real data; each recording rule has data.
      const rules = (await (await fetch(`${origin}/api/v1/rules`)).json()).data.groups.flatMap(
        (g: { rules: unknown[] }) => g.rules,
      ) as { name: string; type: string; health: string; lastError?: string }[];
      const shipped = ["rules.yml", "alerts.yml"].flatMap((file) =>
        parse(Deno.readTextFileSync(`${DEPLOY}prometheus/${file}`)).groups.flatMap(
          (g: { rules: unknown[] }) => g.rules,
        )
      );
      assert.equal(rules.length, shipped.length, "every shipped rule is loaded");
      for (const rule of rules) {
        assert.equal(rule.health, "ok", `${rule.name}: ${rule.lastError}`);
        if (rule.type === "recording") {
          const samples = await query(origin, rule.name);
          assert.ok(samples.length > 0, `recording rule ${rule.name} has no data`);
        }
      }
    } finally {
      await exporter?.stop();
      await prometheus.stop();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
