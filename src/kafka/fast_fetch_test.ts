import { deepStrictEqual, equal } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";
import { Prng } from "../../tests/support/sample/prng.ts";
import { registerCodecs } from "./codecs.ts";
import { decodeFetchResponse, kafkajsFetchDecode } from "./fast_fetch.ts";

// ---- a Fetch v11 response writer, independent of both decoders --------------------------

class Bytes {
  readonly out: number[] = [];
  int8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  int16(v: number): this {
    return this.int8(v >> 8).int8(v);
  }
  int32(v: number): this {
    return this.int16(v >> 16).int16(v);
  }
  int64(v: bigint): this {
    const u = BigInt.asUintN(64, v);
    return this.int32(Number(u >> 32n) | 0).int32(Number(u & 0xffffffffn) | 0);
  }
  /** zigzag varint (up to 64 bits) */
  varint(v: bigint | number): this {
    let z = BigInt.asUintN(64, (BigInt(v) << 1n) ^ (BigInt(v) >> 63n));
    do {
      const byte = Number(z & 0x7fn);
      z >>= 7n;
      this.int8(z > 0n ? byte | 0x80 : byte);
    } while (z > 0n);
    return this;
  }
  bytes(b: Uint8Array | number[]): this {
    for (const x of b) this.out.push(x);
    return this;
  }
  varBytes(b: Uint8Array | null): this {
    if (b === null) return this.varint(-1);
    return this.varint(b.length).bytes(b);
  }
  buffer(): Buffer {
    return Buffer.from(this.out);
  }
}

interface RecordSpec {
  timestampDelta: bigint;
  offsetDelta: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: [string, Uint8Array | null][];
}

interface BatchSpec {
  firstOffset: bigint;
  firstTimestamp: bigint;
  maxTimestamp: bigint;
  attributes: number;
  producerId: bigint;
  records: RecordSpec[];
}

function recordBytes(r: RecordSpec): number[] {
  const body = new Bytes().int8(0).varint(r.timestampDelta).varint(r.offsetDelta)
    .varBytes(r.key).varBytes(r.value).varint(r.headers.length);
  for (const [k, v] of r.headers) body.varBytes(new TextEncoder().encode(k)).varBytes(v);
  return new Bytes().varint(body.out.length).bytes(body.out).out;
}

function batchBytes(b: BatchSpec): number[] {
  const records = b.records.flatMap(recordBytes);
  const body = new Bytes().int32(7).int8(2).int32(0).int16(b.attributes)
    .int32(b.records.length - 1).int64(b.firstTimestamp).int64(b.maxTimestamp)
    .int64(b.producerId).int16(0).int32(0).int32(b.records.length);
  if ((b.attributes & 7) === 1) body.bytes(gzipSync(Uint8Array.from(records)));
  else body.bytes(records);
  return new Bytes().int64(b.firstOffset).int32(body.out.length).bytes(body.out).out;
}

function response(
  partitions: { batches: BatchSpec[]; cut?: number; aborted?: bigint[] }[],
): Buffer {
  const w = new Bytes().int32(0).int16(0).int32(123).int32(1);
  const topic = new TextEncoder().encode("topic-a");
  w.int16(topic.length).bytes(topic).int32(partitions.length);
  partitions.forEach((p, i) => {
    w.int32(i).int16(0).int64(1000n).int64(990n).int64(0n);
    const aborted = p.aborted ?? [];
    w.int32(aborted.length);
    for (const offset of aborted) w.int64(5n).int64(offset);
    w.int32(-1);
    let set = p.batches.flatMap(batchBytes);
    if (p.cut) set = set.slice(0, Math.max(0, set.length - p.cut));
    w.int32(set.length).bytes(set);
  });
  return w.buffer();
}

