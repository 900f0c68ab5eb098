/**
 * `tail --format pretty`: one compact, human line per record. Quality events
 * show score, passed, latency, model, category and session; every other type
 * its few most telling fields; a record that failed to decode shows the reason.
 * @module
 */

import type { DescEnum } from "@bufbuild/protobuf";
import {
  type AttributeValue,
  type Checkpoint,
  CompressionTypeSchema,
  type DashStreamMessage,
  DiffOperation_OpTypeSchema,
  type Error as ErrorMessage,
  Error_Severity,
  Error_SeveritySchema,
  type Event,
  type EventBatch,
  EventTypeSchema,
  type ExecutionTrace,
  type Metrics,
  type MetricValue,
  type StateDiff,
  type TokenChunk,
  TokenChunk_FinishReasonSchema,
  type ToolExecution,
  ToolExecution_ExecutionStage,
  ToolExecution_ExecutionStageSchema,
} from "../gen/dashstream_pb.ts";
import { qualityEventFromMetrics } from "../event/quality_event.ts";
import { formatByteSize } from "../config/byte_size.ts";
import { idText } from "./bytes_text.ts";
import type { Palette } from "./colors.ts";
import { headerOf, type MessageKind } from "./message_kind.ts";
import type { TailRecord } from "./tail_record.ts";
import { durationText, isoFromMs, millisText } from "./time_text.ts";
import { counted } from "../util/counted.ts";

/** Width of the type column: the longest kind, `execution_trace`. */
const KIND_WIDTH = 15;
/** Items listed before "+N more" (attributes, metrics, events, operations). */
const MAX_ITEMS = 6;
/** Longest string value shown before it is cut with "…". */
const MAX_TEXT = 60;

/** Options for {@linkcode prettyLine}. */
export interface PrettyOptions {
  /** Colors; `NO_COLORS` for plain text. */
  palette: Palette;
}

/**
 * One line of `--format pretty` output (without the newline):
 * `<time> p<partition>@<offset> <type> <details>`, where time is the
 * producer's header timestamp (the Kafka timestamp when there is none).
 */
export function prettyLine(entry: TailRecord, options: PrettyOptions): string {
  const p = options.palette;
  const { record } = entry;
  const coords = p.dim(`p${record.partition}@${record.offset}`);
  if (!entry.ok) {
    const when = p.dim(isoFromMs(Number(record.timestamp)));
    const label = p.bold(p.red("decode_error".padEnd(KIND_WIDTH)));
    return `${when} ${coords} ${label} ${p.red(entry.failure.reason)}: ${entry.failure.message}`;
  }
  const { message } = entry.decoded;
  const header = headerOf(message);
  const ms = header !== undefined && header.timestampUs > 0n
    ? Number(header.timestampUs / 1000n)
    : Number(record.timestamp);
  const label = KIND_COLOR[entry.kind](p)(entry.kind.padEnd(KIND_WIDTH));
  const f = new Fields(p);
  const member = message.message;
  if (entry.truncated !== undefined) {
    f.add(p.dim(
      `(not shown: ${entry.decoded.protobufBytes} bytes that would make a line longer than ` +
        `--max-line-bytes, ${formatByteSize(entry.truncated.maxLineBytes)})`,
    ));
  } else {
    memberFields(f, entry.kind, message, entry.decoded.protobufBytes);
  }
  const thread = header?.threadId ||
    (member.case === "executionTrace" ? member.value.threadId : "");
  if (thread !== "" && entry.kind !== "quality") f.kv("thread", thread);
  return `${p.dim(isoFromMs(ms))} ${coords} ${label} ${f.text()}`;
}

function memberFields(
  f: Fields,
  kind: MessageKind,
  message: DashStreamMessage,
  protobufBytes: number,
): void {
  const member = message.message;
  if (member.case === undefined) {
    f.add(f.p.dim(`(no message set, ${protobufBytes} bytes)`));
    return;
  }
  // TypeScript cannot tie the member's case to its printer's value type; MEMBER_FIELDS's type does.
  const print = MEMBER_FIELDS[member.case] as MemberPrinter<Member["case"]>;
  print(f, member.value, kind);
}

/** The set members of a DashStreamMessage, by case. */
type Member = Exclude<DashStreamMessage["message"], { case: undefined }>;
type MemberPrinter<C extends Member["case"]> = (
  f: Fields,
  value: Extract<Member, { case: C }>["value"],
  kind: MessageKind,
) => void;

/** The printer of each message member; `metrics` prints a quality event when it is one. */
const MEMBER_FIELDS: { [C in Member["case"]]: MemberPrinter<C> } = {
  metrics: (f, value, kind) => kind === "quality" ? quality(f, value) : metrics(f, value),
  event,
  eventBatch,
  stateDiff,
  tokenChunk,
  toolExecution,
  checkpoint,
  error,
  executionTrace,
};

