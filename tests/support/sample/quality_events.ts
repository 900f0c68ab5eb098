/**
 * Deterministic "typical" DashFlow quality traffic for the demo producer,
 * tests and benchmarks: a few dozen concurrent sessions, a realistic model and
 * category mix, and about 30% of events carrying a long trace so they encode
 * to more than 512 bytes and get zstd-framed, as real producers do.
 * @module
 */

import type { DashStreamMessage } from "../../../src/gen/dashstream_pb.ts";
import type { QualityEvent } from "../../../src/event/quality_event.ts";
import { type CompressionMode, encodeRecord } from "../../../src/wire/encode.ts";
import { qualityMessage, SAMPLE_EPOCH_US, SAMPLE_TENANT_ID } from "./builders.ts";
import { Prng } from "./prng.ts";

/** Options for {@linkcode sampleQualityMessages}. */
export interface SampleOptions {
  /** PRNG seed; equal seeds give identical traffic. Default 42. */
  seed?: number;
  /** Concurrently active sessions; a finished session is replaced. Default 64. */
  sessions?: number;
  /** Timestamp of the first event, in µs. Default 2026-01-01T00:00:00Z. */
  startTimeUs?: bigint;
  /** Mean gap between events, in ms. Default 20. */
  meanGapMs?: number;
  /** Share of events with a long trace tag (> 512 bytes encoded). Default 0.3. */
  largeFraction?: number;
  /** header.tenant_id. Default "acme-corp". */
  tenantId?: string;
}

/** Models as producers report them (raw, before normalize_model), by weight. */
export const SAMPLE_MODELS: readonly (readonly [string, number])[] = [
  ["gpt-4o-mini", 30],
  ["gpt-4o", 16],
  ["claude-3-5-sonnet-20241022", 15],
  ["gemini-1.5-pro", 7],
  ["llama3:8b", 6],
  ["claude-3-5-haiku-20241022", 5],
  ["gemini-1.5-flash", 4],
  ["gpt-4-turbo", 3],
  ["mistral-large-latest", 3],
  ["gpt-4o-2024-08-06", 2],
  ["o1-mini", 2],
  ["gpt-3.5-turbo", 2],
  ["codellama:13b", 1],
  ["claude-3-opus-20240229", 1],
];

/** Category tag values, by weight: mostly canonical, some lowercase. */
export const SAMPLE_CATEGORIES: readonly (readonly [string, number])[] = [
  ["Simple", 30],
  ["Medium", 28],
  ["Complex", 20],
  ["Edge", 7],
  ["simple", 6],
  ["medium", 4],
  ["complex", 3],
  ["edge", 2],
];

/** application_type tag values, by weight: mostly librarian or other. */
export const SAMPLE_APPLICATION_TYPES: readonly (readonly [string, number])[] = [
  ["librarian", 55],
  ["other", 27],
  ["code_assistant", 10],
  ["document_search", 5],
  ["document_search_streaming", 3],
];

const QUALITY_BY_CATEGORY: Record<string, number> = {
  simple: 0.9,
  medium: 0.82,
  complex: 0.72,
  edge: 0.6,
};

const TOPICS = [
  "Kafka consumer group rebalancing",
  "Prometheus histogram bucket design",
  "retrieval-augmented generation evaluation",
  "zstd compression levels for telemetry",
  "LangGraph checkpoint recovery",
  "vector index recall at k",
  "SLO burn-rate alerting",
  "protobuf schema evolution",
];

const ASKS = [
  "Summarize the key findings on",
  "Compare the trade-offs in",
  "Explain step by step",
  "List the failure modes of",
  "Draft a runbook entry for",
  "Find the primary sources about",
];

const NODES = [
  "classify_query",
  "retrieve_documents",
  "rerank",
  "grade_documents",
  "rewrite_query",
  "generate_answer",
  "check_hallucination",
  "format_citations",
];

interface Session {
  id: string;
  turn: number;
  turns: number;
  sequence: bigint;
  model: string;
  category: string;
  applicationType: string;
}

/**
 * Yields `count` quality events (scope "quality") of typical traffic. Each has
 * a header (UUID message id, timestamp, thread id = session id, per-session
 * sequence), the nine metrics the exporter reads and model / category /
 * application_type tags; about `largeFraction` also carry `prompt_summary`
 * and `trace` tags long enough to be zstd-framed.
 */
export function* sampleQualityMessages(
  count: number,
  options: SampleOptions = {},
): Generator<DashStreamMessage> {
  const rng = new Prng(options.seed ?? 42);
  const sessionCount = Math.max(1, options.sessions ?? 64);
  const largeFraction = options.largeFraction ?? 0.3;
  const meanGapUs = (options.meanGapMs ?? 20) * 1000;
  const tenantId = options.tenantId ?? SAMPLE_TENANT_ID;
  const sessions: Session[] = [];
  for (let i = 0; i < sessionCount; i++) sessions.push(newSession(rng));
  let timestampUs = options.startTimeUs ?? SAMPLE_EPOCH_US;
  for (let i = 0; i < count; i++) {
    const slot = rng.int(0, sessionCount - 1);
    if (sessions[slot].turn >= sessions[slot].turns) sessions[slot] = newSession(rng);
    const session = sessions[slot];
    session.turn++;
    session.sequence++;
    // Exponential gaps: a Poisson stream of events.
    timestampUs += BigInt(Math.round(-Math.log(1 - rng.next()) * meanGapUs));
    yield qualityEvent(rng, session, { timestampUs, tenantId, large: rng.chance(largeFraction) });
  }
}

