import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { resolveServeConfig } from "./config.ts";
import { assertThrowsMatch } from "../../tests/support/assert_throws.ts";

Deno.test("resolveServeConfig() uses the original exporter's defaults", () => {
  const config = resolveServeConfig({}, {});
  assert.deepEqual(config, {
    kafka: { brokers: ["localhost:9092"], addressFamily: 4 },
    topic: "dashstream-quality",
    groupId: "prometheus-exporter",
    autoOffsetReset: "earliest",
    addresses: [{ bind: "0.0.0.0", port: 9190 }],
    telemetryPath: "/metrics",
    maxPayloadBytes: 10 * 1024 * 1024,
    nativeHistograms: { enabled: true, bucketFactor: 1.1, maxBuckets: 160 },
    lagIntervalMs: 10_000,
    maxRequests: 40,
    maxConnections: 512,
  });
});

Deno.test("resolveServeConfig() reads the native histogram flags, then their env vars", () => {
  const env = {
    PROMETHEUS_NATIVE_HISTOGRAMS: "off",
    PROMETHEUS_NATIVE_HISTOGRAM_BUCKET_FACTOR: "2",
    PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS: "40",
  };
  assert.deepEqual(resolveServeConfig({}, env).nativeHistograms, {
    enabled: false,
    bucketFactor: 2,
    maxBuckets: 40,
  });
  const flags = {
    nativeHistograms: "on",
    nativeHistogramBucketFactor: "1.01",
    nativeHistogramMaxBuckets: "300",
  };
  assert.deepEqual(resolveServeConfig(flags, env).nativeHistograms, {
    enabled: true,
    bucketFactor: 1.01,
    maxBuckets: 300,
  });
  assert.throws(
    () => resolveServeConfig({ nativeHistogramBucketFactor: "1" }, {}),
    /--native-histogram-bucket-factor '1': expected a growth factor above 1/,
  );
  assert.throws(
    () => resolveServeConfig({}, { PROMETHEUS_NATIVE_HISTOGRAMS: "maybe" }),
    /PROMETHEUS_NATIVE_HISTOGRAMS 'maybe': expected one of on, off/,
  );
  assert.throws(
    () => resolveServeConfig({ nativeHistogramMaxBuckets: "0" }, {}),
    /--native-histogram-max-buckets '0'/,
  );
});

Deno.test("resolveServeConfig() bounds HTTP requests in flight: --web.max-requests, then env", () => {
  assert.equal(resolveServeConfig({}, { METRICS_MAX_REQUESTS: "8" }).maxRequests, 8);
  assert.equal(
    resolveServeConfig({ webMaxRequests: "3" }, { METRICS_MAX_REQUESTS: "8" }).maxRequests,
    3,
  );
  assert.equal(resolveServeConfig({ webMaxRequests: "0" }, {}).maxRequests, 0, "0: no limit");
  assert.throws(
    () => resolveServeConfig({}, { METRICS_MAX_REQUESTS: "-1" }),
    (error: unknown) =>
      error instanceof UsageError &&
      /Invalid METRICS_MAX_REQUESTS '-1': expected a positive integer/.test(error.message),
  );
});

Deno.test("resolveServeConfig() reads the original env vars", () => {
  const config = resolveServeConfig({}, {
    KAFKA_BROKERS: "kafka-1:9092, kafka-2:9093",
    KAFKA_TOPIC: "t",
    KAFKA_GROUP_ID: "g",
    KAFKA_AUTO_OFFSET_RESET: "LATEST",
    METRICS_PORT: "9999",
    METRICS_BIND_IP: "127.0.0.1",
    KAFKA_BROKER_ADDRESS_FAMILY: "v6",
    DASHSTREAM_MAX_PAYLOAD_BYTES: "2048",
    KAFKA_LAG_CHECK_INTERVAL_SECS: "2",
  });
  assert.deepEqual(config.kafka, { brokers: ["kafka-1:9092", "kafka-2:9093"], addressFamily: 6 });
  assert.equal(config.topic, "t");
  assert.equal(config.groupId, "g");
  assert.equal(config.autoOffsetReset, "latest");
  assert.deepEqual(config.addresses, [{ port: 9999, bind: "127.0.0.1" }]);
  assert.equal(config.telemetryPath, "/metrics");
  assert.equal(config.maxPayloadBytes, 2048);
  assert.equal(config.lagIntervalMs, 2000);
});

