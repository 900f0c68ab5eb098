import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { formatUuid, Prng } from "./prng.ts";

Deno.test("Prng gives the same sequence for the same seed (mulberry32)", () => {
  const sequence = (seed: number) => {
    const rng = new Prng(seed);
    return [rng.nextU32(), rng.nextU32(), rng.nextU32()];
  };
  deepStrictEqual(sequence(42), sequence(42));
  // Pinned so sample traffic, and every golden file built on it, never drifts.
  deepStrictEqual([new Prng(1).nextU32(), new Prng(2).nextU32()], [2693262067, 3153583793]);
});

Deno.test("Prng helpers stay in range", () => {
  const rng = new Prng(3);
  for (let i = 0; i < 1000; i++) {
    const x = rng.next();
    ok(x >= 0 && x < 1);
    const n = rng.int(2, 5);
    ok(n >= 2 && n <= 5 && Number.isInteger(n));
    const z = rng.normal(0.5, 0.2, 0, 1);
    ok(z >= 0 && z <= 1);
  }
  equal(rng.weighted([["only", 1]]), "only");
  equal(rng.bytes(7).length, 7);
});

Deno.test("Prng.uuid() makes version-4 UUIDs", () => {
  const rng = new Prng(9);
  for (let i = 0; i < 100; i++) {
    ok(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(rng.uuid()));
  }
  equal(formatUuid(new Uint8Array(16).fill(0xab)), "abababab-abab-abab-abab-abababababab");
});
