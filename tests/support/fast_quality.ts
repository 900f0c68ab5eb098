/**
 * Test support for the fast quality path: `metrics` message builders and
 * {@linkcode compareWithReference}, which checks one input against protobuf-es + `classify()`
 * (the protobuf writer and mutations are protobuf.ts's). Used by
 * fast_quality_test.ts and apply_record_test.ts; not part of any public API.
 * @module
 */

import { deepStrictEqual, fail, ok } from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { DashStreamMessageSchema } from "../../src/gen/dashstream_pb.ts";
import { hex, lfield, type Part, sfield } from "./protobuf.ts";
import { type Classification, classify, emptyQualityEvent } from "../../src/event/quality_event.ts";
import { READ, readQuality, type ReadResult } from "../../src/event/fast_quality.ts";

/** A `metrics` map entry: key, then a `MetricValue` built from parts. */
export function metricEntry(key: string, ...value: Part[]): Uint8Array {
  return lfield(4, sfield(1, key), lfield(2, ...value));
}

/** A `tags` map entry. */
export function tagEntry(key: string, value: string): Uint8Array {
  return lfield(5, sfield(1, key), sfield(2, value));
}

/** A `DashStreamMessage` whose `metrics` (field 6) holds the parts. */
export function metricsMsg(...parts: Part[]): Uint8Array {
  return lfield(6, ...parts);
}

/** Tallies of {@linkcode compareWithReference} results. */
export type ReadCounts = Record<"ignored" | "wrong_scope" | "event" | "fallback" | "error", number>;

/** Zeroed {@linkcode ReadCounts}. */
export function readCounts(): ReadCounts {
  return { ignored: 0, wrong_scope: 0, event: 0, fallback: 0, error: 0 };
}

const NAMES = ["ignored", "wrong_scope", "event", "fallback", "error"] as const;

/**
 * Reads `bytes` with `readQuality()` and with protobuf-es + `classify()` and asserts they agree:
 * READ.ERROR only where protobuf-es throws; READ.IGNORED / READ.WRONG_SCOPE / READ.EVENT only
 * where `classify()` says the same, with an identical event. READ.FALLBACK claims nothing.
 * Returns the fast result (and counts it into `counts`, if given).
 */
export function compareWithReference(
  bytes: Uint8Array,
  label: string,
  counts?: ReadCounts,
): ReadResult {
  const out = emptyQualityEvent();
  const fast = readQuality(bytes, out);
  if (counts !== undefined) counts[NAMES[fast]]++;
  if (fast === READ.FALLBACK) return fast;
  let reference: Classification | undefined;
  let error: unknown;
  try {
    reference = classify(fromBinary(DashStreamMessageSchema, bytes));
  } catch (caught) {
    error = caught;
  }
  const where = `${label}: bytes ${hex(bytes)}`;
  if (fast === READ.ERROR) {
    ok(reference === undefined, `${where}: fast path says error, protobuf-es decodes it`);
    return fast;
  }
  if (reference === undefined) fail(`${where}: protobuf-es throws (${error}), fast path reads it`);
  if (fast === READ.IGNORED) deepStrictEqual(reference.kind, "ignored", where);
  else if (fast === READ.WRONG_SCOPE) deepStrictEqual(reference.kind, "wrong_scope", where);
  else if (fast === READ.EVENT) {
    deepStrictEqual(reference.kind, "quality", where);
    if (reference.kind === "quality") deepStrictEqual({ ...out }, reference.event, where);
  }
  return fast;
}