const KIND_COLOR: Record<MessageKind, (p: Palette) => (text: string) => string> = {
  quality: (p) => p.cyan,
  metrics: (p) => p.cyan,
  event: (p) => p.blue,
  event_batch: (p) => p.blue,
  state_diff: (p) => p.magenta,
  token_chunk: (p) => p.green,
  tool_execution: (p) => p.yellow,
  checkpoint: (p) => p.magenta,
  error: (p) => p.red,
  execution_trace: (p) => p.blue,
  empty: (p) => p.dim,
};

/** Collects the space-separated parts of a line. */
class Fields {
  readonly p: Palette;
  readonly #parts: string[] = [];

  constructor(palette: Palette) {
    this.p = palette;
  }

  add(part: string): void {
    if (part !== "") this.#parts.push(part);
  }

  /** `key=value`, the key dimmed; an empty value shows as `-`. */
  kv(key: string, value: string): void {
    this.add(`${this.p.dim(`${key}=`)}${value === "" ? this.p.dim("-") : value}`);
  }

  /** Adds the first MAX_ITEMS of `items`, then `+N more`. */
  list(items: string[], separator = " "): void {
    const shown = items.slice(0, MAX_ITEMS);
    const more = items.length - shown.length;
    if (shown.length === 0) return;
    this.add(
      shown.join(separator) + (more > 0 ? `${separator}${this.p.dim(`+${more} more`)}` : ""),
    );
  }

  text(): string {
    return this.#parts.join(" ");
  }
}

function quality(f: Fields, metrics: Metrics): void {
  const e = qualityEventFromMetrics(metrics);
  const { p } = f;
  f.kv("score", p.bold(e.qualityScore.toFixed(3)));
  f.add(e.passed ? p.green("passed") : p.red("FAILED"));
  f.kv("latency", `${e.latencyMs}ms`);
  f.kv("model", p.magenta(e.model));
  f.kv("category", e.category);
  f.kv("session", e.sessionId);
}

function metrics(f: Fields, metrics: Metrics): void {
  f.kv("scope", metrics.scope);
  if (metrics.scopeId !== "") f.kv("scope_id", metrics.scopeId);
  f.list(
    sortedEntries(metrics.metrics).map(([name, value]) =>
      `${f.p.dim(`${name}=`)}${metricText(value)}`
    ),
  );
  const tags = sortedEntries(metrics.tags).map(([k, v]) => `${k}=${quote(v)}`);
  if (tags.length > 0) f.add(f.p.dim(`[${tags.join(" ")}]`));
}

function metricText(value: MetricValue): string {
  const text = scalarText(value.value);
  return value.unit === "" ? text : `${text}${value.unit}`;
}

/** A metric value, or an attribute value that is no array or map. */
type Scalar =
  | MetricValue["value"]
  | Exclude<AttributeValue["value"], { case: "arrayValue" | "mapValue" }>;

function scalarText(v: Scalar): string {
  switch (v.case) {
    case "stringValue":
      return quote(v.value);
    case "intValue":
    case "floatValue":
    case "boolValue":
      return String(v.value);
    case "bytesValue":
      return `<${v.value.length} bytes>`;
    case undefined:
      return "-";
  }
}

function event(f: Fields, event: Event): void {
  f.add(eventSummary(f.p, event));
  f.list(
    sortedEntries(event.attributes).map(([name, value]) =>
      `${f.p.dim(`${name}=`)}${attributeText(value)}`
    ),
  );
}

function eventSummary(p: Palette, event: Event): string {
  const parts = [p.bold(enumShort(EventTypeSchema, event.eventType))];
  if (event.nodeId !== "") parts.push(event.nodeId);
  if (event.durationUs !== 0n) parts.push(durationText(event.durationUs));
  return parts.join(" ");
}

function attributeText(value: AttributeValue, depth = 0): string {
  const v = value.value;
  switch (v.case) {
    case "arrayValue":
      return depth > 1
        ? "[…]"
        : `[${v.value.values.map((x) => attributeText(x, depth + 1)).join(",")}]`;
    case "mapValue":
      return depth > 1
        ? "{…}"
        : `{${
          sortedEntries(v.value.values).map(([k, x]) => `${k}=${attributeText(x, depth + 1)}`)
            .join(",")
        }}`;
    default:
      return scalarText(v);
  }
}

function eventBatch(f: Fields, batch: EventBatch): void {
  f.add(`${counted(batch.events.length, "event")}:`);
  f.list(batch.events.map((e) => eventSummary(f.p, e)), ", ");
}

function stateDiff(f: Fields, diff: StateDiff): void {
  f.add(`${counted(diff.operations.length, "op")}:`);
  f.list(
    diff.operations.map((op) => {
      const name = enumShort(DiffOperation_OpTypeSchema, op.op);
      return op.from !== "" ? `${name} ${op.from}→${op.path}` : `${name} ${op.path}`;
    }),
    ", ",
  );
  if (diff.fullState.length > 0) f.kv("full_state", `${diff.fullState.length}B`);
}

