/**
 * deploy/ against a real Prometheus (Debian's 2.42, as `.cache/bin/prometheus`).
 *
 * - The shipped plain scrape job, rules and alerts, scraping `replay --serve` fed with the sample
 *   traffic (tests/fixtures/replay/sample.bin, paced so the counters move while Prometheus
 *   watches; no broker needed) and, with KAFKA_BROKERS, `serve` consuming sample events from a
 *   fresh topic: every query of the shipped Grafana dashboard and of the original dashboard's list
 *   returns a series with a finite value, and every rule evaluates cleanly.
 * - The shipped TLS and basic auth jobs scrape a `serve` protected that way.
 *
 * - Three `serve` replicas of one consumer group, with KAFKA_BROKERS: summed in Prometheus, their
 *   counters equal one process's, each partition is exposed by one replica, the fleet recording
 *   rules have data, and every query of the original dashboard, written over replicas as
 *   docs/scaling.md says, gives the values of one instance fed the same records (its own group,
 *   its own Prometheus).
 *
 * `serve`'s per-partition series feed the dashboard's lag panel (per partition) and the fleet rules
 * of rules.yml, which `replay --serve` (no consumer) leaves without data: those are checked against
 * `serve` only.
 */
import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import bcrypt from "bcryptjs";
import { type ExporterProcess, startServe, withTopicServe } from "./support/exporter.ts";
import { freePort, programCommand } from "./support/spawn.ts";
import { testPki } from "./support/pki.ts";
import { produce, waitFor, withTopic } from "./support/kafka.ts";
import { sampleRecords } from "./support/sample/mod.ts";
import { scrape } from "./support/exposition.ts";
import { newTestCore } from "./support/metrics_core.ts";
import { applyRecord } from "../src/pipeline/apply_record.ts";
import {
  type Child,
  DEPLOY,
  fleetQueries,
  prometheusTest,
  spawn,
  startPrometheus,
} from "./support/deploy.ts";
import { ROOT } from "./support/paths.ts";

/** {@linkcode waitFor} at Prometheus' pace: a scrape or rule evaluation a second, up to a minute. */
const until = (
  fn: () => Promise<boolean>,
  options: { timeoutMs?: number; message: () => string },
) => waitFor(fn, { timeoutMs: 60_000, intervalMs: 250, ...options });

const SAMPLE = `${ROOT}tests/fixtures/replay/sample.bin`;
/** Records in sample.bin (its generator's header, and tests/golden/replay/sample.prom). */
const SAMPLE_RECORDS = 307;
/** The scrape job of deploy/prometheus/prometheus.yml this test uses (plain HTTP). */
const JOB = "dashstream-quality";

/**
 * The queries of the original's Grafana dashboard that must keep working (the project's spec,
 * "Dashboard queries that must keep working"), verbatim: the left column of docs/scaling.md's
 * table, whose right column writes them over N replicas.
 */
const SPEC_DASHBOARD_QUERIES = fleetQueries().map((row) => row.one);
assert.equal(SPEC_DASHBOARD_QUERIES.length, 9, "docs/scaling.md lists the spec's 9 queries");

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

/**
 * An instant query through Prometheus' HTTP API, at `time` (Unix seconds) or now: the result
 * vector (a scalar as one sample).
 */
async function query(origin: string, expr: string, time?: number): Promise<Sample[]> {
  const at = time === undefined ? "" : `&time=${time}`;
  const response = await fetch(`${origin}/api/v1/query?query=${encodeURIComponent(expr)}${at}`);
  const body = await response.json();
  if (body.status !== "success") {
    throw new Error(`query ${expr} failed: ${body.errorType}: ${body.error}`);
  }
  const { resultType, result } = body.data;
  return resultType === "scalar" ? [{ metric: {}, value: result }] : result;
}

/** The temp Prometheus config: the shipped plain job and rule files, scraping every second. */
function prometheusConfig(exporterPorts: number | readonly number[]): string {
  const ports = typeof exporterPorts === "number" ? [exporterPorts] : exporterPorts;
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
      static_configs: [{ targets: ports.map((port) => `127.0.0.1:${port}`) }],
    }],
  });
}

