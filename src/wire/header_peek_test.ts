import { equal, fail, ok } from "node:assert/strict";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type DashStreamMessage,
  DashStreamMessageSchema,
  HeaderSchema,
} from "../gen/dashstream_pb.ts";
import { otherKindMessages, qualityMessage } from "../../tests/support/sample/builders.ts";
import { Prng } from "../../tests/support/sample/prng.ts";
import { HeaderPeek } from "./header_peek.ts";
import {
  cat,
  dfield,
  hex,
  lfield,
  mutate,
  type Part,
  sfield,
  tag,
  varint,
  vfield,
} from "../../tests/support/protobuf.ts";

interface Counts {
  accepted: number;
  rejected: number;
}

const peek = new HeaderPeek();

/** What protobuf-es says the header is: time in ms (NaN unless positive) and thread id. */
function reference(bytes: Uint8Array): { timeMs: number; threadId: string | undefined } | null {
  let message: DashStreamMessage;
  try {
    message = fromBinary(DashStreamMessageSchema, bytes);
  } catch {
    return null;
  }
  const header = message.message.value?.header;
  if (header === undefined) return { timeMs: NaN, threadId: undefined };
  const us = header.timestampUs;
  return {
    timeMs: us > 0n ? Number(us) / 1000 : NaN,
    threadId: header.threadId === "" ? undefined : header.threadId,
  };
}

/** Peeks `bytes` and, where protobuf-es decodes them, asserts the same header. */
function compare(bytes: Uint8Array, label: string, counts?: Counts): void {
  peek.read(bytes);
  const want = reference(bytes);
  if (want === null) {
    if (counts !== undefined) counts.rejected++;
    return;
  }
  if (counts !== undefined) counts.accepted++;
  const where = `${label}: bytes ${hex(bytes)}`;
  if (!Object.is(peek.timeMs, want.timeMs)) {
    fail(`${where}: peek time ${peek.timeMs}, protobuf-es ${want.timeMs}`);
  }
  equal(peek.threadId(), want.threadId, where);
}

const rng = new Prng(77);

function randomHeader() {
  return create(HeaderSchema, {
    timestampUs: rng.chance(0.1)
      ? BigInt(rng.int(-5, 5))
      : BigInt(rng.int(0, 2 ** 31)) * BigInt(rng.int(1, 2 ** 30)),
    threadId: rng.chance(0.1) ? "" : `thread-${rng.int(0, 1000)}-é`,
    tenantId: "t",
    sequence: BigInt(rng.int(0, 100)),
    schemaVersion: rng.int(0, 3),
  });
}

/** A message of each kind in turn, with a random header (or none, now and then). */
function randomMessage(i: number): Uint8Array {
  const kinds = [
    qualityMessage({ tags: { model: "gpt-4o", category: "simple" } }),
    ...otherKindMessages(),
  ];
  const message = kinds[i % kinds.length];
  const member = message.message.value;
  if (member !== undefined) member.header = rng.chance(0.1) ? undefined : randomHeader();
  return toBinary(DashStreamMessageSchema, message);
}

Deno.test("HeaderPeek reads every message kind's header as protobuf-es does", () => {
  const counts = { accepted: 0, rejected: 0 };
  for (let i = 0; i < 900; i++) compare(randomMessage(i), `kind ${i % 9}`, counts);
  equal(counts.accepted, 900);
  compare(new Uint8Array(0), "empty message");
});

Deno.test("HeaderPeek merges a repeated member and header, and a new member replaces", () => {
  const counts = { accepted: 0, rejected: 0 };
  // Concatenated messages are one message to protobuf-es: same kind merges, another replaces.
  for (let i = 0; i < 900; i++) {
    const bytes = cat(randomMessage(i), randomMessage(rng.chance(0.5) ? i : i + rng.int(1, 8)));
    compare(bytes, `pair ${i}`, counts);
  }
  equal(counts.accepted, 900);
  const header = (...parts: Part[]) => lfield(1, ...parts);
  const cases: [string, Uint8Array, number, string | undefined][] = [
    [
      "second header keeps the first's thread id",
      lfield(6, header(sfield(4, "a"), vfield(2, 5000)), header(vfield(2, 7000))),
      7,
      "a",
    ],
    [
      "member again merges",
      cat(lfield(6, header(sfield(4, "a"))), lfield(6, header(vfield(2, 9000)))),
      9,
      "a",
    ],
    [
      "another member replaces",
      cat(lfield(6, header(sfield(4, "a"), vfield(2, 5000))), lfield(1, sfield(3, "node"))),
      NaN,
      undefined,
    ],
    [
      "last thread id wins, even empty",
      lfield(1, header(sfield(4, "a"), sfield(4, ""))),
      NaN,
      undefined,
    ],
  ];
  for (const [label, bytes, timeMs, threadId] of cases) {
    compare(bytes, label);
    peek.read(bytes);
    ok(Object.is(peek.timeMs, timeMs), `${label}: ${peek.timeMs}`);
    equal(peek.threadId(), threadId, label);
  }
});

