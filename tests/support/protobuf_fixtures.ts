/**
 * The crafted protobuf expositions of tests/fixtures/check/ (delimited `MetricFamily`
 * messages): one valid file with a native histogram, and broken ones whose second family breaks
 * one native histogram rule. `deno run -A tests/support/protobuf_fixtures.ts` writes them;
 * tests/check_protobuf_test.ts checks the committed files are what this writes.
 *
 * @module
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { sizeDelimitedEncode } from "@bufbuild/protobuf/wire";
import {
  type Histogram,
  type HistogramSchema,
  MetricFamilySchema,
  MetricType,
} from "../../src/gen/io/prometheus/client/metrics_pb.ts";
import { FIXTURES } from "./check.ts";
import { cat } from "./protobuf.ts";

type HistogramInit = Exclude<MessageInitShape<typeof HistogramSchema>, Histogram>;

// 5 observations: 1 in the zero bucket, 2 in bucket 0 (1], 2 in bucket 3.
const GOOD: HistogramInit = {
  sampleCount: 5n,
  sampleSum: 4.5,
  bucket: [{ cumulativeCount: 1n, upperBound: 0.5 }, { cumulativeCount: 3n, upperBound: 1 }],
  schema: 3,
  zeroThreshold: 2 ** -128,
  zeroCount: 1n,
  positiveSpan: [{ offset: 0, length: 1 }, { offset: 2, length: 1 }],
  positiveDelta: [2n, 0n],
};

function counter(): Uint8Array {
  return sizeDelimitedEncode(
    MetricFamilySchema,
    create(MetricFamilySchema, {
      name: "requests_total",
      help: "Requests served.",
      type: MetricType.COUNTER,
      metric: [{ label: [{ name: "code", value: "200" }], counter: { value: 7 } }],
    }),
  );
}

function histogram(changes: Partial<HistogramInit>): Uint8Array {
  return sizeDelimitedEncode(
    MetricFamilySchema,
    create(MetricFamilySchema, {
      name: "request_duration_seconds",
      help: "Request duration.",
      type: MetricType.HISTOGRAM,
      metric: [{ histogram: { ...GOOD, ...changes } }],
    }),
  );
}

/** One crafted file: where it goes, its bytes and, for a broken one, the rule and message. */
export interface ProtobufFixture {
  path: string;
  bytes: Uint8Array;
  rule?: string;
  line?: number;
}

/** Every crafted protobuf fixture. */
export function protobufFixtures(): ProtobufFixture[] {
  const broken = (name: string, rule: string, changes: Partial<HistogramInit>) => ({
    path: `invalid/${name}.pb`,
    bytes: cat(counter(), histogram(changes)),
    rule,
    line: 2,
  });
  const whole = histogram({});
  return [
    { path: "valid/native_histogram.pb", bytes: cat(counter(), whole) },
    broken("native_schema", "native-schema", { schema: 9 }),
    broken("native_spans", "native-spans", { positiveSpan: [{ offset: 0, length: 3 }] }),
    broken("native_negative_count", "native-negative-count", { positiveDelta: [2n, -3n] }),
    broken("native_count_mismatch", "native-count-mismatch", { sampleCount: 6n }),
    {
      path: "invalid/protobuf_truncated.pb",
      bytes: cat(counter(), whole.subarray(0, whole.length - 4)),
      rule: "protobuf-syntax",
      line: 2,
    },
  ];
}

if (import.meta.main) {
  for (const fixture of protobufFixtures()) {
    Deno.writeFileSync(`${FIXTURES}${fixture.path}`, fixture.bytes);
  }
}
