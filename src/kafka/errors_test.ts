import assert from "node:assert/strict";
import { classifyKafkaError, describeKafkaError, formatKafkaFailure } from "./errors.ts";

Deno.test("describeKafkaError() names common connection failures", () => {
  const refused = Object.assign(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:1"), {
    code: "ECONNREFUSED",
  });
  assert.equal(describeKafkaError(refused), "connection refused");
  assert.equal(
    describeKafkaError(new Error("outer", { cause: new Error("getaddrinfo ENOTFOUND kafka") })),
    "host not found",
  );
  assert.equal(describeKafkaError(new Error("Connection timeout")), "connection timed out");
  assert.equal(
    describeKafkaError(new Error("This server does not host this topic-partition")),
    "topic not found",
  );
});

Deno.test("describeKafkaError() keeps an unknown error's message", () => {
  assert.equal(describeKafkaError(new Error("something odd")), "something odd");
  assert.equal(describeKafkaError("plain"), "plain");
});

Deno.test("classifyKafkaError() tells authentication, TLS and unreachable apart", () => {
  const sasl = {
    protocol: "sasl_ssl" as const,
    sasl: { mechanism: "PLAIN" as const, username: "u" },
  };
  const auth = classifyKafkaError(
    Object.assign(new Error("SASL PLAIN authentication failed: Invalid username or password"), {
      name: "KafkaJSSASLAuthenticationError",
    }),
    { security: sasl },
  );
  assert.equal(auth.kind, "authentication");
  assert.match(auth.reason, /^SASL PLAIN login refused: wrong username or password for user 'u'$/);
  const tls = classifyKafkaError(
    Object.assign(new Error("Connection error: certificate has expired"), {
      name: "KafkaJSConnectionError",
      code: "CERT_HAS_EXPIRED",
      broker: "kafka:9093",
    }),
  );
  assert.deepEqual(
    { kind: tls.kind, broker: tls.broker, probe: tls.probe },
    { kind: "tls", broker: "kafka:9093", probe: "certificate" },
  );
  const alert = classifyKafkaError(
    new Error("Connection error: received fatal alert: CertificateRequired"),
    { security: { protocol: "ssl", tls: { verifyHostname: true } } },
  );
  assert.match(alert.reason, /\(alert: certificate required\): it requires a client certificate/);
  const illegal = classifyKafkaError(
    Object.assign(new Error("Request is not valid given the current SASL state"), {
      type: "ILLEGAL_SASL_STATE",
    }),
    { security: sasl },
  );
  assert.equal(illegal.kind, "authentication");
  assert.match(illegal.fix ?? "", /KAFKA_SECURITY_PROTOCOL=ssl/);
  assert.equal(
    classifyKafkaError(new Error("connect ECONNREFUSED 1.2.3.4:9092")).kind,
    "unreachable",
  );
});

Deno.test("formatKafkaFailure() names the kind, the broker, the reason and the fix", () => {
  assert.equal(
    formatKafkaFailure({ kind: "tls", reason: "r", fix: "f", broker: "b:1" }, "a:1,b:1"),
    "TLS with Kafka at b:1 failed: r; f",
  );
  assert.equal(
    formatKafkaFailure({ kind: "unreachable", reason: "connection refused" }, "a:1"),
    "Cannot connect to Kafka at a:1: connection refused",
  );
});