/** Waits until Prometheus scraped `records` received records, with at least 5 scrapes stored. */
async function untilScraped(origin: string, records: number, output: () => string) {
  const received = `dashstream_exporter_messages_received_total{job="${JOB}"}`;
  await until(async () => {
    const [last] = await query(origin, received);
    const [scrapes] = await query(origin, `count_over_time(${received}[1m])`);
    return Number(last?.value[1]) === records && Number(scrapes?.value[1]) >= 5;
  }, { message: () => `Prometheus did not scrape all ${records} records:\n${output()}` });
}

/** Recording rules that read `serve`'s per-partition series: no data under `replay --serve`. */
const CONSUMER_RULES = [
  "job_topic_partition:dashstream_exporter_kafka_partition_lag:max",
  "job_topic:dashstream_exporter_kafka_partition_assigned:count",
];

/** The per-partition series only `serve` exposes: dashboard queries reading them need a consumer. */
const CONSUMER_SERIES = /\bdashstream_exporter_kafka_partition_\w+/;

/**
 * Every query of the dashboard and of the spec's list returns a series with a finite value, and
 * every shipped rule is loaded and evaluates without error (recording rules with data; those of
 * {@linkcode CONSUMER_RULES} and the queries matching {@linkcode CONSUMER_SERIES} only when
 * `consumer` is true, i.e. `serve` is scraped).
 */
