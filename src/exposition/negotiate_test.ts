import assert from "node:assert/strict";
import { acceptsGzip, wantsOpenMetrics } from "./negotiate.ts";

Deno.test("wantsOpenMetrics() takes an OpenMetrics entry with a q above 0", () => {
  const prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;" +
    "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  assert.equal(wantsOpenMetrics(prometheus), true);
  assert.equal(wantsOpenMetrics("text/plain; q=1, application/openmetrics-text; q=0.2"), true);
  assert.equal(wantsOpenMetrics("application/openmetrics-text;q=0"), false);
  assert.equal(wantsOpenMetrics("text/plain;version=0.0.4;q=1,*/*;q=0.1"), false);
  assert.equal(wantsOpenMetrics(""), false);
  assert.equal(wantsOpenMetrics(null), false);
});

Deno.test("acceptsGzip() takes gzip or * with a q above 0", () => {
  assert.equal(acceptsGzip("gzip"), true);
  assert.equal(acceptsGzip("br, gzip;q=0.5"), true);
  assert.equal(acceptsGzip("*"), true);
  assert.equal(acceptsGzip("gzip;q=0"), false);
  assert.equal(acceptsGzip("identity, br"), false);
  assert.equal(acceptsGzip(null), false);
});

Deno.test("wantsOpenMetrics(): the format query parameter overrides Accept (a link cannot set it)", () => {
  assert.equal(wantsOpenMetrics(null, "openmetrics"), true);
  assert.equal(wantsOpenMetrics("application/openmetrics-text", "text"), false);
  assert.equal(wantsOpenMetrics("application/openmetrics-text", null), true);
  assert.equal(wantsOpenMetrics(null, "other"), false);
});
