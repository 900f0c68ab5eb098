import assert from "node:assert/strict";
import { TokenBuckets } from "./token_buckets.ts";

Deno.test("TokenBuckets allows a burst, then the rate, per key", () => {
  let now = 0;
  const buckets = new TokenBuckets({ ratePerSecond: 2, burst: 3, now: () => now });
  assert.deepEqual([1, 2, 3, 4].map(() => buckets.take("a")), [true, true, true, false]);
  assert.equal(buckets.take("b"), true, "each key has its own bucket");
  now += 500;
  assert.equal(buckets.take("a"), true, "one token back after 1/rate s");
  assert.equal(buckets.take("a"), false);
  now += 60_000;
  assert.deepEqual([1, 2, 3, 4].map(() => buckets.take("a")), [true, true, true, false]);
});

Deno.test("TokenBuckets forgets the least recent key beyond maxKeys", () => {
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1, maxKeys: 2, now: () => 0 });
  assert.equal(buckets.take("a"), true);
  assert.equal(buckets.take("b"), true);
  assert.equal(buckets.take("c"), true, "a is forgotten");
  assert.equal(buckets.take("a"), true, "a full bucket again");
  assert.equal(buckets.take("c"), false);
});
