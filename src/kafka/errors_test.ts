import assert from "node:assert/strict";
import { describeKafkaError } from "./errors.ts";

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