async function assertEveryQueryAnswers(origin: string, consumer: boolean): Promise<void> {
  // Rules evaluate every second; wait for one evaluation after the data is in.
  const evaluatedAfter = Date.now();
  await until(async () => {
    const body = await (await fetch(`${origin}/api/v1/rules`)).json();
    return body.data.groups.every((g: { lastEvaluation: string }) =>
      Date.parse(g.lastEvaluation) > evaluatedAfter
    );
  }, { message: () => "the rules were not evaluated" });

  const queries = [
    ...dashboardQueries().filter(({ expr }) => consumer || !CONSUMER_SERIES.test(expr)).map((
      { panel, expr },
    ) => ({
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
    if (finite.length === 0) empty.push(`${source}: ${expr} -> ${JSON.stringify(samples)}`);
  }
  assert.deepEqual(empty, [], `queries without data:\n${empty.join("\n")}`);

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
    if (rule.type === "recording" && (consumer || !CONSUMER_RULES.includes(rule.name))) {
      const samples = await query(origin, rule.name);
      assert.ok(samples.length > 0, `recording rule ${rule.name} has no data`);
    }
  }
}

prometheusTest(
  "a real Prometheus scraping replay --serve answers every dashboard query and rule",
  async () => {
    const dir = Deno.makeTempDirSync({ prefix: "deploy-prometheus-" });
    const exporterPort = freePort();
    let prometheus: Child | undefined;
    let exporter: Child | undefined;
    try {
      let origin: string;
      [origin, prometheus] = await startPrometheus(dir, { config: prometheusConfig(exporterPort) });
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
      await untilScraped(
        origin,
        SAMPLE_RECORDS,
        () => `${exporter!.output()}\n${prometheus!.output()}`,
      );
      await assertEveryQueryAnswers(origin, false);
    } finally {
      await exporter?.stop();
      await prometheus?.stop();
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

prometheusTest(
  "a real Prometheus scraping serve fed from Kafka answers every dashboard query and rule",
  () =>
    withTopicServe("deploy-dashboard", async ({ topic, dir, exporter }) => {
      let prometheus: Child | undefined;
      try {
        let origin: string;
        [origin, prometheus] = await startPrometheus(dir, {
          config: prometheusConfig(Number(new URL(exporter.url).port)),
        });
        const output = () => `${exporter.stderr()}\n${prometheus!.output()}`;
        await until(
          async () => Number((await query(origin, `up{job="${JOB}"}`))[0]?.value[1]) === 1,
          {
            message: () => `Prometheus does not scrape serve:\n${output()}`,
          },
        );
        // Batches produced one after another, each scraped before the next: the counters move
        // across scrapes, as in production.
        const records = sampleRecords(300, { seed: 14 });
        let sent = 0;
        for (let batch = 0; batch < 6; batch++) {
          await produce(topic, records.slice(sent, sent + 50));
          sent += 50;
          await untilScraped(origin, sent, output);
        }
        await until(
          async () =>
            Number((await query(origin, "dashstream_turns_by_session_count"))[0]?.value[1]) > 0,
          { message: () => `no session observed:\n${output()}` },
        );
        await assertEveryQueryAnswers(origin, true);
        // The lag panel draws one line per partition of the topic.
        const lag = dashboardQueries().find(({ panel }) => panel === "Consumer lag by partition");
        assert.ok(lag, "the dashboard has a lag panel per partition");
        const lines = await query(origin, grafanaSubstitute(lag.expr));
        assert.deepEqual(
          lines.map((s) => `${s.metric.topic}/${s.metric.partition}`).sort(),
          [`${topic}/0`, `${topic}/1`],
        );
      } finally {
        await prometheus?.stop();
      }
    }, {
      env: {
        KAFKA_LAG_CHECK_INTERVAL_SECS: "1",
        // Sessions idle for a second are observed, so turns per session has data soon.
        PROMETHEUS_SESSION_TIMEOUT_SECS: "1",
      },
      topic: { partitions: 2 },
    }),
  { kafka: true },
);

/**
 * Compares each panel of docs/scaling.md's table over the fleet with one instance fed the same
 * records, each queried at one instant from its own Prometheus.
 *
 * `rate()` extrapolates a target's increase from its own first and last samples in the window to
 * the window's ends. Every series read here exists at 0 from the first scrape of its target (the
 * test waits for it before producing), so the increase is the whole count and only the end is
 * extrapolated: by at most 1.1 average scrape intervals, so each target's rate is its exact one
 * times a factor in [1, 1 + ε], ε = 1.1 / (samples in the window - 1). The factor is per target
 * (it depends on when that target was scraped): within one target it is the same for every
 * series and cancels in a ratio, over three targets it does not. So a sum of rates, or a ratio of
 * sums of rates, over the fleet is within a relative ε of one instance's; a quantile over the
 * fleet lies between one instance's quantiles at q / (1 + ε) and q · (1 + ε) (the fleet's
 * cumulative bucket fractions are within a factor 1 + ε of the exact ones). A query without
 * `rate()` reads the counters as scraped: exact (up to the order of a float sum).
 */
async function assertFleetEqualsOne(
  fleet: string,
  options: { one: string; output: () => string },
): Promise<void> {
  const { one } = options;
  // 40 samples per target at least (ε under 3 %): the tolerance shrinks as scrapes accumulate.
  const samples = `min(count_over_time(dashstream_exporter_messages_received_total[5m]))`;
  const count = async (origin: string) => Number((await query(origin, samples))[0]?.value[1]);
  await until(async () => await count(fleet) >= 40 && await count(one) >= 40, {
    message: () => `fewer than 40 scrapes of each target:\n${options.output()}`,
  });
  // Both servers queried at the same instant, after the last record was scraped.
  const time = Date.now() / 1000;
  const at = async (origin: string, expr: string) => {
    const samples = await query(origin, expr, time);
    assert.equal(samples.length, 1, `${expr} at ${origin}: ${JSON.stringify(samples)}`);
    const value = Number(samples[0].value[1]);
    assert.ok(Number.isFinite(value), `${expr} at ${origin}: ${value}\n${options.output()}`);
    return value;
  };
  const n = Math.min(await at(fleet, samples), await at(one, samples));
  const epsilon = 1.1 / (n - 1);
  const rows = fleetQueries();
  const report: string[] = [];
  for (const row of rows) {
    const overFleet = await at(fleet, row.fleet);
    const overOne = await at(one, row.fleet);
    const close = (a: number, b: number, relative: number) =>
      Math.abs(a - b) <= relative * Math.abs(b) + 1e-12;
    report.push(`${row.panel}: fleet ${overFleet}, one ${overOne}`);
    if (!row.fleet.includes("rate(")) {
      assert.ok(close(overFleet, overOne, 1e-12), `${row.panel}: ${overFleet} != ${overOne}`);
    } else if (row.fleet.startsWith("histogram_quantile(")) {
      const q = Number(row.fleet.match(/^histogram_quantile\(([\d.]+),/)![1]);
      const withQ = (x: number) => row.fleet.replace(`(${q},`, `(${Math.min(1, x)},`);
      const low = await at(one, withQ(q / (1 + epsilon)));
      const high = await at(one, withQ(q * (1 + epsilon)));
      assert.ok(
        overFleet >= low * (1 - 1e-12) && overFleet <= high * (1 + 1e-12),
        `${row.panel}: ${overFleet} not within one instance's [${low}, ${high}] (ε ${epsilon})`,
      );
    } else {
      assert.ok(
        close(overFleet, overOne, epsilon),
        `${row.panel}: ${overFleet} != ${overOne} within ε ${epsilon}`,
      );
    }
    // Where the original's query already means the fleet's (a sum, or one series summed), it
    // gives one instance's value as it is.
    if (row.fleet === row.one || row.fleet === `sum(${row.one})`) {
      assert.equal(await at(one, row.one), overOne, `${row.panel}: the original's query`);
    }
  }
  console.log(`${n} samples per target, ε ${epsilon.toFixed(4)}\n${report.join("\n")}`);
}

prometheusTest(
  "a real Prometheus scraping three serve replicas of one group sums them to one instance, panel by panel",
  async () => {
    await withTopic("deploy-fleet", async (topic) => {
      const dir = Deno.makeTempDirSync({ prefix: "deploy-prometheus-fleet-" });
      Deno.mkdirSync(`${dir}/one`);
      const env = {
        KAFKA_TOPIC: topic,
        KAFKA_GROUP_ID: topic,
        KAFKA_LAG_CHECK_INTERVAL_SECS: "1",
        PROMETHEUS_SESSION_TIMEOUT_SECS: "1",
      };
      const replicas: ExporterProcess[] = [];
      let single: ExporterProcess | undefined;
      let prometheus: Child | undefined;
      let prometheusOne: Child | undefined;
      try {
        for (let i = 0; i < 3; i++) replicas.push(await startServe(env));
        // One instance in a group of its own, fed the same records, its own Prometheus.
        single = await startServe({ ...env, KAFKA_GROUP_ID: `${topic}-one` });
        let origin: string;
        let originOne: string;
        [origin, prometheus] = await startPrometheus(dir, {
          config: prometheusConfig(replicas.map((r) => Number(new URL(r.url).port))),
        });
        [originOne, prometheusOne] = await startPrometheus(`${dir}/one`, {
          config: prometheusConfig(Number(new URL(single.url).port)),
        });
        const output = () =>
          `${[...replicas, single!].map((r) => r.stderr()).join("\n---\n")}\n${
            prometheus!.output()
          }\n${prometheusOne!.output()}`;
        const value = async (expr: string, at = origin) =>
          Number((await query(at, expr))[0]?.value[1]);
        // Each of the 6 partitions exposed once, by the replica that holds it; the single instance
        // holds them all. Scraped so before any record: every counter's first sample is 0.
        await until(
          async () =>
            await value(`count(dashstream_exporter_kafka_partition_assigned{job="${JOB}"})`) ===
              6 &&
            await value(
                `count(count by (instance) (dashstream_exporter_kafka_partition_assigned))`,
              ) === 3 &&
            await value(`count(dashstream_exporter_kafka_partition_assigned)`, originOne) === 6,
          { message: () => `the three replicas do not share the 6 partitions:\n${output()}` },
        );
        const records = sampleRecords(600, { seed: 15 });
        const received = `sum(dashstream_exporter_messages_received_total{job="${JOB}"})`;
        // In batches, each scraped (by both) before the next: the counters move across scrapes.
        for (let sent = 0; sent < records.length; sent += 50) {
          await produce(topic, records.slice(sent, sent + 50));
          const total = Math.min(sent + 50, records.length);
          await until(
            async () =>
              await value(received) === total && await value(received, originOne) === total,
            { message: () => `Prometheus did not see ${total} records received:\n${output()}` },
          );
        }
        // Summed over the replicas in Prometheus: one process's counts, exact.
        const { core } = newTestCore();
        for (const record of records) applyRecord(core, record.value);
        const one = await scrape(core);
        for (
          const name of [
            "dashstream_quality_monitor_queries_total",
            "dashstream_quality_monitor_queries_passed_total",
            "dashstream_quality_monitor_quality_score_count_total",
            "dashstream_query_latency_ms_count",
          ]
        ) {
          assert.equal(await value(`sum(${name}{job="${JOB}"})`), one.get(name), name);
        }
        const mean = (name: string) =>
          `sum(${name}_sum_total{job="${JOB}"}) / sum(${name}_count_total{job="${JOB}"})`;
        const score = "dashstream_quality_monitor_quality_score";
        const fleetMean = await value(mean(score));
        const oneMean = one.get(`${score}_sum_total`)! / one.get(`${score}_count_total`)!;
        assert.ok(Math.abs(fleetMean - oneMean) < 1e-12, `fleet mean ${fleetMean} != ${oneMean}`);
        await until(
          async () =>
            await value(`max(job_topic_partition:dashstream_exporter_kafka_partition_lag:max)`) ===
              0 &&
            await value(`sum(job_topic:dashstream_exporter_kafka_partition_assigned:count)`) === 6,
          { message: () => `the fleet rules did not show 6 owned partitions at lag 0` },
        );
        await until(
          async () => await value("sum(dashstream_turns_by_session_count)") > 0,
          { message: () => `no session observed:\n${output()}` },
        );
        await assertEveryQueryAnswers(origin, true);

        // Every panel of the original's dashboard, written over replicas as docs/scaling.md
        // says: the same values as one instance fed the same records, at one instant.
        await assertFleetEqualsOne(origin, { one: originOne, output });
      } finally {
        await prometheus?.stop();
        await prometheusOne?.stop();
        await single?.stop();
        for (const replica of replicas) await replica.stop();
        Deno.removeSync(dir, { recursive: true });
      }
    }, { partitions: 6 });
  },
  { kafka: true },
);

prometheusTest(
  "the shipped plain, TLS and basic auth scrape jobs each scrape a serve protected that way",
  async () => {
    const pki = await testPki();
    const dir = Deno.makeTempDirSync({ prefix: "deploy-scrape-" });
    const password = `scrape-${crypto.randomUUID()}`;
    Deno.writeTextFileSync(`${dir}/password`, password);
    const tls =
      `tls_server_config:\n  cert_file: ${pki}/broker.crt\n  key_file: ${pki}/broker.key\n`;
    Deno.writeTextFileSync(`${dir}/tls.yml`, tls);
    Deno.writeTextFileSync(
      `${dir}/basic.yml`,
      `${tls}basic_auth_users:\n  prometheus: ${bcrypt.hashSync(password, 4)}\n`,
    );
    // serve keeps serving /metrics while it retries an unreachable broker.
    const env = { KAFKA_BROKERS: "127.0.0.1:1" };
    const exporters: ExporterProcess[] = [];
    let prometheus: Child | undefined;
    try {
      const byJob: Record<string, string[]> = {
        "dashstream-quality": [],
        "dashstream-quality-tls": ["--web.config.file", `${dir}/tls.yml`],
        "dashstream-quality-basic-auth": ["--web.config.file", `${dir}/basic.yml`],
      };
      const targets: Record<string, string> = {};
      for (const [job, args] of Object.entries(byJob)) {
        const exporter = await startServe(env, args);
        exporters.push(exporter);
        targets[job] = new URL(exporter.url).host;
      }
      assert.ok(exporters[2].url.startsWith("https:"));
      const shipped = parse(Deno.readTextFileSync(`${DEPLOY}prometheus/prometheus.yml`));
      const jobs = shipped.scrape_configs as Record<string, unknown>[];
      assert.deepEqual(jobs.map((j) => j.job_name).sort(), Object.keys(byJob).sort());
      // The shipped jobs as they are, but for the addresses and the files of this test.
      const scrapeConfigs = jobs.map((job) => {
        const tlsConfig = job.tls_config as Record<string, string> | undefined;
        const basicAuth = job.basic_auth as Record<string, string> | undefined;
        return {
          ...job,
          scrape_interval: "1s",
          static_configs: [{ targets: [targets[job.job_name as string]] }],
          ...(tlsConfig && { tls_config: { ...tlsConfig, ca_file: `${pki}/ca.crt` } }),
          ...(basicAuth && { basic_auth: { ...basicAuth, password_file: `${dir}/password` } }),
        };
      });
      let origin: string;
      [origin, prometheus] = await startPrometheus(dir, {
        config: stringify({ global: { scrape_interval: "1s" }, scrape_configs: scrapeConfigs }),
      });
      let health: unknown;
      await until(async () => {
        const body = await (await fetch(`${origin}/api/v1/targets`)).json();
        const active = body.data.activeTargets as { labels: { job: string }; health: string }[];
        health = active.map((
          t,
        ) => [t.labels.job, t.health, (t as { lastError?: string }).lastError]);
        return active.length === 3 && active.every((t) => t.health === "up");
      }, {
        message: () => `not every job scrapes: ${JSON.stringify(health)}\n${prometheus!.output()}`,
      });
      for (const job of Object.keys(byJob)) {
        const samples = await query(origin, `dashflow_build_info{job="${job}"}`);
        assert.equal(samples.length, 1, `${job} scraped the exporter's series`);
      }
    } finally {
      await prometheus?.stop();
      for (const exporter of exporters) await exporter.stop();
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
