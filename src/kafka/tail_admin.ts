/**
 * The admin queries `tail` makes before it reads: does the topic exist, its
 * partitions' watermarks, offsets for a timestamp, a group's committed offsets,
 * and deleting `tail`'s private group afterwards.
 * @module
 */

import type { Admin, Kafka } from "kafkajs";
import { RunError } from "../errors.ts";
import { describeKafkaError, type KafkaErrorContext } from "./errors.ts";
import type { KafkaSecuritySettings } from "./settings.ts";

/** A partition's offset range: `low` is the first offset held, `high` the next to be written. */
export interface PartitionWatermarks {
  partition: number;
  low: bigint;
  high: bigint;
}

/** Admin requests fail fast: `tail` is interactive, an unreachable broker should say so at once. */
const ADMIN_RETRY = { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 };

/** The admin side of `tail`. */
export class TailAdmin {
  readonly #admin: Admin;
  readonly #brokers: string;
  /** The configured security, so an error names the protocol set, not plaintext. */
  readonly #context: KafkaErrorContext;

  constructor(
    kafka: Kafka,
    options: { brokers: string[]; security?: KafkaSecuritySettings },
  ) {
    this.#admin = kafka.admin({ retry: ADMIN_RETRY });
    this.#brokers = options.brokers.join(",");
    this.#context = { security: options.security };
  }

  /**
   * Connects and checks that `topic` exists (without creating it). Throws
   * {@linkcode RunError} naming the brokers or the topic when not.
   */
  async connect(topic: string): Promise<void> {
    let topics: string[];
    try {
      await this.#admin.connect();
      topics = await this.#admin.listTopics();
    } catch (error) {
      throw new RunError(
        `Cannot connect to Kafka at ${this.#brokers}: ` +
          `${describeKafkaError(error, this.#context)} ` +
          "(set KAFKA_BROKERS or --brokers)",
      );
    }
    if (!topics.includes(topic)) {
      const known = topics.filter((t) => !t.startsWith("__")).sort();
      const list = known.length === 0
        ? "it has no topics"
        : `its topics: ${known.slice(0, 10).join(", ")}${known.length > 10 ? ", ..." : ""}`;
      throw new RunError(
        `Topic '${topic}' does not exist on ${this.#brokers} (${list}); ` +
          "set KAFKA_TOPIC or --topic",
      );
    }
  }

  /** Low and high watermarks of every partition of `topic`, by partition number. */
  async watermarks(topic: string): Promise<PartitionWatermarks[]> {
    const offsets = await this.#request(
      `read the offsets of '${topic}'`,
      () => this.#admin.fetchTopicOffsets(topic),
    );
    return offsets.map((o) => ({
      partition: o.partition,
      low: BigInt(o.low),
      high: BigInt(o.high),
    })).sort((a, b) => a.partition - b.partition);
  }

  /** Per partition, the first offset whose timestamp is at or after `ms` (the end if none). */
  async offsetsAt(topic: string, ms: number): Promise<Map<number, bigint>> {
    const offsets = await this.#request(
      `look up offsets by timestamp in '${topic}'`,
      () => this.#admin.fetchTopicOffsetsByTimestamp(topic, ms),
    );
    return new Map(offsets.map((o) => [o.partition, BigInt(o.offset)]));
  }

  /** `groupId`'s committed offset per partition of `topic`; partitions without one are absent. */
  async committed(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const [entry] = await this.#request(
      `read the offsets of group '${groupId}'`,
      () => this.#admin.fetchOffsets({ groupId, topics: [topic] }),
    );
    const out = new Map<number, bigint>();
    for (const { partition, offset } of entry?.partitions ?? []) {
      if (BigInt(offset) >= 0n) out.set(partition, BigInt(offset));
    }
    return out;
  }

  /** Deletes a consumer group (it must be empty). */
  async deleteGroup(groupId: string): Promise<void> {
    await this.#admin.deleteGroups([groupId]);
  }

  /** Disconnects; never throws. */
  async close(): Promise<void> {
    await this.#admin.disconnect().catch(() => {});
  }

  async #request<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new RunError(
        `Cannot ${what} on ${this.#brokers}: ${describeKafkaError(error, this.#context)}`,
      );
    }
  }
}
