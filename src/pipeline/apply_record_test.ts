import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { toBinary } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { MetricsCore } from "../metrics/core.ts";
import type { QualityEvent } from "../event/quality_event.ts";
import { otherKindMessages, qualityMessage } from "../../tests/support/sample/builders.ts";
import { zstdZeroBomb } from "../../tests/support/sample/hostile.ts";
import { Prng } from "../../tests/support/sample/prng.ts";
import {
  type SampleRecordOptions,
  sampleRecords,
} from "../../tests/support/sample/quality_events.ts";
import { encodeRecord } from "../wire/encode.ts";
import { fastZstdReady } from "../zstd/fast_zstd.ts";
import { cat, mutate } from "../../tests/support/protobuf.ts";
import { unframe } from "../wire/framing.ts";
import { zstdCompress } from "../zstd/zstd.ts";
import { scrapeText } from "../../tests/support/exposition.ts";
import {
  applyRecord,
  type ApplyRecordOptions,
  applyRecordReference,
  type RecordOutcome,
} from "./apply_record.ts";

await fastZstdReady;

const BUILD = { version: "t", commit: "t", buildDate: "t", runtime: "test" };

function newCore(): MetricsCore {
  // A clock that moves, so session expiry and timestamps take part in the comparison.
  let now = Date.UTC(2026, 0, 1);
  return new MetricsCore({ buildInfo: BUILD, clock: () => (now += 7), monotonicClock: () => 0 });
}

/**
 * Feeds `values` through applyRecord() and applyRecordReference() into two cores; asserts the
 * same outcome for every record and the same exposition (text and OpenMetrics) at the end.
 */
async function compare(
  label: string,
  values: readonly (Uint8Array | null)[],
  options: ApplyRecordOptions = {},
): Promise<Record<string, number>> {
  const fast = newCore();
  const reference = newCore();
  const outcomes: Record<string, number> = {};
  for (const [i, value] of values.entries()) {
    const got = applyRecord(fast, value, options);
    const want = applyRecordReference(reference, value, options);
    equal(got, want, `${label}: record ${i}`);
    outcomes[got] = (outcomes[got] ?? 0) + 1;
  }
  fast.flushSessions();
  reference.flushSessions();
  for (const openMetrics of [false, true]) {
    const [a, b] = [
      await scrapeText(fast, { openMetrics }),
      await scrapeText(reference, { openMetrics }),
    ];
    equal(a, b, `${label}: exposition (openMetrics ${openMetrics})`);
  }
  return outcomes;
}

Deno.test("applyRecord() matches the reference on typical records in every framing", async () => {
  const typical = sampleRecords(12_000, { seed: 21 }).map((r) => r.value);
  const outcomes = await compare("typical", typical);
  deepStrictEqual(outcomes, { applied: 12_000 });
  const framings: SampleRecordOptions[] = [
    { compression: "never" },
    { compression: "always" },
    { legacy: true },
  ];
  for (const options of framings) {
    const values = sampleRecords(2000, { seed: 22, ...options }).map((r) => r.value);
    await compare(JSON.stringify(options), values);
  }
  // Kafka hands out Buffers: the same records as Buffer views.
  await compare("buffers", typical.slice(0, 2000).map((value) => Buffer.from(value)));
});

