import assert from "node:assert/strict";
import { parseListenAddress, parseTelemetryPath, resolveMetricsListen } from "./metrics_listen.ts";

const source = { source: "--web.listen-address" };

Deno.test("parseListenAddress() takes :port, host:port and [v6]:port", () => {
  assert.deepEqual(parseListenAddress(":9190", source), { bind: "0.0.0.0", port: 9190 });
  assert.deepEqual(parseListenAddress("127.0.0.1:9191", source), { bind: "127.0.0.1", port: 9191 });
  assert.deepEqual(parseListenAddress("[::1]:9190", source), { bind: "::1", port: 9190 });
  assert.deepEqual(parseListenAddress("[::]:0", source), { bind: "::", port: 0 });
  assert.deepEqual(parseListenAddress("localhost:9190", source), { bind: "localhost", port: 9190 });
});

for (
  const bad of ["9190", "::1:9190", "[127.0.0.1]:9190", "host:9190", "1.2.3.4:99999", ":", "[::1]"]
) {
  Deno.test(`parseListenAddress() rejects '${bad}' with the forms it takes`, () => {
    assert.throws(
      () => parseListenAddress(bad, source),
      /Invalid --web.listen-address '.*': expected host:port \(e\.g\. :9190, 127\.0\.0\.1:9190 or \[::1\]:9190\)/,
    );
  });
}

Deno.test("parseTelemetryPath() takes an absolute path other than the handler's own", () => {
  const options = { source: "--web.telemetry-path" };
  assert.equal(parseTelemetryPath("/m", options), "/m");
  assert.equal(parseTelemetryPath("/probe/metrics", options), "/probe/metrics");
  for (const bad of ["metrics", "/", "/-/ready", "/-/healthy", "/m?x=1", "/a b"]) {
    assert.throws(() => parseTelemetryPath(bad, options), /Invalid --web.telemetry-path/, bad);
  }
});

Deno.test("resolveMetricsListen(): --web.listen-address replaces --port/--bind and their env vars", () => {
  const env = { METRICS_PORT: "9999", METRICS_BIND_IP: "127.0.0.1" };
  assert.deepEqual(resolveMetricsListen({ webListenAddress: [":1", "[::1]:2"] }, env), {
    addresses: [{ bind: "0.0.0.0", port: 1 }, { bind: "::1", port: 2 }],
    telemetryPath: "/metrics",
  });
  assert.deepEqual(resolveMetricsListen({ webTelemetryPath: "/m" }, env), {
    addresses: [{ bind: "127.0.0.1", port: 9999 }],
    telemetryPath: "/m",
  });
  assert.throws(
    () => resolveMetricsListen({ webListenAddress: [":1"], bind: "::" }, {}),
    /--bind cannot be combined with --web.listen-address/,
  );
});
