import assert from "node:assert/strict";
import {
  defaultBuckets,
  parseBuckets,
  parseSessionTimeoutSecs,
  readMetricsConfig,
} from "./buckets.ts";
import { BUCKET_ENV_VARS, DEFAULT_BUCKETS } from "./catalog.ts";
import { UsageError } from "../errors.ts";
import { readMetricsConfigWarnings } from "../../tests/support/metrics_core.ts";

const DEFAULTS = [1, 2, 5];

function parseWithWarnings(raw: string | undefined): { bounds: number[]; warnings: string[] } {
  const warnings: string[] = [];
  const bounds = parseBuckets(raw, DEFAULTS, {
    name: "PROMETHEUS_TEST_BUCKETS",
    warn: (m) => warnings.push(m),
  });
  return { bounds, warnings };
}

Deno.test("parseBuckets() returns the defaults silently when unset", () => {
  const { bounds, warnings } = parseWithWarnings(undefined);
  assert.deepEqual(bounds, DEFAULTS);
  assert.notEqual(bounds, DEFAULTS, "a copy, so callers cannot change the defaults");
  assert.deepEqual(warnings, []);
});

Deno.test("parseBuckets() reads comma-separated numbers", () => {
  const table: Array<[string, number[]]> = [
    ["10,50,100", [10, 50, 100]],
    [" 0.1 , 0.5,1 ", [0.1, 0.5, 1]],
    ["-1,0,1e3", [-1, 0, 1000]],
    ["+.5,2.,3E1", [0.5, 2, 30]],
    ["42", [42]],
    // The original's reading: a last bound of inf is the +Inf bucket every histogram has.
    ["1,2,inf", [1, 2]],
    ["1, 2, +Infinity", [1, 2]],
    ["1,INF", [1]],
    ["1,1e999", [1]],
    ["inf", []],
  ];
  for (const [raw, expected] of table) {
    const { bounds, warnings } = parseWithWarnings(raw);
    assert.deepEqual(bounds, expected, raw);
    assert.deepEqual(warnings, [], raw);
  }
});

Deno.test("parseBuckets() falls back to the defaults and warns on bad values", () => {
  const bad = [
    "",
    "   ",
    "abc",
    "1,2,abc",
    "1,,2",
    "1,2,",
    "0x10",
    "1;2;3",
    "infinite",
  ];
  for (const raw of bad) {
    const { bounds, warnings } = parseWithWarnings(raw);
    assert.deepEqual(bounds, DEFAULTS, raw);
    assert.equal(warnings.length, 1, raw);
    const [warning] = warnings;
    assert.ok(warning.includes("PROMETHEUS_TEST_BUCKETS"), `names the variable: ${warning}`);
    assert.ok(warning.includes(JSON.stringify(raw)), `names the value: ${warning}`);
    assert.ok(warning.includes("using the default 1,2,5"), `names the default: ${warning}`);
  }
});

Deno.test("parseBuckets() explains why a value was rejected", () => {
  assert.match(parseWithWarnings("").warnings[0], /it is empty/);
  assert.match(parseWithWarnings("1,x").warnings[0], /"x" is not a number/);
});

Deno.test("parseBuckets() refuses an order the original exits on, NaN and -inf: usage errors", () => {
  const table: Array<[string, RegExp]> = [
    ["10,5", /5 does not increase on 10/],
    ["1,2,2", /2 does not increase on 2/],
    ["1,inf,5", /5 does not increase on Infinity/],
    ["1,NaN", /NaN is no bucket bound/],
    ["-inf,0", /-inf is no bucket bound/],
  ];
  for (const [raw, reason] of table) {
    assert.throws(() => parseWithWarnings(raw), UsageError, raw);
    assert.throws(() => parseWithWarnings(raw), reason, raw);
    assert.throws(
      () => parseWithWarnings(raw),
      new RegExp(
        `Invalid PROMETHEUS_TEST_BUCKETS ${JSON.stringify(JSON.stringify(raw)).slice(1, -1)}`,
      ),
      raw,
    );
  }
});