Deno.test("resolveServeConfig() lets flags win over env vars", () => {
  const config = resolveServeConfig(
    { brokers: "a:1", topic: "flag-topic", port: "0" },
    { KAFKA_BROKERS: "b:2", KAFKA_TOPIC: "env-topic", METRICS_PORT: "9190" },
  );
  assert.deepEqual(config.kafka.brokers, ["a:1"]);
  assert.equal(config.kafka.addressFamily, 0, "non-loopback brokers: any address family");
  assert.equal(config.topic, "flag-topic");
  assert.equal(config.addresses[0].port, 0);
});

Deno.test("resolveServeConfig() treats empty env vars as unset", () => {
  const config = resolveServeConfig({}, { KAFKA_BROKERS: "", METRICS_PORT: " " });
  assert.deepEqual(config.kafka.brokers, ["localhost:9092"]);
  assert.deepEqual(config.addresses, [{ port: 9190, bind: "0.0.0.0" }]);
});

for (
  const [env, expected] of [
    [{ METRICS_PORT: "abc" }, /Invalid METRICS_PORT 'abc': expected a port number/],
    [{ METRICS_PORT: "70000" }, /Invalid METRICS_PORT '70000'/],
    [{ KAFKA_BROKERS: "localhost" }, /Invalid KAFKA_BROKERS entry 'localhost': expected host:port/],
    [{ KAFKA_BROKERS: "h:0" }, /Invalid KAFKA_BROKERS entry 'h:0'/],
    [{ KAFKA_AUTO_OFFSET_RESET: "smallest" }, /expected one of earliest, latest/],
    [{ KAFKA_BROKER_ADDRESS_FAMILY: "v5" }, /expected any, v4 or v6/],
    [{ METRICS_BIND_IP: "not an ip" }, /Invalid METRICS_BIND_IP/],
    [{ DASHSTREAM_MAX_PAYLOAD_BYTES: "-1" }, /Invalid DASHSTREAM_MAX_PAYLOAD_BYTES '-1'/],
    [{ KAFKA_LAG_CHECK_INTERVAL_SECS: "0" }, /Invalid KAFKA_LAG_CHECK_INTERVAL_SECS/],
    [{ KAFKA_TOPIC: "bad topic" }, /Invalid KAFKA_TOPIC 'bad topic': a topic name is/],
  ] as const
) {
  Deno.test(`resolveServeConfig() rejects ${JSON.stringify(env)} with a usage error`, () => {
    assertThrowsMatch(() => resolveServeConfig({}, env), { type: UsageError, message: expected });
  });
}

Deno.test("resolveServeConfig() names the flag, not the env var, when a flag is bad", () => {
  assert.throws(
    () => resolveServeConfig({ port: "x" }, { METRICS_PORT: "9190" }),
    /Invalid --port 'x'/,
  );
});

Deno.test("resolveServeConfig() bounds open HTTP connections: --web.max-connections, then env", () => {
  assert.equal(resolveServeConfig({}, { METRICS_MAX_CONNECTIONS: "64" }).maxConnections, 64);
  assert.equal(
    resolveServeConfig({ webMaxConnections: "2" }, { METRICS_MAX_CONNECTIONS: "64" })
      .maxConnections,
    2,
  );
  assert.equal(resolveServeConfig({ webMaxConnections: "0" }, {}).maxConnections, 0, "0: none");
  assert.throws(
    () => resolveServeConfig({ webMaxConnections: "many" }, {}),
    (error: unknown) =>
      error instanceof UsageError && /--web.max-connections 'many'/.test(error.message),
  );
});
