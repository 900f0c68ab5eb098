import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { zstdZeroBomb } from "../../tests/support/sample/hostile.ts";
import {
  hasZstdMagic,
  MAX_ZSTD_BLOCKS,
  MAX_ZSTD_FRAMES,
  zstdCompress,
  zstdDecompress,
  ZstdError,
} from "./zstd.ts";

const b64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** 4690 bytes: "zstd test event 0: ok\n" ... "zstd test event 199: ok\n". */
function events(): Uint8Array {
  let text = "";
  for (let i = 0; i < 200; i++) text += `zstd test event ${i}: ok\n`;
  return utf8(text);
}

// `zstd -3 events.txt` (zstd CLI v1.5.4): declares its size, has a checksum.
const EVENTS_ZST = b64(
  "KLUv/WRSEe0KADLOHRagNWkN4A/Rkz0DQDAr995bSpmbGlqtgoKBGNz9////////////75hCrOgxxhhjjDHe3d3d" +
    "3Z1zzjnnnGOMMcYYY0wppZRSSimEEEIIIYSYmZmZmVVVVVVVERERERH9v2MKsaKCgoEYDKIIIAgQiOJAKAiA4jAQ" +
    "gMeoIfj2PwMAQ4kmfBH8IwRDeF8MYjksgaWvyCvrylxpK9JKWRlWvoqs0qpElU3FUikqQaWnmFNuSkxpKVLKkjKk" +
    "dBQZpaKMKA9FQikoAWU/sU/qSTzpTkwn5yScdBPZZDWZJs1EMikmg8kvUZfUkliylVglpSSUdBIzySWJJI1EItmQ" +
    "DJI+Io/UkXHkjUgjZSSM7CK2SBXpp0gjwcJNUsgjWAQJgUHwD+SBOyAOtIFtGjgCqKoqVVVVraqqalVVVauqqlpV" +
    "VYX0iT7nYz7lQz7jIz5d+ICLJZglmCWM5UogVwHz/QfC",
);

const MIB = 1024 * 1024;

Deno.test("zstdDecompress() reads a frame made by the zstd CLI", () => {
  deepStrictEqual(new Uint8Array(zstdDecompress(EVENTS_ZST, { maxOutputBytes: MIB })), events());
});

Deno.test("zstdDecompress() reads RLE blocks with and without a declared size", () => {
  for (const declare of [true, false]) {
    const out = zstdDecompress(zstdZeroBomb(MIB + 5, { declareSize: declare }), {
      maxOutputBytes: 2 * MIB,
    });
    equal(out.length, MIB + 5);
    ok(out.every((byte) => byte === 0));
  }
});

Deno.test("zstdDecompress() reads concatenated frames and skips skippable frames", () => {
  const skippable = Uint8Array.of(0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 0xaa, 0xbb);
  const input = Buffer.concat([zstdCompress(utf8("hello ")), skippable, EVENTS_ZST]);
  const out = zstdDecompress(input, { maxOutputBytes: MIB });
  deepStrictEqual(new Uint8Array(out), new Uint8Array(Buffer.concat([utf8("hello "), events()])));
  equal(zstdDecompress(skippable, { maxOutputBytes: 1 }).length, 0);
});

Deno.test("zstdDecompress() rejects a frame truncated anywhere", () => {
  // The runtimes' zstd bindings return partial output for these.
  for (let cut = 1; cut < EVENTS_ZST.length; cut++) {
    throws(
      () => zstdDecompress(EVENTS_ZST.subarray(0, cut), { maxOutputBytes: MIB }),
      (error: unknown) => error instanceof ZstdError && error.reason === "corrupt",
      `cut at ${cut}`,
    );
  }
});

Deno.test("zstdDecompress() rejects trailing garbage, bad magic and corrupt blocks", () => {
  const corruptBlock = EVENTS_ZST.slice();
  corruptBlock[60] ^= 0xff;
  const cases: [string, Uint8Array, RegExp][] = [
    ["trailing", Buffer.concat([EVENTS_ZST, utf8("xyz")]), /3 bytes of trailing data/],
    ["magic", utf8("not zstd at all"), /zstd magic/],
    ["reserved bit", Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x08, 0, 1, 0, 0), /reserved bit/],
    ["reserved block", Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x20, 0, 7, 0, 0), /reserved type/],
    ["corrupt block", corruptBlock, /zstd library rejected/],
  ];
  for (const [name, input, message] of cases) {
    throws(() => zstdDecompress(input, { maxOutputBytes: MIB }), (error: unknown) => {
      ok(error instanceof ZstdError, name);
      equal(error.reason, "corrupt", name);
      ok(message.test(error.message), `${name}: ${error.message}`);
      return true;
    });
  }
});

