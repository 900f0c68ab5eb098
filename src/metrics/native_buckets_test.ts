import assert from "node:assert/strict";
import {
  bucketIndex,
  bucketUpperBound,
  MIN_SCHEMA,
  NativeBuckets,
  schemaForFactor,
} from "./native_buckets.ts";

// The reference placement: the smallest i with v <= 2^(i·2^-schema).
function referenceIndex(v: number, schema: number): number {
  let i = Math.ceil(Math.log2(v) * 2 ** schema);
  while (bucketUpperBound(schema, i) < v) i++;
  while (bucketUpperBound(schema, i - 1) >= v) i--;
  return i + 0; // no -0
}

Deno.test("bucketIndex() places values as Math.log2 would, boundaries upper-inclusive", () => {
  const values = [1, 2, 4, 0.5, 0.75, 3, 1000, 1e-300, 1e300, 123.456, 0.001, 7, 8, 9];
  for (let i = 0; i < 2000; i++) values.push(Math.exp((Math.random() - 0.5) * 60));
  for (let schema = -4; schema <= 8; schema++) {
    for (const v of values) {
      assert.equal(bucketIndex(v, schema), referenceIndex(v, schema), `v=${v} schema=${schema}`);
    }
  }
  assert.equal(bucketIndex(1, 3), 0);
  assert.equal(bucketIndex(2, 3), 8);
  assert.equal(bucketIndex(2.0000001, 3), 9);
  assert.equal(bucketIndex(4, 0), 2);
  assert.equal(bucketIndex(5e-324, 0), -1074); // subnormal
  assert.equal(bucketIndex(5, 0), 3);
});

Deno.test("schemaForFactor() picks the coarsest schema within the factor", () => {
  assert.equal(schemaForFactor(1.1), 3);
  assert.equal(schemaForFactor(2), 0);
  assert.equal(schemaForFactor(1.0001), 8);
  assert.equal(schemaForFactor(1e9), MIN_SCHEMA);
  assert.throws(() => schemaForFactor(1), /above 1/);
});

Deno.test("NativeBuckets counts every value once: zero, positive and negative buckets", () => {
  const buckets = new NativeBuckets({ schema: 3, maxBuckets: 160, zeroThreshold: 2 ** -10 });
  for (const v of [0, 0.0001, 1, 1, 2, -3, 1000]) buckets.observe(v);
  const snap = buckets.snapshot();
  assert.equal(snap.zeroCount, 2);
  assert.equal(snap.schema, 3);
  assert.equal(snap.positive.offset, 0);
  assert.equal(snap.positive.counts[0], 2);
  assert.equal(snap.positive.counts[8], 1);
  assert.equal(snap.positive.counts.reduce((a, b) => a + b), 4);
  assert.deepEqual(snap.negative, { offset: bucketIndex(3, 3), counts: [1] });
});

Deno.test("NativeBuckets halves the resolution when the range exceeds the limit", () => {
  const buckets = new NativeBuckets({ schema: 3, maxBuckets: 20 });
  const values = [1, 1.5, 3, 100, 1e6, 0.01];
  for (const v of values) buckets.observe(v);
  const snap = buckets.snapshot();
  assert.ok(snap.schema < 3, `schema ${snap.schema}`);
  assert.ok(snap.positive.counts.length <= 20);
  assert.equal(snap.positive.counts.reduce((a, b) => a + b), values.length);
  // Every value sits in its bucket at the reduced schema.
  const expected = new Map<number, number>();
  for (const v of values) {
    const k = bucketIndex(v, snap.schema);
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  snap.positive.counts.forEach((count, i) => {
    assert.equal(count, expected.get(snap.positive.offset + i) ?? 0, `bucket ${i}`);
  });
  buckets.reset();
  assert.equal(buckets.snapshot().schema, 3);
  assert.deepEqual(buckets.snapshot().positive.counts, []);
});

Deno.test("NativeBuckets keeps exact counts over a wide random stream", () => {
  const buckets = new NativeBuckets({ schema: 8, maxBuckets: 160 });
  const expected = new Map<number, number>();
  const values: number[] = [];
  for (let i = 0; i < 5000; i++) values.push(Math.exp(Math.random() * 20 - 5) * (i % 7 ? 1 : -1));
  for (const v of values) buckets.observe(v);
  const snap = buckets.snapshot();
  for (const v of values) {
    const k = (v < 0 ? -1 : 1) * 1e6 + bucketIndex(Math.abs(v), snap.schema);
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  assert.ok(snap.positive.counts.length + snap.negative.counts.length <= 160);
  for (const [sign, run] of [[1, snap.positive], [-1, snap.negative]] as const) {
    run.counts.forEach((count, i) => {
      assert.equal(count, expected.get(sign * 1e6 + run.offset + i) ?? 0);
    });
  }
});
