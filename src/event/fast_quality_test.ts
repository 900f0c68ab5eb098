import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { toBinary } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../gen/dashstream_pb.ts";
import { emptyQualityEvent } from "./quality_event.ts";
import { METRIC_KEYS } from "./metric_keys.ts";
import { otherKindMessages, qualityMessage } from "../../tests/support/sample/builders.ts";
import { Prng } from "../../tests/support/sample/prng.ts";
import { FULL_QUALITY_EVENT, sampleRecords } from "../../tests/support/sample/quality_events.ts";
import { READ, readQuality } from "./fast_quality.ts";
import {
  compareWithReference,
  metricEntry,
  metricsMsg,
  readCounts,
  tagEntry,
} from "../../tests/support/fast_quality.ts";
import {
  cat,
  dfield,
  lfield,
  mutate,
  sfield,
  tag,
  varint,
  vfield,
} from "../../tests/support/protobuf.ts";
import { unframe } from "../wire/framing.ts";

const HEADER = lfield(1, sfield(4, "sess-1"), vfield(2, 1_767_225_600_000_000n));
const SCOPE = sfield(2, "quality");
const BASE = [HEADER, SCOPE];

/** Reads `bytes` both ways, asserts agreement and that the fast path gave `expected`. */
function check(label: string, bytes: Uint8Array, expected: number) {
  const got = compareWithReference(bytes, label);
  equal(got, expected, `${label}: readQuality() gave ${got}, expected ${expected}`);
}

function eventOf(bytes: Uint8Array) {
  const out = emptyQualityEvent();
  equal(readQuality(bytes, out), READ.EVENT);
  return { ...out };
}

Deno.test("readQuality() agrees with protobuf-es on 12,000 sample records", () => {
  const counts = readCounts();
  for (const { value } of sampleRecords(12_000, { seed: 4 })) {
    compareWithReference(unframe(value).bytes, "sample", counts);
  }
  deepStrictEqual(counts, { ignored: 0, wrong_scope: 0, event: 12_000, fallback: 0, error: 0 });
});

Deno.test("readQuality() reads every field of a quality event", () => {
  const bytes = toBinary(DashStreamMessageSchema, qualityMessage(FULL_QUALITY_EVENT));
  check("full", bytes, READ.EVENT);
  deepStrictEqual(eventOf(bytes), FULL_QUALITY_EVENT);
});

Deno.test("readQuality() ignores metric values of the wrong oneof kind", () => {
  const kinds: [string, Uint8Array | number[]][] = [
    ["int", vfield(1, 7)],
    ["float", dfield(2, 0.5)],
    ["string", sfield(3, "0.5")],
    ["bool", vfield(4, 1)],
    ["bytes", lfield(5, [1, 2])],
    ["none", sfield(6, "ms")],
  ];
  for (const key of Object.values(METRIC_KEYS)) {
    for (const [kind, value] of kinds) {
      check(`${key} as ${kind}`, metricsMsg(...BASE, metricEntry(key, value)), READ.EVENT);
    }
  }
  const wrong = eventOf(metricsMsg(...BASE, metricEntry("quality_score", vfield(1, 1))));
  equal(wrong.qualityScore, 0);
});

