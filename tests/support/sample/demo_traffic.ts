/**
 * The demo's traffic (scripts/produce_samples.ts, scripts/demo.sh): typical quality events
 * ({@linkcode sampleQualityMessages}) with current timestamps, and around them the other kinds a
 * DashFlow app streams for the same session: node events, tool executions and token chunks. So
 * `tail` on the demo topic shows what the README shows, and `serve` counts the quality events.
 * @module
 */

import type { DashStreamMessage, Header } from "../../../src/gen/dashstream_pb.ts";
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

/** One kind of message a session streams before each of its quality events. */
interface Lead {
  /** The message type of its header. */
  type: MessageType;
  /** How long before the quality event, µs. */
  beforeUs: number;
  /** How often (the PRNG draws for it); always when unset. */
  chance?: number;
  /** The message, with its header and fields drawn from the PRNG. */
  message: (header: Header, rng: Prng, model: string) => DashStreamMessage;
}

/** What precedes a quality event, in order: the draws in this order make the demo's traffic. */
const LEADS: Lead[] = [
  {
    type: MessageType.EVENT,
    beforeUs: 900,
    message: (header, rng) =>
      eventMessage({
        header,
        nodeId: rng.pick(NODES),
        durationUs: BigInt(rng.int(2_000, 900_000)),
      }),
  },
  {
    type: MessageType.TOOL_EXECUTION,
    beforeUs: 600,
    chance: 0.4,
    message: (header, rng) =>
      toolExecutionMessage({
        header,
        toolName: rng.pick(TOOLS),
        callId: `call_${rng.nextU32().toString(16)}`,
        durationUs: BigInt(rng.int(20_000, 1_500_000)),
      }),
  },
  {
    type: MessageType.TOKEN_CHUNK,
    beforeUs: 300,
    chance: 0.4,
    message: (header, rng, model) =>
      tokenChunkMessage({
        header,
        requestId: `req-${header.threadId.slice(0, 8)}`,
        text: rng.pick(WORDS),
        chunkIndex: rng.int(0, 40),
        model,
      }),
  },
];

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
  // Timestamps never go back, across sessions too (a gap can be shorter than a lead's beforeUs).
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
    for (const lead of LEADS) {
      if (lead.chance !== undefined && !rng.chance(lead.chance)) continue;
      const timestampUs = stamp(at - BigInt(lead.beforeUs));
      push(
        thread,
        lead.message(sampleHeader(lead.type, { timestampUs, threadId: thread }), rng, model),
      );
    }
    header.timestampUs = stamp(at);
    push(thread, quality);
  }
  return records;
}