function tokenChunk(f: Fields, chunk: TokenChunk): void {
  const { p } = f;
  f.add(p.magenta(chunk.model));
  f.add(`#${chunk.chunkIndex}`);
  f.add(JSON.stringify(truncate(chunk.text)));
  if (chunk.isFinal) {
    f.kv("final", p.bold(enumShort(TokenChunk_FinishReasonSchema, chunk.finishReason)));
  }
  const stats = chunk.stats;
  if (stats !== undefined && stats.totalTokens > 0) {
    f.kv("tokens", `${stats.promptTokens}+${stats.completionTokens}=${stats.totalTokens}`);
  }
  f.kv("request", chunk.requestId);
}

function toolExecution(f: Fields, tool: ToolExecution): void {
  const { p } = f;
  f.add(p.bold(tool.toolName === "" ? "-" : tool.toolName));
  const stage = enumShort(ToolExecution_ExecutionStageSchema, tool.stage);
  f.add(
    tool.stage === ToolExecution_ExecutionStage.FAILED
      ? p.red(stage)
      : tool.stage === ToolExecution_ExecutionStage.COMPLETED
      ? p.green(stage)
      : stage,
  );
  if (tool.durationUs !== 0n) f.add(durationText(tool.durationUs));
  if (tool.retryCount > 0) f.kv("retries", String(tool.retryCount));
  const failure = tool.error || tool.errorDetails?.message || "";
  if (failure !== "") f.kv("error", p.red(quote(failure)));
  f.kv("call", tool.callId);
}

function checkpoint(f: Fields, ckpt: Checkpoint): void {
  f.add(f.p.bold(ckpt.stateType === "" ? "-" : ckpt.stateType));
  f.kv("id", idText(ckpt.checkpointId));
  const info = ckpt.compressionInfo;
  if (info !== undefined) {
    f.add(
      `${enumShort(CompressionTypeSchema, info.type)} ` +
        `${info.uncompressedSize}→${info.compressedSize}B`,
    );
  }
  if (ckpt.storageUri !== "") f.add(ckpt.storageUri);
  else f.kv("state", `${ckpt.state.length}B`);
}

function error(f: Fields, err: ErrorMessage): void {
  const { p } = f;
  const severity = enumShort(Error_SeveritySchema, err.severity).toUpperCase();
  f.add(
    err.severity >= Error_Severity.ERROR
      ? p.bold(p.red(severity))
      : err.severity === Error_Severity.WARNING
      ? p.yellow(severity)
      : severity,
  );
  if (err.errorCode !== "") f.add(p.bold(err.errorCode));
  f.add(JSON.stringify(truncate(err.message)));
  if (err.exceptionType !== "") f.add(p.dim(`(${err.exceptionType})`));
}

function executionTrace(f: Fields, trace: ExecutionTrace): void {
  const { p } = f;
  f.add(p.bold(trace.executionId === "" ? "-" : trace.executionId));
  f.add(trace.completed ? p.green("completed") : p.yellow("incomplete"));
  f.add(counted(trace.nodesExecuted.length, "node"));
  f.add(millisText(trace.totalDurationMs));
  f.add(`${trace.totalTokens} tokens`);
  if (trace.errors.length > 0) {
    const recovered = trace.errors.filter((e) => e.recovered).length;
    const text = `${counted(trace.errors.length, "error")} (${recovered} recovered)`;
    f.add(recovered === trace.errors.length ? p.yellow(text) : p.red(text));
  }
}

/**
 * An enum value's name without the prefix all its values share, lowercase
 * (`EVENT_TYPE_NODE_END` → `node_end`, `COMPRESSION_ZSTD` → `zstd`); `?N` if unknown.
 */
export function enumShort(desc: DescEnum, value: number): string {
  const name = desc.value[value]?.name;
  if (name === undefined) return `?${value}`;
  return name.slice(sharedPrefix(desc).length).toLowerCase();
}

const prefixes = new Map<DescEnum, string>();

function sharedPrefix(desc: DescEnum): string {
  let prefix = prefixes.get(desc);
  if (prefix === undefined) {
    const names = desc.values.map((v) => v.name);
    prefix = names[0] ?? "";
    for (const name of names) {
      while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
    }
    // Cut at a word boundary so NONE/NODE do not lose a shared "NO".
    prefix = prefix.slice(0, prefix.lastIndexOf("_") + 1);
    if (names.length < 2) prefix = "";
    prefixes.set(desc, prefix);
  }
  return prefix;
}

function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Text as is when it is one plain word, else JSON-quoted; cut at MAX_TEXT. */
function quote(text: string): string {
  const cut = truncate(text);
  return /^[^\s"=\[\]{},]+$/.test(cut) ? cut : JSON.stringify(cut);
}

function truncate(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
