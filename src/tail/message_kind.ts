/**
 * The kinds of message `tail` tells apart: the `DashStreamMessage` oneof members,
 * with quality events (`metrics` of scope "quality") split out of `metrics`.
 * @module
 */

import type { DashStreamMessage, Header } from "../gen/dashstream_pb.ts";
import { QUALITY_SCOPE } from "../event/quality_event.ts";

/** Every kind, in the order the summary lists them. */
export const MESSAGE_KINDS = [
  "quality",
  "metrics",
  "event",
  "event_batch",
  "state_diff",
  "token_chunk",
  "tool_execution",
  "checkpoint",
  "error",
  "execution_trace",
  "empty",
] as const;

/**
 * A message kind. `empty` is a message with no oneof member set (valid protobuf
 * that carries nothing `tail` knows, e.g. from a newer schema).
 */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The `DashStreamMessage.message` oneof member as its proto field name (`event_batch`). */
export type ProtoType = Exclude<MessageKind, "quality">;

const PROTO_TYPE: Record<NonNullable<DashStreamMessage["message"]["case"]>, ProtoType> = {
  event: "event",
  stateDiff: "state_diff",
  tokenChunk: "token_chunk",
  toolExecution: "tool_execution",
  checkpoint: "checkpoint",
  metrics: "metrics",
  error: "error",
  eventBatch: "event_batch",
  executionTrace: "execution_trace",
};

/** The proto field name of the oneof member set, or `empty`. */
export function protoType(msg: DashStreamMessage): ProtoType {
  return msg.message.case === undefined ? "empty" : PROTO_TYPE[msg.message.case];
}

/** The kind of `msg`: its proto type, except `quality` for a `metrics` message of scope "quality". */
export function messageKind(msg: DashStreamMessage): MessageKind {
  const message = msg.message;
  if (message.case === "metrics" && message.value.scope === QUALITY_SCOPE) return "quality";
  return protoType(msg);
}

/** The header of whichever member is set, if it has one. */
export function headerOf(msg: DashStreamMessage): Header | undefined {
  return msg.message.case === undefined ? undefined : msg.message.value.header;
}
