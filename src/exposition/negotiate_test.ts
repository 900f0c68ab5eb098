import assert from "node:assert/strict";
import { acceptsGzip, negotiateFormat, wantsOpenMetrics } from "./negotiate.ts";
import { assertCases } from "../../tests/support/assert_cases.ts";

/** The Accept header Prometheus sends when OpenMetrics is enabled. */
const PROMETHEUS_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;" +
  "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
/** A low-weighted OpenMetrics entry after text. */
const LOW_OPENMETRICS = "text/plain; q=1, application/openmetrics-text; q=0.2";

Deno.test("wantsOpenMetrics() takes an OpenMetrics entry with a q above 0", () => {
  assertCases(wantsOpenMetrics, [
    [PROMETHEUS_ACCEPT, true],
    [LOW_OPENMETRICS, true],
    ["application/openmetrics-text;q=0", false],
    ["text/plain;version=0.0.4;q=1,*/*;q=0.1", false],
    ["", false],
    [null, false],
  ]);
});

Deno.test("acceptsGzip() takes gzip or * with a q above 0", () => {
  assertCases(acceptsGzip, [
    ["gzip", true],
    ["br, gzip;q=0.5", true],
    ["*", true],
    ["gzip;q=0", false],
    ["identity, br", false],
    [null, false],
  ]);
});

Deno.test("wantsOpenMetrics(): the format query parameter overrides Accept (a link cannot set it)", () => {
  assert.equal(wantsOpenMetrics(null, "openmetrics"), true);
  assert.equal(wantsOpenMetrics("application/openmetrics-text", "text"), false);
  assert.equal(wantsOpenMetrics("application/openmetrics-text", null), true);
  assert.equal(wantsOpenMetrics(null, "other"), false);
});

Deno.test("negotiateFormat() picks protobuf by q-values as Prometheus sends them", () => {
  // Prometheus 2.42 with --enable-feature=native-histograms.
  const prom242 = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" +
    "encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8," +
    "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  assert.equal(negotiateFormat(prom242), "protobuf");
  const weighted = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" +
    "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1";
  assert.equal(negotiateFormat(weighted), "protobuf");
  // Prometheus 3.x, scrape_protocols with OpenMetrics first: OpenMetrics.
  const prom3 = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6," +
    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" +
    "encoding=delimited;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
  assert.equal(negotiateFormat(prom3), "openmetrics");
  assert.equal(negotiateFormat("text/plain;q=0.9,application/vnd.google.protobuf;q=0.5"), "text");
  assert.equal(
    negotiateFormat(
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" +
        "encoding=text",
    ),
    "text",
  );
  assert.equal(negotiateFormat("application/vnd.google.protobuf;q=0"), "text");
  // Without a protobuf entry, the choice is wantsOpenMetrics()'s.
  assert.equal(negotiateFormat(PROMETHEUS_ACCEPT), "openmetrics");
  assert.equal(negotiateFormat(LOW_OPENMETRICS), "openmetrics");
  assert.equal(negotiateFormat(null), "text");
  assert.equal(negotiateFormat(null, "protobuf"), "protobuf");
  assert.equal(negotiateFormat(prom242, "text"), "text");
  assert.equal(negotiateFormat(prom242, "openmetrics"), "openmetrics");
});