Deno.test("readQuality() clamps negative ints and converts int64 like Number(bigint)", () => {
  const values = [
    -1n,
    -(2n ** 63n),
    0n,
    1n,
    127n,
    128n,
    2n ** 31n,
    2n ** 32n + 5n,
    2n ** 53n + 1n,
    2n ** 53n + 3n,
    2n ** 63n - 1n,
    2n ** 62n + 2n ** 10n + 1n,
  ];
  for (const value of values) {
    for (const key of ["latency_ms", "retry_count", "turn_number"]) {
      check(`${key}=${value}`, metricsMsg(...BASE, metricEntry(key, vfield(1, value))), READ.EVENT);
    }
  }
  equal(eventOf(metricsMsg(...BASE, metricEntry("latency_ms", vfield(1, -5)))).latencyMs, 0);
  // Bits past the 64th are dropped, as protobuf-es drops them: 10 bytes, the last 0x7f.
  const overlong = [...tag(1, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
  check("10-byte int", metricsMsg(...BASE, metricEntry("latency_ms", overlong)), READ.EVENT);
  const elevenBytes = [...tag(1, 0), ...new Array(10).fill(0x80), 0x01];
  check("11-byte int", metricsMsg(...BASE, metricEntry("latency_ms", elevenBytes)), READ.ERROR);
});

Deno.test("readQuality() reads bools and doubles exactly as protobuf-es", () => {
  const bools = [
    vfield(4, 0),
    vfield(4, 1),
    vfield(4, 2),
    [...tag(4, 0), 0x80, 0x00], // non-minimal zero
    [...tag(4, 0), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02], // bit 64: false
    [...tag(4, 0), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
  ];
  for (const [i, value] of bools.entries()) {
    check(`bool ${i}`, metricsMsg(...BASE, metricEntry("passed", value)), READ.EVENT);
  }
  for (const value of [NaN, Infinity, -Infinity, -0, 0, 5e-324, 1.7976931348623157e308]) {
    check(`double ${value}`, metricsMsg(...BASE, metricEntry("accuracy", dfield(2, value))), 2);
  }
});

Deno.test("readQuality() lets the last duplicate win and merges repeated messages", () => {
  const cases: [string, Uint8Array][] = [
    [
      "duplicate metric key",
      metricsMsg(
        ...BASE,
        metricEntry("quality_score", dfield(2, 0.1)),
        metricEntry("quality_score", dfield(2, 0.2)),
      ),
    ],
    [
      "duplicate key, other kind",
      metricsMsg(
        ...BASE,
        metricEntry("quality_score", dfield(2, 0.1)),
        metricEntry("quality_score", vfield(1, 3)),
      ),
    ],
    [
      "duplicate key, no value",
      metricsMsg(...BASE, metricEntry("passed", vfield(4, 1)), lfield(4, sfield(1, "passed"))),
    ],
    ["duplicate tag", metricsMsg(...BASE, tagEntry("model", "a"), tagEntry("model", "gpt-4o"))],
    ["two scopes", metricsMsg(HEADER, sfield(2, "quality"), sfield(2, "other"))],
    ["two scopes, quality last", metricsMsg(HEADER, sfield(2, "other"), sfield(2, "quality"))],
    [
      "two headers merge",
      metricsMsg(lfield(1, sfield(4, "a")), lfield(1, sfield(3, "tenant")), SCOPE),
    ],
    [
      "two headers, last thread",
      metricsMsg(lfield(1, sfield(4, "a")), lfield(1, sfield(4, "b")), SCOPE),
    ],
    [
      "two metrics fields merge",
      cat(metricsMsg(HEADER), metricsMsg(SCOPE, tagEntry("model", "x"))),
    ],
    ["two metrics, second scope", cat(metricsMsg(...BASE), metricsMsg(sfield(2, "no")))],
    [
      "value field twice merges",
      metricsMsg(
        ...BASE,
        lfield(4, sfield(1, "accuracy"), lfield(2, dfield(2, 0.3)), lfield(2, sfield(6, "u"))),
      ),
    ],
    [
      "value field twice, oneof last",
      metricsMsg(
        ...BASE,
        lfield(4, sfield(1, "accuracy"), lfield(2, dfield(2, 0.3)), lfield(2, vfield(1, 9))),
      ),
    ],
    [
      "oneof twice in one value",
      metricsMsg(...BASE, metricEntry("accuracy", dfield(2, 0.3), vfield(4, 1), dfield(2, 0.4))),
    ],
    [
      "key twice in one entry",
      metricsMsg(
        ...BASE,
        lfield(4, sfield(1, "accuracy"), sfield(1, "relevance"), lfield(2, dfield(2, 0.3))),
      ),
    ],
    [
      "tag key twice in one entry",
      metricsMsg(...BASE, lfield(5, sfield(1, "model"), sfield(1, "zzz"), sfield(2, "m"))),
    ],
    ["thread id twice", metricsMsg(lfield(1, sfield(4, "a"), sfield(4, "b")), SCOPE)],
  ];
  for (const [label, bytes] of cases) {
    const wrong = label === "two scopes" || label.includes("second scope");
    check(label, bytes, wrong ? READ.WRONG_SCOPE : READ.EVENT);
  }
  equal(eventOf(cases[0][1]).qualityScore, 0.2);
  equal(eventOf(cases[1][1]).qualityScore, 0);
  equal(eventOf(cases[6][1]).sessionId, "a");
  equal(eventOf(cases[7][1]).sessionId, "b");
  equal(eventOf(cases[8][1]).model, "x");
  equal(eventOf(cases[10][1]).accuracy, 0.3);
});

Deno.test("readQuality() counts a missing header and reads no session", () => {
  const cases: [string, Uint8Array][] = [
    ["no header", metricsMsg(SCOPE, metricEntry("turn_number", vfield(1, 3)))],
    ["empty header", metricsMsg(lfield(1), SCOPE)],
    ["empty thread id", metricsMsg(lfield(1, sfield(4, "")), SCOPE)],
    ["header without thread", metricsMsg(lfield(1, sfield(3, "tenant")), SCOPE)],
  ];
  for (const [label, bytes] of cases) check(label, bytes, READ.EVENT);
  deepStrictEqual([eventOf(cases[0][1]).hasHeader, eventOf(cases[0][1]).sessionId], [false, ""]);
  deepStrictEqual([eventOf(cases[1][1]).hasHeader, eventOf(cases[1][1]).sessionId], [true, ""]);
});

Deno.test("readQuality() tells a wrong scope and non-metrics messages", () => {
  for (const scope of ["Quality", "QUALITY", "quality ", " quality", "", "qualit", "qualityy"]) {
    check(`scope '${scope}'`, metricsMsg(HEADER, sfield(2, scope)), READ.WRONG_SCOPE);
  }
  check("no scope", metricsMsg(HEADER), READ.WRONG_SCOPE);
  check("empty metrics", metricsMsg(), READ.WRONG_SCOPE);
  check("empty message", new Uint8Array(0), READ.IGNORED);
  check("only unknown fields", cat(vfield(10, 1), sfield(99, "x")), READ.IGNORED);
  const others = [
    ...otherKindMessages(),
  ];
  const quality = metricsMsg(...BASE);
  for (const message of others) {
    const bytes = toBinary(DashStreamMessageSchema, message);
    // Other members are left to protobuf-es; it ignores them (or takes the last member).
    check(message.message.case ?? "none", bytes, READ.FALLBACK);
    check(`metrics then ${message.message.case}`, cat(quality, bytes), READ.FALLBACK);
    check(`${message.message.case} then metrics`, cat(bytes, quality), READ.FALLBACK);
  }
});

Deno.test("readQuality() reads fields in any order and skips unknown fields", () => {
  const entry = (key: string, value: Uint8Array | number[]) =>
    lfield(4, lfield(2, value), sfield(1, key)); // value before key
  const unknowns = [
    vfield(15, 300),
    dfield(16, 1.5),
    sfield(17, "x"),
    [...tag(18, 5), 1, 2, 3, 4],
    [...tag(2000, 0), ...new Array(12).fill(0xff), 0x01],
  ];
  const cases: [string, Uint8Array][] = [
    ["value before key", metricsMsg(...BASE, entry("quality_score", dfield(2, 0.7)))],
    ["scope last", metricsMsg(HEADER, metricEntry("passed", vfield(4, 1)), SCOPE)],
    ["header last", metricsMsg(SCOPE, tagEntry("model", "m"), HEADER)],
    [
      "tag value before key",
      metricsMsg(...BASE, lfield(5, sfield(2, "Edge"), sfield(1, "category"))),
    ],
    ["unknown top-level fields", cat(...unknowns, metricsMsg(...BASE), ...unknowns)],
    ["unknown Metrics fields", metricsMsg(...unknowns, ...BASE, ...unknowns)],
    [
      "unknown Header fields",
      metricsMsg(lfield(1, ...unknowns, sfield(4, "t"), ...unknowns), SCOPE),
    ],
    [
      "unknown entry fields",
      metricsMsg(
        ...BASE,
        lfield(4, ...unknowns, sfield(1, "passed"), lfield(2, vfield(4, 1)), ...unknowns),
      ),
    ],
    [
      "unknown value fields",
      metricsMsg(...BASE, metricEntry("passed", ...unknowns, vfield(4, 1), ...unknowns)),
    ],
    [
      "unknown tag entry fields",
      metricsMsg(...BASE, lfield(5, ...unknowns, sfield(1, "model"), sfield(2, "m"))),
    ],
    ["entry without key", metricsMsg(...BASE, lfield(4, lfield(2, dfield(2, 0.5))))],
    ["entry without value", metricsMsg(...BASE, lfield(4, sfield(1, "quality_score")))],
    ["tag without value", metricsMsg(...BASE, lfield(5, sfield(1, "category")))],
    ["empty entries", metricsMsg(...BASE, lfield(4), lfield(5))],
    [
      "every header field",
      metricsMsg(
        lfield(
          1,
          lfield(1, [1, 2]),
          vfield(2, -1),
          sfield(3, "t"),
          sfield(4, "s"),
          vfield(5, 2n ** 64n - 1n),
          vfield(6, 6),
          lfield(7),
          vfield(8, 1),
          vfield(9, 1),
        ),
        SCOPE,
      ),
    ],
    [
      "enum out of range",
      metricsMsg(
        lfield(1, vfield(6, 999), vfield(8, -1)),
        SCOPE,
        metricEntry("passed", vfield(7, 77), vfield(4, 1)),
      ),
    ],
    ["non-minimal tag", cat([0xb2, 0x00], varint(SCOPE.length), SCOPE)],
    ["non-minimal length", cat(tag(6, 2), [0x80 | SCOPE.length, 0x80, 0x00], SCOPE)],
    ["5-byte tag", cat([0xb2, 0x80, 0x80, 0x80, 0x00], varint(SCOPE.length), SCOPE)],
  ];
  for (const [label, bytes] of cases) check(label, bytes, READ.EVENT);
  equal(eventOf(cases[0][1]).qualityScore, 0.7);
  equal(eventOf(cases[3][1]).category, "Edge");
  equal(eventOf(cases[12][1]).category, "");
});

Deno.test("readQuality() picks category and application type in spec order", () => {
  const tagsOf = (...entries: [string, string][]) =>
    eventOf(metricsMsg(...BASE, ...entries.map(([k, v]) => tagEntry(k, v))));
  equal(tagsOf().category, "Unknown");
  equal(tagsOf().applicationType, "unknown");
  equal(tagsOf(["complexity", "c"], ["query_category", "q"]).category, "q");
  equal(tagsOf(["complexity", "c"], ["query_category", "q"], ["category", "k"]).category, "k");
  equal(tagsOf(["complexity", "c"]).category, "c");
  equal(tagsOf(["category", ""], ["query_category", "q"]).category, "");
  equal(tagsOf(["app_type", "a"]).applicationType, "a");
  equal(tagsOf(["app_type", "a"], ["application_type", "b"]).applicationType, "b");
  equal(tagsOf(["model", "gpt-4o"]).model, "gpt-4o");
  for (const key of ["Model", "model ", "categor", "categoryy", "app_typ", "applicationtype"]) {
    check(`tag ${key}`, metricsMsg(...BASE, tagEntry(key, "v")), READ.EVENT);
  }
  for (const key of ["Passed", "passe", "quality_scores", "turn-number", "retry_counT"]) {
    check(`metric ${key}`, metricsMsg(...BASE, metricEntry(key, vfield(4, 1))), READ.EVENT);
  }
});

Deno.test("readQuality() validates UTF-8 like protobuf-es and decodes non-ASCII text", () => {
  const texts = ["séance-✓", "模型-4o", "emoji 🚀 model", "\uFEFFbom", "a\u0000b", "x".repeat(70)];
  for (const text of texts) {
    const bytes = metricsMsg(lfield(1, sfield(4, text)), SCOPE, tagEntry("model", text));
    check(`text ${text}`, bytes, READ.EVENT);
    equal(eventOf(bytes).sessionId, text);
    equal(eventOf(bytes).model, text);
  }
  const invalid: [string, number[]][] = [
    ["lone continuation", [0x80]],
    ["truncated 2-byte", [0x61, 0xc3]],
    ["bad continuation", [0xc3, 0x28]],
    ["overlong", [0xc0, 0xaf]],
    ["surrogate", [0xed, 0xa0, 0x80]],
    ["past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["0xff", [0xff]],
  ];
  for (const [label, raw] of invalid) {
    const bad = Uint8Array.from(raw);
    const long = cat(new Uint8Array(40).fill(0x61), bad); // past protobuf-es's short-string path
    for (const text of [bad, long]) {
      const places: [string, Uint8Array][] = [
        ["scope", metricsMsg(HEADER, sfield(2, text))],
        ["scope_id", metricsMsg(...BASE, sfield(3, text))],
        ["tenant_id", metricsMsg(lfield(1, sfield(3, text)), SCOPE)],
        ["thread_id", metricsMsg(lfield(1, sfield(4, text)), SCOPE)],
        ["metric key", metricsMsg(...BASE, lfield(4, sfield(1, text)))],
        ["string_value", metricsMsg(...BASE, metricEntry("x", sfield(3, text)))],
        ["unit", metricsMsg(...BASE, metricEntry("passed", sfield(6, text)))],
        ["tag key", metricsMsg(...BASE, lfield(5, sfield(1, text)))],
        ["tag value", metricsMsg(...BASE, lfield(5, sfield(1, "trace"), sfield(2, text)))],
      ];
      for (const [where, bytes] of places) check(`${label} in ${where}`, bytes, READ.ERROR);
    }
  }
  // Long strings are checked four bytes at a time: a bad or non-ASCII byte anywhere, at any
  // alignment of the buffer, is still seen.
  for (let shift = 0; shift < 4; shift++) {
    for (let at = 0; at < 100; at += 7) {
      for (const [raw, expected] of [[[0xff], READ.ERROR], [[0xc3, 0xa9], READ.EVENT]] as const) {
        const text = cat(new Uint8Array(at).fill(0x61), raw, new Uint8Array(99 - at).fill(0x62));
        const message = metricsMsg(...BASE, lfield(5, sfield(1, "trace"), sfield(2, text)));
        const buffer = cat(new Uint8Array(shift), message); // the message at offset `shift`
        check(`byte at ${at}, shift ${shift}`, buffer.subarray(shift), expected);
      }
    }
  }
  // bytes fields are not text: anything goes.
  check("bytes_value", metricsMsg(...BASE, metricEntry("x", lfield(5, [0xff, 0xc3]))), READ.EVENT);
  check("message_id", metricsMsg(lfield(1, lfield(1, [0xff])), SCOPE), READ.EVENT);
});

Deno.test("readQuality() rejects what protobuf-es rejects and falls back on the odd", () => {
  const cases: [string, Uint8Array | number[], number][] = [
    ["field 0", [0x02, 0x00], READ.ERROR],
    ["wire type 6", [0x0e], READ.ERROR],
    ["wire type 7 in Metrics", metricsMsg(SCOPE, [0x0f]), READ.ERROR],
    ["end group, unknown", [...tag(20, 4)], READ.ERROR],
    ["end group in Header", metricsMsg(lfield(1, tag(20, 4))), READ.ERROR],
    ["truncated varint", [...tag(10, 0), 0xff], READ.ERROR],
    ["truncated varint in Header", metricsMsg(lfield(1, [0x10, 0xff])), READ.ERROR],
    ["length past the end", [0x32, 0x05, 0x01], READ.ERROR],
    [
      "11-byte varint, header",
      metricsMsg(lfield(1, tag(2, 0), new Array(10).fill(0xff), [1])),
      READ.ERROR,
    ],
    ["6-byte tag", [0xb2, 0x80, 0x80, 0x80, 0x80, 0x00], READ.ERROR],
    ["tag over uint32", [0xb2, 0x80, 0x80, 0x80, 0x10], READ.ERROR],
    ["11-byte length", cat(tag(6, 2), new Array(10).fill(0x80), [0]), READ.ERROR],
    ["truncated double", metricsMsg(...BASE, metricEntry("accuracy", [0x11, 1, 2])), READ.ERROR],
    [
      "group, unknown field",
      cat(tag(20, 3), vfield(1, 1), tag(20, 4), metricsMsg(...BASE)),
      READ.FALLBACK,
    ],
    ["metrics as varint", [...tag(6, 0), 0], READ.FALLBACK],
    ["scope as varint", metricsMsg(vfield(2, 1)), READ.FALLBACK],
    ["thread_id as fixed32", metricsMsg(lfield(1, tag(4, 5), [1, 2, 3, 4]), SCOPE), READ.FALLBACK],
    [
      "int_value as string",
      metricsMsg(...BASE, metricEntry("latency_ms", sfield(1, "5"))),
      READ.FALLBACK,
    ],
    ["map key as varint", metricsMsg(...BASE, lfield(4, vfield(1, 5))), READ.FALLBACK],
  ];
  for (const [label, bytes, expected] of cases) check(label, Uint8Array.from(bytes), expected);
});

Deno.test("readQuality() reads across a nested message's end as protobuf-es does", () => {
  // protobuf-es keeps one cursor: a nested length only ends that message's field loop.
  const header = lfield(1, sfield(4, "abc"));
  const cases: [string, Uint8Array, number][] = [
    ["header past its Metrics", cat(tag(6, 2), varint(2), header, vfield(15, 1)), READ.WRONG_SCOPE],
    ["then top-level scope", cat(tag(6, 2), varint(2), header, SCOPE), READ.FALLBACK],
    [
      "entry past its Metrics",
      cat(tag(6, 2), varint(SCOPE.length + 3), SCOPE, metricEntry("passed", vfield(4, 1))),
      READ.EVENT,
    ],
    [
      "value past its entry",
      metricsMsg(...BASE, lfield(4, sfield(1, "passed"), tag(2, 2), varint(1)), vfield(4, 1)),
      READ.EVENT,
    ],
    ["Metrics shorter than its scope", cat(tag(6, 2), varint(1), SCOPE), READ.EVENT],
    ["Metrics past the buffer", cat(tag(6, 2), varint(SCOPE.length + 1), SCOPE), READ.ERROR],
    [
      "header past the buffer",
      metricsMsg(SCOPE, tag(1, 2), varint(50), sfield(4, "x")),
      READ.ERROR,
    ],
  ];
  for (const [label, bytes, expected] of cases) check(label, bytes, expected);
});

Deno.test("readQuality() agrees with protobuf-es on every truncation of a record", () => {
  const [record] = sampleRecords(1, { seed: 9, largeFraction: 1, compression: "never" });
  const bytes = unframe(record.value).bytes;
  const counts = readCounts();
  for (let end = 0; end <= bytes.length; end++) {
    compareWithReference(bytes.subarray(0, end), `cut at ${end}`, counts);
  }
  equal(counts.fallback, 0);
  ok(counts.error > bytes.length * 0.9, JSON.stringify(counts));
});

Deno.test("readQuality() agrees with protobuf-es on 40,000 mutated records", () => {
  const rng = new Prng(2024);
  const records = sampleRecords(400, { seed: 11, compression: "never" }).map((r) =>
    unframe(r.value).bytes
  );
  const edge = [
    metricsMsg(...BASE, metricEntry("quality_score", dfield(2, 0.5)), tagEntry("model", "m")),
    cat(
      vfield(15, 1),
      metricsMsg(lfield(1, sfield(4, "t")), SCOPE, metricEntry("passed", vfield(4, 1))),
    ),
  ];
  const counts = readCounts();
  for (let i = 0; i < 40_000; i++) {
    const base = i % 10 === 0 ? edge[i % 2] : records[i % records.length];
    compareWithReference(mutate(base, rng), `mutation ${i}`, counts);
  }
  // Enough of each outcome to mean something. Fallbacks (no claim made) are mostly garbage read
  // as a known field with another wire type, which protobuf-es then rejects.
  ok(counts.event > 4000 && counts.error > 20_000, JSON.stringify(counts));
  ok(counts.fallback < 40_000 * 0.2, JSON.stringify(counts));
});

Deno.test("readQuality() reads 1 MiB tags and thread ids whole, as protobuf-es", () => {
  // The length cap is the metrics core's (docs/semantics.md "Rule: value length cap"): both
  // readers hand over the values whole, so both paths cap them alike.
  const long = "é".repeat(512 * 1024) + "-end";
  const header = lfield(1, sfield(4, long));
  const bytes = metricsMsg(header, SCOPE, tagEntry("model", long), tagEntry("category", long));
  check("1 MiB strings", bytes, READ.EVENT);
  const event = eventOf(bytes);
  equal(event.model, long);
  equal(event.sessionId, long);
});
