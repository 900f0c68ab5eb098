/**
 * Where kafkajs' own log lines go. They are the client's inner workings (a retry of one request,
 * one broker of the list refused): at the default level a user reads only our one-line verdicts
 * (`Cannot connect to Kafka at ...`, `Kafka consumer crashed`), so every kafkajs line is debug.
 * Errors are still reported to `onError` (`serve` counts them, docs/semantics.md "Rule: Kafka
 * errors"). Conditions every first run meets (a topic being created, the group coordinator
 * loading) get one info line each, saying what is happening, instead of alarming warnings.
 *
 * @module
 */
import { type LogEntry, logLevel } from "kafkajs";
import type { Logger } from "../log.ts";
import { classifyKafkaError } from "./errors.ts";

// kafkajs' text for REBALANCE_IN_PROGRESS (code 27), which it logs as an error on each request
// that meets a rebalance. A rebalance is the group working (a replica joined or left), not a
// failure: counting it would raise consumer-error alerts on every scale event.
const REBALANCE_IN_PROGRESS = "The group is rebalancing, so a rejoin is needed";

/** kafkajs' texts for retriable conditions of a first run, and what they mean for the user. */
const FIRST_RUN: readonly (readonly [string, string])[] = [
  [
    "This server does not host this topic-partition",
    "Waiting for the topic's partitions (a topic just created, or metadata not yet up to date)",
  ],
  [
    "There is no leader for this topic-partition as we are in the middle of a leadership election",
    "Waiting for the topic's partitions to get a leader (a topic just created)",
  ],
  [
    "The group coordinator is not available",
    "Waiting for the group coordinator (on a new broker, Kafka creates __consumer_offsets first)",
  ],
  [
    "The coordinator is loading and hence can't process requests for this group",
    "Waiting for the group coordinator to load the group's offsets",
  ],
  [
    "This is not the correct coordinator for this group",
    "The group coordinator moved; finding the new one",
  ],
];

/** Options of {@linkcode kafkaLogCreator}. */
export interface KafkaLogOptions {
  /** Called for every error kafkajs logs (first-run conditions and rebalances left out). */
  onError?: (message: string) => void;
}

/** A kafkajs `logCreator` writing to `log` as the module doc says. */
export function kafkaLogCreator(
  log: Logger,
  options: KafkaLogOptions = {},
): () => (entry: LogEntry) => void {
  const explained = new Set<string>();
  return () => ({ namespace, level, log: entry }) => {
    const { message, ...rest } = entry;
    const fields = { source: `kafkajs.${namespace}`, ...pickFields(rest) };
    const error = typeof rest.error === "string" ? rest.error : undefined;
    if (level !== logLevel.ERROR || error === REBALANCE_IN_PROGRESS) {
      log.debug(message, fields);
      return;
    }
    const firstRun = FIRST_RUN.find(([text]) => error === text)?.[1];
    if (firstRun !== undefined) {
      if (!explained.has(firstRun)) log.info(firstRun, { kafka: error });
      explained.add(firstRun);
      log.debug(message, fields);
      return;
    }
    options.onError?.(message);
    // Tells a counted error's kind apart: unreachable, tls, authentication, topic, other.
    const detail = error === undefined ? message : `${message}: ${error}`;
    log.debug(message, { ...fields, error_kind: classifyKafkaError(detail).kind });
  };
}

// kafkajs attaches stacks and whole request objects; keep the short scalar fields only.
function pickFields(entry: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === "stack" || key === "timestamp" || key === "logger") continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      out[key] = value;
    }
  }
  return out;
}