Deno.test("applyRecord() matches the reference on hostile and unusual records", async () => {
  const quality = qualityMessage({
    qualityScore: 0.5,
    passed: true,
    sessionId: "s",
    turnNumber: 2,
  });
  const raw = toBinary(DashStreamMessageSchema, quality);
  const others = [
    ...otherKindMessages(),
    qualityMessage({ scope: "performance" }),
    qualityMessage({ header: null, latencyMs: -5, tags: { app_type: "librarian" } }),
  ].flatMap((message) => [
    encodeRecord(message),
    encodeRecord(message, { compression: "always" }),
    encodeRecord(message, { legacy: true }),
  ]);
  const values: (Uint8Array | null)[] = [
    null,
    new Uint8Array(0),
    Uint8Array.of(0x00),
    Uint8Array.of(0x01),
    Uint8Array.of(0x00, 0x0f),
    Uint8Array.of(0x01, 1, 2, 3, 4, 5),
    cat([0x01], zstdZeroBomb(50 * 1024 * 1024, { declareSize: true })),
    cat([0x01], zstdZeroBomb(50 * 1024 * 1024, { declareSize: false })),
    zstdZeroBomb(50 * 1024 * 1024, { declareSize: true }),
    cat([0x01], zstdCompress(Uint8Array.of(0x0f, 0x0f))),
    cat([0x01], zstdCompress(new Uint8Array(0))),
    cat([0x01], zstdCompress(raw), [0xff]),
    cat([0x01], zstdZeroBomb(4096, { declareSize: false })),
    new TextEncoder().encode('{"scope":"quality"}'),
    cat([0x00], raw),
    cat([0x01], zstdCompress(raw)),
    raw,
    ...others,
  ];
  const outcomes = await compare("hostile", values);
  for (const outcome of ["applied", "ignored", "wrong_scope", "decode_error", "missing_payload"]) {
    ok((outcomes[outcome] ?? 0) > 0, `${outcome} seen: ${JSON.stringify(outcomes)}`);
  }
  // The payload limit applies to both paths alike, before and after decompression.
  const framed = cat([0x00], raw);
  const zipped = cat([0x01], zstdCompress(raw));
  for (const limit of [raw.length - 1, raw.length, raw.length + 1, zipped.length]) {
    await compare(`limit ${limit}`, [framed, zipped], { maxPayloadBytes: limit });
  }
});

Deno.test("applyRecord() matches the reference on 20,000 mutated records", async () => {
  const rng = new Prng(99);
  const records = sampleRecords(500, { seed: 23 }).map((r) => r.value);
  const values: Uint8Array[] = [];
  for (let i = 0; i < 20_000; i++) {
    const value = records[i % records.length];
    if (value[0] === 0x01 && i % 2 === 0) {
      // A corrupt message inside a valid zstd frame, so the fast reader sees it too.
      values.push(cat([0x01], zstdCompress(mutate(unframe(value).bytes, rng))));
    } else {
      values.push(mutate(value, rng));
    }
  }
  const outcomes = await compare("mutated", values);
  ok(outcomes.applied > 2000 && outcomes.decode_error > 2000, JSON.stringify(outcomes));
});

Deno.test("applyRecord() counts a failing core as a process error, as the reference", async () => {
  class FailingCore extends MetricsCore {
    override applyQuality(ev: QualityEvent): void {
      if (ev.model === "boom") throw new Error("boom");
      super.applyQuality(ev);
    }
  }
  const options = { buildInfo: BUILD, clock: () => 1_767_225_600_000, monotonicClock: () => 0 };
  const core = new FailingCore(options);
  const reference = new FailingCore(options);
  for (const model of ["ok", "boom"]) {
    const value = encodeRecord(qualityMessage({ model, qualityScore: 0.4 }));
    const want: RecordOutcome = model === "boom" ? "process_error" : "applied";
    equal(applyRecord(core, value), want);
    equal(applyRecordReference(reference, value), want);
  }
  equal(await scrapeText(core), await scrapeText(reference));
});

Deno.test("applyRecord() keeps no view of a record once applied", async () => {
  // A reused buffer (as a Kafka client may reuse one) must not change what was read before.
  // The two models differ where the reader's string cache does not sample them.
  const first = "claude-3-opus";
  const value = Buffer.from(encodeRecord(qualityMessage({ model: first, passed: false })));
  const at = value.indexOf(first);
  const core = newCore();
  const reference = newCore();
  for (const model of [first, "claude-2-opus", first, "claude-2-opus"]) {
    value.write(model, at);
    equal(applyRecord(core, value), "applied");
    equal(applyRecordReference(reference, value), "applied");
  }
  equal(await scrapeText(core), await scrapeText(reference));
});
