/**
 * Concise builders for one `DashStreamMessage` of each kind, with realistic,
 * deterministic defaults. Tests (and `tail` golden files) build on these, so
 * changing a default changes golden output.
 * @module
 */

import {
  create,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import {
  type AttributeValue,
  AttributeValueSchema,
  CheckpointSchema,
  CompressionType,
  type DashStreamMessage,
  DashStreamMessageSchema,
  DiffOperation_OpType,
  DiffOperation_ValueEncoding,
  Error_Severity,
  ErrorSchema,
  EventBatchSchema,
  EventSchema,
  EventType,
  ExecutionTraceSchema,
  type Header,
  HeaderSchema,
  MessageType,
  MetricsSchema,
  type MetricValue,
  MetricValue_MetricType,
  MetricValueSchema,
  StateDiffSchema,
  TokenChunk_FinishReason,
  TokenChunkSchema,
  ToolExecution_ExecutionStage,
  ToolExecutionSchema,
} from "../../../src/gen/dashstream_pb.ts";
import { boolValue, floatValue, intValue, metricsMessage } from "./metrics_message.ts";

/** 2026-01-01T00:00:00Z in microseconds: the default timestamp of samples. */
export const SAMPLE_EPOCH_US = 1_767_225_600_000_000n;

/** Default tenant of sample messages. */
export const SAMPLE_TENANT_ID = "acme-corp";

/** Default thread (session) id of sample messages. */
export const SAMPLE_THREAD_ID = "sess-7f3a2c91";

/** Header fields; anything left out gets a deterministic default. */
export interface HeaderFields {
  /** Default: a UUID derived from `sequence`. */
  messageId?: Uint8Array;
  /** Default {@linkcode SAMPLE_EPOCH_US}. */
  timestampUs?: bigint;
  /** Default {@linkcode SAMPLE_TENANT_ID}. */
  tenantId?: string;
  /** Default {@linkcode SAMPLE_THREAD_ID}. */
  threadId?: string;
  /** Default 1. */
  sequence?: bigint | number;
  /** Default none. */
  parentId?: Uint8Array;
  /** Default `COMPRESSION_NONE`; `encodeRecord()` sets ZSTD when it compresses. */
  compression?: CompressionType;
  /** Default 1. */
  schemaVersion?: number;
}

/**
 * 16 bytes shaped like a version-4 UUID ending in `n` (big endian, 62 bits):
 * stable, readable message ids for tests.
 */
export function sampleUuid(n: bigint | number): Uint8Array {
  const out = new Uint8Array(16);
  out[6] = 0x40; // version 4
  // The top bits 10 are the RFC 4122 variant; n fills the remaining 62.
  new DataView(out.buffer).setBigUint64(8, BigInt.asUintN(62, BigInt(n)) | (1n << 63n));
  return out;
}

/** A `Header` for a message of `type`, with deterministic defaults. */
export function sampleHeader(type: MessageType, fields: HeaderFields = {}): Header {
  const sequence = BigInt(fields.sequence ?? 1);
  return create(HeaderSchema, {
    messageId: fields.messageId ?? sampleUuid(sequence),
    timestampUs: fields.timestampUs ?? SAMPLE_EPOCH_US,
    tenantId: fields.tenantId ?? SAMPLE_TENANT_ID,
    threadId: fields.threadId ?? SAMPLE_THREAD_ID,
    sequence,
    type,
    parentId: fields.parentId ?? new Uint8Array(0),
    compression: fields.compression ?? CompressionType.COMPRESSION_NONE,
    schemaVersion: fields.schemaVersion ?? 1,
  });
}

/**
 * A metric value: a number is a `float_value`, a bigint an `int_value`,
 * boolean `bool_value`, string `string_value`, bytes `bytes_value`; a
 * `MetricValue` is used as is (e.g. to put an int where a float is expected).
 */
export type MetricInput = number | bigint | boolean | string | Uint8Array | MetricValue;

/**
 * The fields of one quality event. Only the metrics and tags given are
 * written, so a test can leave one out to check its default.
 */
export interface QualityFields {
  /** metrics["quality_score"] (float). */
  qualityScore?: number;
  /** metrics["passed"] (bool). */
  passed?: boolean;
  /** metrics["latency_ms"] (int). */
  latencyMs?: number;
  /** metrics["retry_count"] (int). */
  retryCount?: number;
  /** metrics["turn_number"] (int). */
  turnNumber?: number;
  /** metrics["accuracy"] (float). */
  accuracy?: number;
  /** metrics["relevance"] (float). */
  relevance?: number;
  /** metrics["completeness"] (float). */
  completeness?: number;
  /** tags["model"]. */
  model?: string;
  /** tags["category"]. */
  category?: string;
  /** tags["application_type"]. */
  applicationType?: string;
  /** header.thread_id, the session id (unless `header.threadId` is given). */
  sessionId?: string;
  /** Default "quality". */
  scope?: string;
  /** Default "". */
  scopeId?: string;
  /** Header fields; `null` writes no header at all. */
  header?: HeaderFields | null;
  /** More metrics, written after (and overriding) the named ones. */
  metrics?: Record<string, MetricInput>;
  /** More tags, written after (and overriding) the named ones. */
  tags?: Record<string, string>;
  /**
   * Write what a minimal producer sends, as the event and metrics tests assume: metric values
   * without type or unit, no scope_id, and a header holding only thread_id (`header.threadId`,
   * else `sessionId`, default "session-1"; `header: null` writes none).
   */
  bare?: boolean;
}

/**
 * One quality event (a `metrics` message), writing only the fields given. By default the values
 * carry the type and unit a real producer sets and the header is a full {@link sampleHeader};
 * with `bare` (the event and metrics tests' minimal producer) see {@link QualityFields.bare}.
 */
export function qualityMessage(fields: QualityFields = {}): DashStreamMessage {
  const bare = fields.bare === true;
  const gauge = MetricValue_MetricType.GAUGE;
  const float = (value: number) => bare ? floatValue(value) : floatMetric(value, gauge);
  const int = (value: number, type: MetricValue_MetricType, unit = "") =>
    bare ? intValue(value) : intMetric(value, type, unit);
  const metrics: Record<string, MetricValue> = {};
  if (fields.qualityScore !== undefined) metrics.quality_score = float(fields.qualityScore);
  if (fields.passed !== undefined) {
    metrics.passed = bare ? boolValue(fields.passed) : create(MetricValueSchema, {
      value: { case: "boolValue", value: fields.passed },
      type: gauge,
    });
  }
  if (fields.latencyMs !== undefined) {
    metrics.latency_ms = int(fields.latencyMs, MetricValue_MetricType.HISTOGRAM, "ms");
  }
  if (fields.retryCount !== undefined) {
    metrics.retry_count = int(fields.retryCount, MetricValue_MetricType.COUNTER);
  }
  if (fields.turnNumber !== undefined) metrics.turn_number = int(fields.turnNumber, gauge);
  if (fields.accuracy !== undefined) metrics.accuracy = float(fields.accuracy);
  if (fields.relevance !== undefined) metrics.relevance = float(fields.relevance);
  if (fields.completeness !== undefined) metrics.completeness = float(fields.completeness);
  for (const [key, value] of Object.entries(fields.metrics ?? {})) {
    metrics[key] = metricValue(value);
  }
  const tags: Record<string, string> = {};
  if (fields.model !== undefined) tags.model = fields.model;
  if (fields.category !== undefined) tags.category = fields.category;
  if (fields.applicationType !== undefined) tags.application_type = fields.applicationType;
  Object.assign(tags, fields.tags);
  if (bare) {
    const threadId = fields.header === null ? null : fields.header?.threadId ?? fields.sessionId;
    return metricsMessage({ scope: fields.scope, threadId, metrics, tags });
  }
  const header = fields.header === null ? undefined : sampleHeader(MessageType.METRICS, {
    threadId: fields.sessionId,
    ...fields.header,
  });
  return create(DashStreamMessageSchema, {
    message: {
      case: "metrics",
      value: create(MetricsSchema, {
        header,
        scope: fields.scope ?? "quality",
        scopeId: fields.scopeId ?? "",
        metrics,
        tags,
      }),
    },
  });
}

function floatMetric(value: number, type: MetricValue_MetricType): MetricValue {
  return create(MetricValueSchema, { value: { case: "floatValue", value }, type });
}

function intMetric(value: number, type: MetricValue_MetricType, unit = ""): MetricValue {
  return create(MetricValueSchema, {
    value: { case: "intValue", value: BigInt(Math.trunc(value)) },
    unit,
    type,
  });
}

function metricValue(input: MetricInput): MetricValue {
  if (typeof input === "number") {
    return create(MetricValueSchema, { value: { case: "floatValue", value: input } });
  }
  if (typeof input === "bigint") {
    return create(MetricValueSchema, { value: { case: "intValue", value: input } });
  }
  if (typeof input === "boolean") {
    return create(MetricValueSchema, { value: { case: "boolValue", value: input } });
  }
  if (typeof input === "string") {
    return create(MetricValueSchema, { value: { case: "stringValue", value: input } });
  }
  if (input instanceof Uint8Array) {
    return create(MetricValueSchema, { value: { case: "bytesValue", value: input } });
  }
  return input;
}

const text = new TextEncoder();

/** UTF-8 bytes of a JSON value, for the many `bytes` fields holding JSON. */
export function jsonBytes(value: unknown): Uint8Array {
  return text.encode(JSON.stringify(value));
}

/** Deterministic filler bytes (ids, hashes): `length` bytes counting from `start`. */
export function sampleBytes(length: number, start = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (start + i * 37) & 0xff;
  return out;
}

/**
 * The kinds other than `metrics`, by their oneof case: each one's schema, and the message type
 * and sequence number of its sample header (every builder's default header).
 */
const KINDS = {
  event: { schema: EventSchema, type: MessageType.EVENT, sequence: 11 },
  stateDiff: { schema: StateDiffSchema, type: MessageType.STATE_DIFF, sequence: 12 },
  tokenChunk: { schema: TokenChunkSchema, type: MessageType.TOKEN_CHUNK, sequence: 13 },
  toolExecution: { schema: ToolExecutionSchema, type: MessageType.TOOL_EXECUTION, sequence: 14 },
  checkpoint: { schema: CheckpointSchema, type: MessageType.CHECKPOINT, sequence: 15 },
  error: { schema: ErrorSchema, type: MessageType.ERROR, sequence: 16 },
  executionTrace: { schema: ExecutionTraceSchema, type: MessageType.EXECUTION_TRACE, sequence: 17 },
  eventBatch: { schema: EventBatchSchema, type: MessageType.EVENT_BATCH, sequence: 20 },
} as const;

type Kind = keyof typeof KINDS;
type KindSchema<K extends Kind> = (typeof KINDS)[K]["schema"];

/** The fields of one kind's message, as `create()` takes them: what a builder's `init` sets. */
export type KindInit<K extends Kind> = Exclude<
  MessageInitShape<KindSchema<K>>,
  MessageShape<KindSchema<K>>
>;

/** A `DashStreamMessage` of `kind`: the sample header, then `defaults`, then `init` over both. */
function kindMessage<K extends Kind>(
  kind: K,
  init: KindInit<K>,
  defaults: KindInit<K>,
): DashStreamMessage {
  const { schema, type, sequence } = KINDS[kind];
  // One generic body for eight schemas: TypeScript cannot relate `schema` to `K` here.
  const value = create(schema as DescMessage, {
    header: sampleHeader(type, { sequence }),
    ...defaults,
    ...init,
  });
  return create(DashStreamMessageSchema, {
    message: { case: kind, value } as DashStreamMessage["message"],
  });
}

/** A node-end `Event` of a retrieval node, with typed attributes of every kind. */
export function eventMessage(init: KindInit<"event"> = {}): DashStreamMessage {
  return kindMessage("event", init, eventDefaults());
}

function eventDefaults(): KindInit<"event"> {
  const attr = (
    value: Exclude<MessageInitShape<typeof AttributeValueSchema>, AttributeValue>["value"],
  ) => create(AttributeValueSchema, { value });
  return {
    eventType: EventType.NODE_END,
    nodeId: "retrieve_documents",
    attributes: {
      node_type: attr({ case: "stringValue", value: "retriever" }),
      documents_found: attr({ case: "intValue", value: 8n }),
      top_score: attr({ case: "floatValue", value: 0.873 }),
      cache_hit: attr({ case: "boolValue", value: false }),
      sources: attr({
        case: "arrayValue",
        value: {
          values: [
            attr({ case: "stringValue", value: "arxiv" }),
            attr({ case: "stringValue", value: "internal-wiki" }),
          ],
        },
      }),
      llm: attr({
        case: "mapValue",
        value: {
          values: {
            provider: attr({ case: "stringValue", value: "openai" }),
            model: attr({ case: "stringValue", value: "text-embedding-3-small" }),
          },
        },
      }),
    },
    durationUs: 184_250n,
    llmRequestId: "req_01JGZ8K4M3N7P2Q5R6S9T0V1W2",
  };
}

/** An `EventBatch` of three events: graph start, node start, node end. */
export function eventBatchMessage(init: KindInit<"eventBatch"> = {}): DashStreamMessage {
  const event = (sequence: number, eventType: EventType, nodeId: string, durationUs: bigint) =>
    create(EventSchema, {
      header: sampleHeader(MessageType.EVENT, {
        sequence,
        timestampUs: SAMPLE_EPOCH_US + BigInt(sequence) * 1000n,
      }),
      eventType,
      nodeId,
      durationUs,
    });
  return kindMessage("eventBatch", init, {
    events: [
      event(21, EventType.GRAPH_START, "librarian", 0n),
      event(22, EventType.NODE_START, "rerank", 0n),
      event(23, EventType.NODE_END, "rerank", 41_900n),
    ],
  });
}

/** A `StateDiff` with a replace, an add and a remove (JSON-encoded values). */
export function stateDiffMessage(init: KindInit<"stateDiff"> = {}): DashStreamMessage {
  return kindMessage("stateDiff", init, {
    baseCheckpointId: sampleUuid(7),
    operations: [
      {
        op: DiffOperation_OpType.REPLACE,
        path: "/messages/3/content",
        value: jsonBytes("Kafka consumers commit offsets after processing."),
        encoding: DiffOperation_ValueEncoding.JSON,
      },
      {
        op: DiffOperation_OpType.ADD,
        path: "/iteration",
        value: jsonBytes(2),
        encoding: DiffOperation_ValueEncoding.JSON,
      },
      { op: DiffOperation_OpType.REMOVE, path: "/scratchpad" },
    ],
    stateHash: sampleBytes(32),
  });
}

/** A mid-stream `TokenChunk` from gpt-4o-mini with token ids, logprobs, stats. */
export function tokenChunkMessage(init: KindInit<"tokenChunk"> = {}): DashStreamMessage {
  return kindMessage("tokenChunk", init, {
    requestId: "chatcmpl-AbC123xYz",
    text: " offsets are committed",
    tokenIds: [36146, 527, 11411],
    logprobs: [-0.015625, -0.25, -1.5], // exact in float32, so they round trip
    chunkIndex: 3,
    isFinal: false,
    finishReason: TokenChunk_FinishReason.NONE,
    model: "gpt-4o-mini",
    stats: { promptTokens: 412, completionTokens: 37, totalTokens: 449 },
  });
}

/** A completed `web_search` `ToolExecution` with JSON arguments and result. */
export function toolExecutionMessage(init: KindInit<"toolExecution"> = {}): DashStreamMessage {
  return kindMessage("toolExecution", init, {
    callId: "call_8f2b1c9d",
    toolName: "web_search",
    stage: ToolExecution_ExecutionStage.COMPLETED,
    arguments: jsonBytes({ query: "kafka consumer lag prometheus", max_results: 5 }),
    result: jsonBytes({
      hits: 5,
      top: "https://kafka.apache.org/documentation/#consumerconfigs",
    }),
    durationUs: 912_400n,
    retryCount: 0,
  });
}

/** A `Checkpoint` stored in S3, zstd-compressed, with metadata. */
export function checkpointMessage(init: KindInit<"checkpoint"> = {}): DashStreamMessage {
  return kindMessage("checkpoint", init, {
    checkpointId: sampleUuid(8),
    state: jsonBytes({ iteration: 2, documents: 8, draft: "Offsets advance..." }),
    stateType: "LibrarianState",
    checksum: sampleBytes(32, 9),
    storageUri: "s3://dashflow-checkpoints/acme-corp/sess-7f3a2c91/ckpt-0007.json.zst",
    compressionInfo: {
      type: CompressionType.COMPRESSION_ZSTD,
      compressedSize: 2048n,
      uncompressedSize: 8192n,
      compressionRatio: 4,
    },
    metadata: { node: "synthesize", step: "7" },
  });
}

/** A rate-limit `Error` of severity ERROR with context and suggestions. */
export function errorMessage(init: KindInit<"error"> = {}): DashStreamMessage {
  return kindMessage("error", init, {
    errorCode: "LLM_RATE_LIMITED",
    message: "Rate limit exceeded for gpt-4o: 429 Too Many Requests",
    stackTrace: "at generate_answer (librarian/nodes.rs:212)\nat run_graph (dashflow/graph.rs:88)",
    context: { node: "generate_answer", provider: "openai", attempt: "3" },
    severity: Error_Severity.ERROR,
    exceptionType: "RateLimitError",
    suggestions: ["Retry with exponential backoff", "Lower max_concurrency for this provider"],
  });
}

/** A completed three-node `ExecutionTrace` with one recovered error. */
export function executionTraceMessage(init: KindInit<"executionTrace"> = {}): DashStreamMessage {
  const node = (name: string, durationMs: bigint, prompt: bigint, completion: bigint) => ({
    node: name,
    durationMs,
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    succeeded: true,
    startedAt: "2026-01-01T00:00:00.000Z",
    endedAt: "2026-01-01T00:00:01.250Z",
    metadata: { attempt: "1" },
  });
  return kindMessage("executionTrace", init, {
    threadId: SAMPLE_THREAD_ID,
    executionId: "exec-01JGZ8M0",
    nodesExecuted: [
      node("retrieve_documents", 184n, 0n, 0n),
      node("rerank", 42n, 0n, 0n),
      node("generate_answer", 1830n, 412n, 96n),
    ],
    totalDurationMs: 2056n,
    totalTokens: 508n,
    errors: [{
      node: "generate_answer",
      message: "429 Too Many Requests",
      errorCode: "LLM_RATE_LIMITED",
      timestamp: "2026-01-01T00:00:00.900Z",
      recovered: true,
    }],
    completed: true,
    startedAt: "2026-01-01T00:00:00.000Z",
    endedAt: "2026-01-01T00:00:02.056Z",
    finalState: jsonBytes({ answer: "Offsets are committed after processing.", sources: 3 }),
    metadata: { graph: text.encode("librarian-v2") },
  });
}

/**
 * One sample message of every kind other than `metrics`, in the order the schema lists the
 * kinds (event, event batch, state diff, token chunk, tool execution, checkpoint, error,
 * execution trace): what tests feed to show a path handles, or ignores, every kind.
 */
export function otherKindMessages(): DashStreamMessage[] {
  return [
    eventMessage(),
    eventBatchMessage(),
    stateDiffMessage(),
    tokenChunkMessage(),
    toolExecutionMessage(),
    checkpointMessage(),
    errorMessage(),
    executionTraceMessage(),
  ];
}
