import assert from "node:assert/strict";
import { resolveAddressFamily } from "../kafka/client.ts";

Deno.test("resolveAddressFamily() picks v4 when every broker is loopback, any otherwise", () => {
  assert.equal(resolveAddressFamily(undefined, ["localhost:9092", "127.0.0.1:9093"]), 4);
  assert.equal(resolveAddressFamily(undefined, ["localhost:9092", "kafka:9092"]), 0);
  assert.equal(resolveAddressFamily("", ["kafka:9092"]), 0);
});

Deno.test("resolveAddressFamily() honours an explicit any/v4/v6 and rejects others", () => {
  assert.equal(resolveAddressFamily("ANY", ["localhost:9092"]), 0);
  assert.equal(resolveAddressFamily("v4", ["kafka:9092"]), 4);
  assert.equal(resolveAddressFamily("v6", ["kafka:9092"]), 6);
  assert.equal(resolveAddressFamily("ipv6", ["kafka:9092"]), undefined);
});