function randomBatches(rand: () => number, count: number): BatchSpec[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  const batches: BatchSpec[] = [];
  let offset = pick([0n, 12345n, 2n ** 40n, 2n ** 53n - 5n, 2n ** 60n]);
  for (let b = 0; b < count; b++) {
    const records: RecordSpec[] = [];
    const n = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < n; i++) {
      records.push({
        timestampDelta: pick([0n, BigInt(i), 1000n, -5n, 2n ** 50n, 2n ** 62n]),
        offsetDelta: i,
        key: pick([null, bytes(0), bytes(8)]),
        value: pick([null, bytes(0), bytes(40), bytes(300)]),
        headers: pick([
          [],
          [["a", bytes(3)]],
          [["a", bytes(2)], ["b", null], ["a", bytes(1)], ["a", bytes(0)]],
          [["__proto__", bytes(1)]],
        ]) as [string, Uint8Array | null][],
      });
    }
    batches.push({
      firstOffset: offset,
      firstTimestamp: pick([1_700_000_000_000n, 0n, -1n, 2n ** 55n]),
      maxTimestamp: pick([1_700_000_000_999n, -1n]),
      // compression none/gzip, LOG_APPEND_TIME, transactional, control
      attributes: pick([0, 0, 0, 1, 8, 16, 32, 16 | 32, 1 | 8]),
      producerId: pick([-1n, 5n]),
      records,
    });
    offset += BigInt(n);
  }
  return batches;
}

/** Buffers become arrays, so a difference shows as data, not as identity. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v) => v?.type === "Buffer" ? ["buf", ...v.data] : v));
}

async function outcome(decode: (b: Buffer) => Promise<unknown>, payload: Buffer) {
  try {
    return { ok: plain(await decode(Buffer.from(payload))) };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

async function assertSame(payload: Buffer, message: string) {
  deepStrictEqual(
    await outcome(decodeFetchResponse, payload),
    await outcome(kafkajsFetchDecode, payload),
    message,
  );
}

registerCodecs();

function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

Deno.test("fast fetch decode: the typical case gives exactly what kafkajs gives", async () => {
  const rand = rng(1);
  const payload = response([
    { batches: randomBatches(rand, 5).map((b) => ({ ...b, attributes: 0 })) },
    { batches: randomBatches(rand, 3) },
  ]);
  await assertSame(payload, "typical");
  const fast = await decodeFetchResponse(payload);
  const records = fast.responses[0].partitions[0].messages as { value: unknown }[];
  // Values are Buffer views of the response, as kafkajs hands them out.
  equal(Buffer.isBuffer(records.find((r) => r.value !== null)?.value), true);
});

Deno.test("fast fetch decode: random batches, flags, headers, large numbers", async () => {
  const rand = rng(7);
  for (let i = 0; i < 400; i++) {
    const partitions = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
      batches: randomBatches(rand, 1 + Math.floor(rand() * 4)),
      cut: rand() < 0.3 ? Math.floor(rand() * 80) : 0,
      aborted: rand() < 0.2 ? [3n, 2n ** 54n] : [],
    }));
    await assertSame(response(partitions), `case ${i}`);
  }
});

Deno.test("fast fetch decode: every truncation and random corruption", async () => {
  const rand = rng(3);
  const payload = response([{ batches: randomBatches(rand, 3) }]);
  for (let cut = 0; cut <= payload.length; cut += 3) {
    await assertSame(payload.subarray(0, cut), `cut at ${cut}`);
  }
  for (let i = 0; i < 1500; i++) {
    const mutated = Buffer.from(payload);
    for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
      mutated[Math.floor(rand() * mutated.length)] = Math.floor(rand() * 256);
    }
    await assertSame(mutated, `mutation ${i}`);
  }
});

Deno.test("fast fetch decode: a legacy message set goes to kafkajs", async () => {
  // magic 1 at offset 16 of the set: kafkajs' MessageSet decoder decides
  const set = new Bytes().int64(0n).int32(30).int32(0).int8(1).bytes(new Array(25).fill(0)).out;
  const w = new Bytes().int32(0).int16(0).int32(0).int32(1).int16(1).bytes([0x74]).int32(1);
  w.int32(0).int16(0).int64(1n).int64(1n).int64(0n).int32(0).int32(-1).int32(set.length).bytes(
    set,
  );
  await assertSame(w.buffer(), "legacy");
});