Deno.test("parseBuckets() works without a warn callback", () => {
  assert.deepEqual(parseBuckets("junk", [3], { name: "X" }), [3]);
});

Deno.test("parseSessionTimeoutSecs() reads whole seconds, 0 included, else a usage error", () => {
  const parse = (raw: string | undefined) =>
    parseSessionTimeoutSecs(raw, { name: "PROMETHEUS_SESSION_TIMEOUT_SECS" });
  assert.equal(parse(undefined), 300);
  assert.equal(parse("60"), 60);
  assert.equal(parse(" 1 "), 1);
  assert.equal(parse("0"), 0);
  assert.equal(parse("+5"), 5);
  assert.equal(parse(" "), 300, "blank counts as unset");
  for (const raw of ["-5", "1.5", "abc", "1e3", "99999999999999999999"]) {
    assert.throws(() => parse(raw), UsageError, raw);
    assert.throws(
      () => parse(raw),
      new RegExp(`Invalid PROMETHEUS_SESSION_TIMEOUT_SECS "${raw}": expected a whole number`),
      raw,
    );
  }
});

Deno.test("readMetricsConfig() reads every bucket variable and the session timeout", () => {
  const { config, warnings } = readMetricsConfigWarnings({
    PROMETHEUS_LATENCY_BUCKETS_MS: "1,2,3",
    PROMETHEUS_RETRY_BUCKETS: "0,1",
    PROMETHEUS_QUALITY_SCORE_BUCKETS: "0.5,1",
    PROMETHEUS_SESSION_TURN_BUCKETS: "1,10",
    PROMETHEUS_DURATION_BUCKETS_SECONDS: "0.1,1",
    PROMETHEUS_METRICS_ENDPOINT_BUCKETS: "0.01,0.1",
    PROMETHEUS_SESSION_TIMEOUT_SECS: "30",
    UNRELATED: "x",
  });
  assert.deepEqual(config, {
    buckets: {
      latencyMs: [1, 2, 3],
      retry: [0, 1],
      qualityScore: [0.5, 1],
      sessionTurns: [1, 10],
      durationSeconds: [0.1, 1],
      metricsEndpointSeconds: [0.01, 0.1],
    },
    sessionTimeoutSecs: 30,
  });
  assert.deepEqual(warnings, []);
});

Deno.test("readMetricsConfig() uses defaults for unset variables and warns once per bad one", () => {
  const { config, warnings } = readMetricsConfigWarnings({
    PROMETHEUS_LATENCY_BUCKETS_MS: "100,fifty",
    PROMETHEUS_RETRY_BUCKETS: "",
  });
  assert.deepEqual(config.buckets, defaultBuckets());
  assert.equal(config.sessionTimeoutSecs, 300);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /^PROMETHEUS_LATENCY_BUCKETS_MS="100,fifty"/);
  assert.match(warnings[1], /^PROMETHEUS_RETRY_BUCKETS=""/);
  assert.throws(
    () => readMetricsConfig({ PROMETHEUS_LATENCY_BUCKETS_MS: "100,50" }),
    /Invalid PROMETHEUS_LATENCY_BUCKETS_MS "100,50": 50 does not increase on 100/,
  );
  assert.throws(
    () => readMetricsConfig({ PROMETHEUS_SESSION_TIMEOUT_SECS: "soon" }),
    /Invalid PROMETHEUS_SESSION_TIMEOUT_SECS "soon"/,
  );
  assert.deepEqual(readMetricsConfig({}), { buckets: defaultBuckets(), sessionTimeoutSecs: 300 });
});

Deno.test("defaultBuckets() copies the catalog defaults", () => {
  const buckets = defaultBuckets();
  assert.deepEqual(Object.keys(buckets).sort(), Object.keys(BUCKET_ENV_VARS).sort());
  buckets.latencyMs.push(99999);
  assert.equal(DEFAULT_BUCKETS.latencyMs.includes(99999), false);
});