function newSession(rng: Prng): Session {
  return {
    id: rng.uuid(),
    turn: 0,
    turns: rng.weighted([[1, 25], [2, 20], [3, 18], [5, 15], [8, 12], [12, 7], [25, 3]]),
    sequence: 0n,
    model: rng.weighted(SAMPLE_MODELS),
    category: rng.weighted(SAMPLE_CATEGORIES),
    applicationType: rng.weighted(SAMPLE_APPLICATION_TYPES),
  };
}

function qualityEvent(
  rng: Prng,
  session: Session,
  event: { timestampUs: bigint; tenantId: string; large: boolean },
): DashStreamMessage {
  // A session mostly keeps its model and category; sometimes a turn differs.
  const model = rng.chance(0.9) ? session.model : rng.weighted(SAMPLE_MODELS);
  const category = rng.chance(0.85) ? session.category : rng.weighted(SAMPLE_CATEGORIES);
  const mean = QUALITY_BY_CATEGORY[category.toLowerCase()] ?? 0.75;
  const qualityScore = round3(rng.normal(mean, 0.1, 0, 1));
  const passed = qualityScore >= 0.7;
  const slow = model.startsWith("o1") || model.includes("opus") ? 3 : 1;
  const latencyMs = Math.round(
    Math.min(60_000, Math.exp(rng.normal(Math.log(850 * slow), 0.7))),
  );
  const retryCount = passed
    ? rng.weighted([[0, 82], [1, 12], [2, 4], [3, 2]])
    : rng.weighted([[0, 45], [1, 25], [2, 15], [3, 10], [5, 5]]);
  const near = () => round3(rng.normal(qualityScore, 0.05, 0, 1));
  // A few producers use the alternative tag names the exporter also reads.
  const categoryKey = rng.chance(0.05) ? "query_category" : "category";
  const tags: Record<string, string> = { [categoryKey]: category };
  if (event.large) {
    tags.prompt_summary = `${rng.pick(ASKS)} ${rng.pick(TOPICS)} for ${session.applicationType}`;
    tags.trace = traceText(rng, model);
  }
  return qualityMessage({
    qualityScore,
    passed,
    latencyMs,
    retryCount,
    turnNumber: session.turn,
    accuracy: near(),
    relevance: near(),
    completeness: near(),
    model,
    applicationType: session.applicationType,
    scopeId: `q-${rng.nextU32().toString(16).padStart(8, "0")}`,
    header: {
      messageId: rng.uuidBytes(),
      timestampUs: event.timestampUs,
      tenantId: event.tenantId,
      threadId: session.id,
      sequence: session.sequence,
    },
    tags,
  });
}

/** A node-by-node trace summary, 500-1200 characters. */
function traceText(rng: Prng, model: string): string {
  const steps: string[] = [];
  const target = rng.int(500, 1200);
  let length = 0;
  for (let step = 1; length < target; step++) {
    const node = rng.pick(NODES);
    const ms = rng.int(3, 2400);
    const detail = node === "generate_answer"
      ? `model=${model} prompt_tokens=${rng.int(200, 4000)} completion_tokens=${rng.int(20, 900)}`
      : node.includes("retrieve")
      ? `top_k=${rng.pick([5, 8, 10, 20])} hits=${rng.int(0, 20)} index=docs-v3`
      : `score=${round3(rng.next())} decision=${rng.pick(["continue", "retry", "accept"])}`;
    const line = `${step}. ${node} ${ms}ms ${detail}`;
    steps.push(line);
    length += line.length + 1;
  }
  return steps.join("\n");
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** One Kafka record of sample traffic: key = the session (thread) id. */
export interface SampleRecord {
  /** The producer's thread_id, as DashFlow keys its records. */
  key: string;
  /** The framed record value, from `encodeRecord()`. */
  value: Uint8Array;
}

/** Options for {@linkcode sampleRecords}: the traffic plus how to frame it. */
export interface SampleRecordOptions extends SampleOptions {
  /** Default `auto` (zstd only above 512 bytes and when smaller). */
  compression?: CompressionMode;
  /** Write unframed (legacy) values. */
  legacy?: boolean;
}

/** `count` records of {@linkcode sampleQualityMessages}, framed like producers do. */
export function sampleRecords(count: number, options: SampleRecordOptions = {}): SampleRecord[] {
  const records: SampleRecord[] = [];
  const encodeOptions = { compression: options.compression, legacy: options.legacy };
  for (const message of sampleQualityMessages(count, options)) {
    const key = message.message.case === "metrics" ? message.message.value.header?.threadId : "";
    records.push({ key: key ?? "", value: encodeRecord(message, encodeOptions) });
  }
  return records;
}

/**
 * A quality event with every field set, as a reader must decode it from
 * `qualityMessage(FULL_QUALITY_EVENT)` (or its `bare` form).
 */
export const FULL_QUALITY_EVENT: QualityEvent = Object.freeze({
  qualityScore: 0.875,
  passed: true,
  latencyMs: 1234,
  retryCount: 2,
  turnNumber: 4,
  accuracy: 0.9,
  relevance: 0.8,
  completeness: 0.7,
  model: "gpt-4o",
  category: "Complex",
  applicationType: "librarian",
  sessionId: "thread-9",
  hasHeader: true,
});