Deno.test("HeaderPeek reads odd encodings as protobuf-es does", () => {
  const header = (...parts: Part[]) => lfield(1, ...parts);
  const cases: [string, Uint8Array][] = [
    // A field running past its message's end: protobuf-es goes on from where it ends.
    ["string past the header's end", lfield(6, cat(tag(1, 2), [2], sfield(4, "abc")))],
    [
      "map entry past its end",
      lfield(6, cat(tag(5, 2), [1], sfield(1, "k")), header(vfield(2, 3000))),
    ],
    // Known fields with another wire type are read as their declared type.
    ["timestamp as fixed64", lfield(6, header(tag(2, 1), varint(4000)))],
    ["thread id as varint", lfield(6, header(tag(4, 0), varint(3), [0x61, 0x62, 0x63]))],
    ["header as varint", lfield(6, tag(1, 0), varint(2), vfield(2, 3000))],
    // Packed and unpacked repeated scalars (token ids, logprobs).
    ["packed token ids", lfield(3, header(vfield(2, 1000)), lfield(4, [1, 0x80, 1, 2]))],
    ["unpacked token ids", lfield(3, vfield(4, 7), header(vfield(2, 2000)), vfield(4, 8))],
    ["packed logprobs", lfield(3, lfield(5, [0, 0, 0, 0, 0, 0, 0x80, 0x3f]), header(vfield(2, 1)))],
    ["logprob as fixed32", lfield(3, cat(tag(5, 5), [0, 0, 0x80, 0x3f]), header(vfield(2, 1)))],
    // Unknown fields of every wire type, and an unknown group (left to protobuf-es).
    [
      "unknown fields",
      cat(vfield(20, 1), lfield(6, dfield(30, 1), header(vfield(2, 5), vfield(99, 2 ** 40)))),
    ],
    [
      "unknown long varint",
      lfield(6, cat(tag(40, 0), Array(12).fill(0xff), [1]), header(vfield(2, 5))),
    ],
    ["unknown group", lfield(6, header(vfield(2, 6000)), tag(50, 3), vfield(1, 1), tag(50, 4))],
    // int64 edges: negative, 2^53 + 1, the largest, a 10-byte varint with extra high bits.
    ["negative timestamp", lfield(6, header(vfield(2, -1n), sfield(4, "n")))],
    ["2^53 + 1", lfield(6, header(vfield(2, 2n ** 53n + 1n)))],
    ["2^63 - 1", lfield(6, header(vfield(2, 2n ** 63n - 1n)))],
    [
      "extra high bits",
      lfield(6, header(tag(2, 0), [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e])),
    ],
    // Errors: a bad tag, wire type 4, a read past the end.
    ["field 0", lfield(6, header(vfield(0, 1)))],
    ["end group alone", lfield(6, tag(9, 4))],
    ["cut", lfield(6, header(vfield(2, 5000))).subarray(0, 5)],
  ];
  for (const [label, bytes] of cases) compare(bytes, label);
  // All but the three errors decode, so each case above was compared.
  equal(cases.filter(([, bytes]) => reference(bytes) !== null).length, cases.length - 3);
  // Nesting: protobuf-es stops at 100 messages deep. An event's attribute (depth 3) holding
  // arrays of arrays (2 each), ending in a string or an empty array (1 more).
  for (const wraps of [47, 48, 49]) {
    for (const innermost of [sfield(1, "x"), lfield(6)]) {
      let value = innermost;
      for (let i = 0; i < wraps; i++) value = lfield(6, lfield(1, value));
      const attributes = lfield(4, sfield(1, "k"), lfield(2, value));
      compare(lfield(1, header(vfield(2, 1000)), attributes), `${wraps} wraps`);
    }
  }
});

Deno.test("HeaderPeek agrees with protobuf-es on every truncation and on 40,000 mutations", () => {
  const counts = { accepted: 0, rejected: 0 };
  const bases = Array.from({ length: 180 }, (_, i) => randomMessage(i));
  for (const base of bases.slice(0, 9)) {
    for (let end = 0; end <= base.length; end++) {
      compare(base.subarray(0, end), `cut ${end}`, counts);
    }
  }
  for (let i = 0; i < 40_000; i++) {
    compare(mutate(bases[i % bases.length], rng), `mutation ${i}`, counts);
  }
  ok(counts.accepted > 5000 && counts.rejected > 10_000, JSON.stringify(counts));
});
