import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { type ReplayConfig, resolveReplayConfig } from "./config.ts";
import { testResolveCases } from "../../tests/support/assert_cases.ts";
import { assertThrowsMatch } from "../../tests/support/assert_throws.ts";

/** What replay resolves to without flags; the other modes' configs add to it. */
const PRINT: ReplayConfig = {
  mode: "print",
  format: "auto",
  skipBad: false,
  ratePerSecond: undefined,
  maxPayloadBytes: 10 * 1024 * 1024,
  nativeHistograms: { enabled: true, bucketFactor: 1.1, maxBuckets: 160 },
};

// Each mode's flags and env vars in, its whole config out.
testResolveCases(
  "resolveReplayConfig()",
  resolveReplayConfig,
  [
    {
      name: "defaults to printing, format auto, full speed",
      flags: {},
      env: { METRICS_PORT: "1", KAFKA_TOPIC: "live" },
      expected: PRINT,
    },
    {
      name: "reads --serve's port and bind like serve",
      flags: { serve: true, rate: "2.5" },
      env: { METRICS_PORT: "9999", DASHSTREAM_MAX_PAYLOAD_BYTES: "4096" },
      expected: {
        ...PRINT,
        mode: "serve",
        ratePerSecond: 2.5,
        maxPayloadBytes: 4096,
        http: { addresses: [{ port: 9999, bind: "0.0.0.0" }], telemetryPath: "/metrics" },
      },
    },
    {
      name: "takes --to-kafka's topic from --topic, not KAFKA_TOPIC",
      flags: { toKafka: true, topic: "replayed" },
      env: { KAFKA_BROKERS: "kafka:9092", KAFKA_TOPIC: "live" },
      expected: {
        ...PRINT,
        mode: "kafka",
        kafka: {
          connection: { brokers: ["kafka:9092"], addressFamily: 0 },
          topic: "replayed",
          createTopic: false,
        },
      },
    },
  ],
);

Deno.test("resolveReplayConfig() reads --serve's port 0", () => {
  assert.deepEqual(resolveReplayConfig({ serve: true, port: "0" }, {}).http?.addresses[0].port, 0);
});

Deno.test("resolveReplayConfig() reads Kafka security settings with --to-kafka only", () => {
  const env = { KAFKA_SECURITY_PROTOCOL: "ssl" };
  assert.equal(resolveReplayConfig({}, env).kafka, undefined);
  const config = resolveReplayConfig({ toKafka: true, topic: "t" }, env);
  assert.equal(config.kafka?.connection.security?.protocol, "ssl");
});

Deno.test("resolveReplayConfig() needs an explicit --topic for --to-kafka", () => {
  const creating = resolveReplayConfig(
    { toKafka: true, topic: "replayed", createTopic: true, partitions: "3" },
    {},
  );
  assert.equal(creating.kafka?.createTopic, true);
  assert.equal(creating.kafka?.partitions, 3);
  assert.throws(
    () => resolveReplayConfig({ toKafka: true }, { KAFKA_TOPIC: "live" }),
    /--to-kafka needs --topic T/,
  );
});

for (
  const [flags, message] of [
    [{ serve: true, toKafka: true }, /cannot be combined/],
    [{ bind: "127.0.0.1" }, /--bind applies to --serve only/],
    [{ serve: true, brokers: "a:1" }, /--brokers applies to --to-kafka only/],
    [{ sslCa: "ca.pem" }, /--ssl-ca applies to --to-kafka only/],
    [{ rate: "-3" }, /Invalid --rate '-3'/],
    [{ rate: "1e3" }, /Invalid --rate '1e3'/],
    [{ format: "csv" }, /Invalid --format 'csv'/],
    [{ toKafka: true, topic: "bad topic" }, /Invalid --topic 'bad topic'/],
    [{ serve: true, port: "http" }, /Invalid --port 'http'/],
  ] as const
) {
  Deno.test(`resolveReplayConfig() rejects ${JSON.stringify(flags)}`, () => {
    assertThrowsMatch(() => resolveReplayConfig(flags, {}), { type: UsageError, message });
  });
}