Deno.test("zstdDecompress() rejects a declared size over the limit before decompressing", () => {
  const started = performance.now();
  throws(
    () =>
      zstdDecompress(zstdZeroBomb(50 * MIB, { declareSize: true }), { maxOutputBytes: 10 * MIB }),
    (error: unknown) =>
      error instanceof ZstdError && error.reason === "too_large" &&
      error.declaredSize === 50 * MIB && error.limit === 10 * MIB,
  );
  ok(performance.now() - started < 1000);
});

Deno.test("zstdDecompress() stops at the limit when no size is declared", () => {
  const started = performance.now();
  throws(
    () => zstdDecompress(zstdZeroBomb(50 * MIB), { maxOutputBytes: 10 * MIB }),
    (error: unknown) =>
      error instanceof ZstdError && error.reason === "too_large" &&
      error.declaredSize === undefined && /more than the 10485760-byte limit/.test(error.message),
  );
  ok(performance.now() - started < 1000);
});

Deno.test("zstdDecompress() accepts output of exactly the limit", () => {
  equal(zstdDecompress(EVENTS_ZST, { maxOutputBytes: 4690 }).length, 4690);
  throws(() => zstdDecompress(EVENTS_ZST, { maxOutputBytes: 4689 }), ZstdError);
  equal(zstdDecompress(zstdZeroBomb(4690), { maxOutputBytes: 4690 }).length, 4690);
  throws(() => zstdDecompress(zstdZeroBomb(4690), { maxOutputBytes: 4689 }), ZstdError);
});

Deno.test("zstdDecompress() applies the limit across concatenated frames", () => {
  const two = Buffer.concat([zstdZeroBomb(600), zstdZeroBomb(600)]);
  equal(zstdDecompress(two, { maxOutputBytes: 1200 }).length, 1200);
  throws(
    () => zstdDecompress(two, { maxOutputBytes: 1199 }),
    (error: unknown) => error instanceof ZstdError && error.reason === "too_large",
  );
});

Deno.test("zstdCompress() writes one frame declaring its size, at the given level", () => {
  const input = events();
  const frame = zstdCompress(input);
  ok(hasZstdMagic(frame));
  ok(frame[4] >> 6 !== 0 || (frame[4] & 0x20) !== 0, "frame header declares the content size");
  ok(frame.length < input.length / 4);
  deepStrictEqual(new Uint8Array(zstdDecompress(frame, { maxOutputBytes: MIB })), input);
  const fast = zstdCompress(input, { level: 1 });
  deepStrictEqual(new Uint8Array(zstdDecompress(fast, { maxOutputBytes: MIB })), input);
});

Deno.test("hasZstdMagic() checks the four magic bytes at an offset", () => {
  ok(hasZstdMagic(EVENTS_ZST));
  ok(hasZstdMagic(Uint8Array.of(1, 0x28, 0xb5, 0x2f, 0xfd), 1));
  ok(!hasZstdMagic(Uint8Array.of(0x28, 0xb5, 0x2f)));
  ok(!hasZstdMagic(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfe)));
});

Deno.test("zstdDecompress() refuses more than MAX_ZSTD_FRAMES frames or MAX_ZSTD_BLOCKS blocks, fast", () => {
  const empty = [0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00]; // one empty frame
  const frames = (n: number) => new Uint8Array(n * empty.length).map((_, i) => empty[i % 9]);
  equal(zstdDecompress(frames(MAX_ZSTD_FRAMES), { maxOutputBytes: MIB }).length, 0);
  const tooComplex = (input: Uint8Array) => {
    const started = performance.now();
    throws(
      () => zstdDecompress(input, { maxOutputBytes: 10 * MIB }),
      (e) => e instanceof ZstdError && e.reason === "too_complex",
    );
    return performance.now() - started;
  };
  // 10 MiB of empty frames: 1.16M frames, refused at the 257th.
  const ms = tooComplex(frames(Math.floor(10 * MIB / 9)));
  ok(ms < 50, `${ms} ms`);
  // One frame of empty raw blocks (3 bytes each) past the block cap.
  const blocks = (n: number) => {
    const out = new Uint8Array(6 + n * 3);
    out.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]);
    out[out.length - 3] = 1; // the last block
    return out;
  };
  equal(zstdDecompress(blocks(MAX_ZSTD_BLOCKS), { maxOutputBytes: MIB }).length, 0);
  tooComplex(blocks(MAX_ZSTD_BLOCKS + 1));
  // Kafka's batch codec turns the caps off.
  equal(
    zstdDecompress(frames(MAX_ZSTD_FRAMES + 1), { maxOutputBytes: 1, capWork: false }).length,
    0,
  );
});
