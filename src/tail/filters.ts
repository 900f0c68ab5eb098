/**
 * `tail` filters: by message type, metrics scope, thread (session) id and
 * model. Each takes a comma-separated list of values, where `*` matches any
 * run of characters; a record passes when it matches every filter given (and
 * any one value of each). A record that failed to decode always passes, so
 * errors are never hidden.
 * @module
 */

import type { DashStreamMessage } from "../gen/dashstream_pb.ts";
import { UsageError } from "../errors.ts";
import { headerOf, MESSAGE_KINDS, type MessageKind, messageKind } from "./message_kind.ts";
import type { TailRecord } from "./tail_record.ts";

/** Which records to show; an absent field does not filter. */
export interface TailFilters {
  /** Kinds to show; `metrics` also shows quality events, `quality` only those. */
  types?: ReadonlySet<MessageKind>;
  /** `Metrics.scope` patterns (exact case); other messages have no scope and never match. */
  scopes?: readonly RegExp[];
  /** Thread (session) id patterns: the header's `thread_id`, or any event's in a batch. */
  threads?: readonly RegExp[];
  /**
   * Model patterns, case-insensitive: a metrics message's `model` tag, a token
   * chunk's `model`, an event's string attribute `model` (or any event's in a batch).
   */
  models?: readonly RegExp[];
}

/** The type names `--type` accepts. */
export const TYPE_NAMES: readonly MessageKind[] = MESSAGE_KINDS.filter((k) => k !== "empty");

/**
 * Parses `--type`: names such as `quality,event_batch`; case, `-` for `_`,
 * camelCase (`eventBatch`) and the `MESSAGE_TYPE_` prefix are accepted.
 */
export function parseTypeFilter(raw: string, options: { source: string }): Set<MessageKind> {
  const types = new Set<MessageKind>();
  for (const item of splitList(raw)) {
    const name = item.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase().replaceAll("-", "_")
      .replace(/^message_type_/, "") as MessageKind;
    if (!TYPE_NAMES.includes(name)) {
      throw new UsageError(
        `Invalid ${options.source} '${item}': expected one or more of ${TYPE_NAMES.join(", ")} ` +
          "(comma-separated)",
      );
    }
    types.add(name);
  }
  if (types.size === 0) throw emptyList(raw, options.source);
  return types;
}

/**
 * Parses a comma-separated list of patterns (`*` matches anything) into
 * anchored regular expressions.
 */
export function parsePatterns(
  raw: string,
  options: { source: string; ignoreCase?: boolean },
): RegExp[] {
  const patterns = splitList(raw).map((item) =>
    new RegExp(
      `^${item.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`,
      options.ignoreCase ? "si" : "s",
    )
  );
  if (patterns.length === 0) throw emptyList(raw, options.source);
  return patterns;
}

/** True when some filter is set. */
export function hasFilters(filters: TailFilters): boolean {
  return filters.types !== undefined || filters.scopes !== undefined ||
    filters.threads !== undefined || filters.models !== undefined;
}

/** Whether `entry` passes `filters`. */
export function matchesFilters(entry: TailRecord, filters: TailFilters): boolean {
  if (!entry.ok) return true;
  const msg = entry.decoded.message;
  if (filters.types !== undefined) {
    const kind = messageKind(msg);
    const ok = filters.types.has(kind) || (kind === "quality" && filters.types.has("metrics"));
    if (!ok) return false;
  }
  if (filters.scopes !== undefined) {
    if (msg.message.case !== "metrics") return false;
    if (!anyMatch(filters.scopes, [msg.message.value.scope])) return false;
  }
  if (filters.threads !== undefined && !anyMatch(filters.threads, threadIds(msg))) return false;
  if (filters.models !== undefined && !anyMatch(filters.models, models(msg))) return false;
  return true;
}

function anyMatch(patterns: readonly RegExp[], values: string[]): boolean {
  return values.some((value) => patterns.some((pattern) => pattern.test(value)));
}

function threadIds(msg: DashStreamMessage): string[] {
  const ids = [headerOf(msg)?.threadId ?? ""];
  const member = msg.message;
  if (member.case === "executionTrace") ids.push(member.value.threadId);
  if (member.case === "eventBatch") {
    for (const event of member.value.events) ids.push(event.header?.threadId ?? "");
  }
  return ids.filter((id) => id !== "");
}

function models(msg: DashStreamMessage): string[] {
  const member = msg.message;
  switch (member.case) {
    case "metrics":
      return member.value.tags.model === undefined ? [] : [member.value.tags.model];
    case "tokenChunk":
      return [member.value.model];
    case "event":
      return eventModel(member.value.attributes);
    case "eventBatch":
      return member.value.events.flatMap((event) => eventModel(event.attributes));
    default:
      return [];
  }
}

function eventModel(
  attributes: Record<string, { value: { case: string | undefined; value?: unknown } }>,
): string[] {
  const value = attributes.model?.value;
  return value?.case === "stringValue" ? [value.value as string] : [];
}

function splitList(raw: string): string[] {
  return raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

function emptyList(raw: string, source: string): UsageError {
  return new UsageError(`Invalid ${source} '${raw}': expected a comma-separated list of values`);
}
