/**
 * The demo's traffic (scripts/produce_samples.ts, scripts/demo.sh): typical quality events
 * ({@linkcode sampleQualityMessages}) with current timestamps, and around them the other kinds a
 * DashFlow app streams for the same session: node events, tool executions and token chunks. So
 * `tail` on the demo topic shows what the README shows, and `serve` counts the quality events.
 * @module
 */

import type { DashStreamMessage } from "../../../src/gen/dashstream_pb.ts";
import { MessageType } from "../../../src/gen/dashstream_pb.ts";
import { encodeRecord } from "../../../src/wire/encode.ts";
import { eventMessage, sampleHeader, tokenChunkMessage, toolExecutionMessage } from "./builders.ts";
import { Prng } from "./prng.ts";
import { sampleQualityMessages, type SampleRecord } from "./quality_events.ts";

/** Options of {@linkcode demoRecords}. */
export interface DemoOptions {
  /** PRNG seed. Default 42. */
  seed?: number;
  /** Time of the last event, µs since the epoch. Default: now. */
  endTimeUs?: bigint;
  /** Mean gap between quality events, ms. Default 20. */
  meanGapMs?: number;
}

const TOOLS = ["web_search", "vector_search", "fetch_url", "sql_query"];
const NODES = ["classify_query", "retrieve_documents", "rerank", "generate_answer"];
const WORDS = [" the consumer group", " commits offsets", " after each batch", " of records"];

/**
 * `count` quality events ending at `endTimeUs` (so a backlog produced now reads as the last
 * seconds of traffic, in order), each preceded in its session by a node event, and some by a
 * tool execution and a token chunk, a few milliseconds earlier. Keyed by the session (thread) id.
 */
export function demoRecords(count: number, options: DemoOptions = {}): SampleRecord[] {
  const meanGapMs = options.meanGapMs ?? 20;
  const endUs = options.endTimeUs ?? BigInt(Date.now()) * 1000n;
  const startUs = endUs - BigInt(Math.round(count * meanGapMs * 1000));
  const rng = new Prng((options.seed ?? 42) + 1_000_003);
  const records: SampleRecord[] = [];
  // Timestamps never go back, across sessions too (a gap can be shorter than the lead below).
  let last = 0n;
  const stamp = (us: bigint) => (last = us > last ? us : last);
  const push = (key: string, message: DashStreamMessage) =>
    records.push({ key, value: encodeRecord(message) });
  for (
    const quality of sampleQualityMessages(count, {
      seed: options.seed,
      startTimeUs: startUs,
      meanGapMs,
    })
  ) {
    if (quality.message.case !== "metrics") continue;
    const header = quality.message.value.header!;
    // Clamp: the Poisson gaps may overshoot the end a little; "now" is the latest time.
    const at = header.timestampUs > endUs ? endUs : header.timestampUs;
    const thread = header.threadId;
    const model = quality.message.value.tags.model ?? "gpt-4o-mini";
    const before = (us: number) => ({ timestampUs: stamp(at - BigInt(us)), threadId: thread });
    push(
      thread,
      eventMessage({
        header: sampleHeader(MessageType.EVENT, before(900)),
        nodeId: rng.pick(NODES),
        durationUs: BigInt(rng.int(2_000, 900_000)),
      }),
    );
    if (rng.chance(0.4)) {
      push(
        thread,
        toolExecutionMessage({
          header: sampleHeader(MessageType.TOOL_EXECUTION, before(600)),
          toolName: rng.pick(TOOLS),
          callId: `call_${rng.nextU32().toString(16)}`,
          durationUs: BigInt(rng.int(20_000, 1_500_000)),
        }),
      );
    }
    if (rng.chance(0.4)) {
      push(
        thread,
        tokenChunkMessage({
          header: sampleHeader(MessageType.TOKEN_CHUNK, before(300)),
          requestId: `req-${thread.slice(0, 8)}`,
          text: rng.pick(WORDS),
          chunkIndex: rng.int(0, 40),
          model,
        }),
      );
    }
    header.timestampUs = stamp(at);
    push(thread, quality);
  }
  return records;
}
