import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { parseRfc3339, parseStartPosition, startOffsets, type StartPosition } from "./position.ts";

const parse = (raw: string) => parseStartPosition(raw, { source: "--from" });

Deno.test("parseStartPosition() reads the named positions and their aliases", () => {
  for (const raw of ["beginning", "start", "earliest", "oldest", " Beginning "]) {
    assert.deepEqual(parse(raw), { kind: "beginning" });
  }
  for (const raw of ["end", "latest", "newest", "END"]) {
    assert.deepEqual(parse(raw), { kind: "end" });
  }
});

Deno.test("parseStartPosition() reads offsets, -N and timestamps", () => {
  assert.deepEqual(parse("0"), { kind: "offset", offset: 0n });
  assert.deepEqual(parse("9007199254740993"), { kind: "offset", offset: 9007199254740993n });
  assert.deepEqual(parse("-25"), { kind: "last", count: 25n });
  const ms = Date.UTC(2026, 0, 1, 9, 30, 0);
  assert.deepEqual(parse("2026-01-01T09:30:00Z"), { kind: "timestamp", ms });
  assert.deepEqual(parse("2026-01-01t09:30:00z"), { kind: "timestamp", ms });
  assert.deepEqual(parse("2026-01-01 09:30:00Z"), { kind: "timestamp", ms });
  assert.deepEqual(parse("2026-01-01T10:30:00+01:00"), { kind: "timestamp", ms });
  assert.deepEqual(parse("2026-01-01T09:30:00.250Z"), { kind: "timestamp", ms: ms + 250 });
  assert.deepEqual(parse("@2026-01-01T09:30:00Z"), { kind: "timestamp", ms });
  assert.deepEqual(parse(`@${ms}`), { kind: "timestamp", ms });
});

Deno.test("parseStartPosition() treats a bare number as an offset, even a large one", () => {
  assert.deepEqual(parse("1767225600000"), { kind: "offset", offset: 1767225600000n });
});

for (
  const raw of [
    "",
    "middle",
    "-0",
    "+5",
    "1.5",
    "@",
    "@-5",
    "@abc",
    "2026-01-01",
    "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:00",
  ]
) {
  Deno.test(`parseStartPosition() rejects '${raw}' naming the flag and the choices`, () => {
    assert.throws(() => parse(raw), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(
        error.message.split("\n").length,
        1,
        "one line",
      );
      assert.ok(error.message.startsWith(`Invalid --from '${raw}': expected beginning, end,`));
      assert.match(error.message, /@<epoch ms>/);
      return true;
    });
  });
}

Deno.test("parseRfc3339() accepts leap years and rejects impossible dates", () => {
  assert.equal(parseRfc3339("2028-02-29T00:00:00Z"), Date.UTC(2028, 1, 29));
  assert.equal(parseRfc3339("2026-02-29T00:00:00Z"), undefined);
  assert.equal(parseRfc3339("not a date"), undefined);
});

const ranges = [
  { partition: 0, low: 0n, high: 10n },
  { partition: 1, low: 5n, high: 8n },
  { partition: 2, low: 0n, high: 0n },
];

function offsets(position: StartPosition, timestampOffsets?: Map<number, bigint>) {
  return Object.fromEntries(startOffsets(position, ranges, { timestampOffsets }).offsets);
}

Deno.test("startOffsets() maps beginning/end to each partition's low/high watermark", () => {
  assert.deepEqual(offsets({ kind: "beginning" }), { 0: 0n, 1: 5n, 2: 0n });
  assert.deepEqual(offsets({ kind: "end" }), { 0: 10n, 1: 8n, 2: 0n });
});

Deno.test("startOffsets() takes the last N of each partition, never before its low watermark", () => {
  assert.deepEqual(offsets({ kind: "last", count: 2n }), { 0: 8n, 1: 6n, 2: 0n });
  assert.deepEqual(offsets({ kind: "last", count: 100n }), { 0: 0n, 1: 5n, 2: 0n });
});

Deno.test("startOffsets() clamps an offset into each range and reports where it did", () => {
  const result = startOffsets({ kind: "offset", offset: 7n }, ranges);
  assert.deepEqual(Object.fromEntries(result.offsets), { 0: 7n, 1: 7n, 2: 0n });
  assert.deepEqual(result.clamped.map((r) => r.partition), [2]);
  const low = startOffsets({ kind: "offset", offset: 1n }, ranges);
  assert.deepEqual(Object.fromEntries(low.offsets), { 0: 1n, 1: 5n, 2: 0n });
  assert.deepEqual(low.clamped.map((r) => r.partition), [1, 2]);
});

Deno.test("startOffsets() uses the broker's offsets for a timestamp (-1 meaning the end)", () => {
  const found = new Map([[0, 4n], [1, -1n], [2, 0n]]);
  assert.deepEqual(offsets({ kind: "timestamp", ms: 1 }, found), { 0: 4n, 1: 8n, 2: 0n });
  assert.throws(() => offsets({ kind: "timestamp", ms: 1 }, new Map()), /no timestamp offset/);
});
