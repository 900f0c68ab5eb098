/**
 * The consumer behind `tail`. kafkajs has no group-less "assign" consumer, so
 * by default `tail` uses a private, throwaway group (`dashflow-tail-<random>`)
 * that is never shared and never commits: auto-commit is off, no offset is
 * ever committed, its one member is assigned exactly the partitions asked for
 * (a fixed assigner) and each is seeked to its computed start offset on every
 * join. `tail` deletes the group on exit. Only an explicit `--group` joins a
 * real group, which then resumes from and commits to that group's offsets.
 * @module
 */

import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { AssignerProtocol, type Consumer, type Kafka, type PartitionAssigner } from "kafkajs";
import type { Logger } from "../log.ts";
import type { KafkaRecord } from "./record.ts";

/** Prefix of the private groups `tail` creates; they never hold committed offsets. */
export const TAIL_GROUP_PREFIX = "dashflow-tail-";

/** Options for {@linkcode TailConsumer}. */
export interface TailConsumerOptions {
  topic: string;
  /**
   * Start offset per partition. Without `groupId`, exactly these partitions are
   * read, each from its offset. With `groupId`, the group's committed offsets
   * win; these are only what `positionOf()` reports before records arrive.
   */
  start: ReadonlyMap<number, bigint>;
  /**
   * Per partition, the offset where reading ends (`--exit-at-end`): records at or
   * after it are not delivered, though a fetch may return them.
   */
  end?: ReadonlyMap<number, bigint>;
  /** Opt-in: join this group and commit what was read. */
  groupId?: string;
  /**
   * With `groupId`: start partitions without a committed offset at the beginning
   * (default) or, when false, at the end.
   */
  fromBeginning?: boolean;
  log: Logger;
  /** Handles one record, in offset order per partition. Must not throw. */
  onRecord: (record: KafkaRecord) => void;
  /** Called after a join and after each batch, when positions may have moved. */
  onProgress?: () => void;
  /** Called when the consumer fails and kafkajs will not restart it. */
  onFatal?: (error: Error) => void;
}

/** Reads one topic from given offsets without committing (unless a group was asked for). */
export class TailConsumer {
  /** The consumer group id: the private one, or the `--group` asked for. */
  readonly groupId: string;
  /** True for the private group, which `tail` deletes on exit. */
  readonly ephemeral: boolean;
  readonly #kafka: Kafka;
  readonly #options: TailConsumerOptions;
  #consumer: Consumer | undefined;
  #assigned: number[] = [];
  #halted = false;
  #started = false;
  /** Next offset to read per partition, once a record or batch of it was seen. */
  readonly #positions = new Map<number, bigint>();

  constructor(kafka: Kafka, options: TailConsumerOptions) {
    this.#kafka = kafka;
    this.#options = options;
    this.ephemeral = options.groupId === undefined;
    this.groupId = options.groupId ?? `${TAIL_GROUP_PREFIX}${randomBytes(6).toString("hex")}`;
  }

  /** True once start() was called: the group may exist on the broker. */
  get started(): boolean {
    return this.#started;
  }

  /** Partitions currently assigned to this consumer. */
  get assigned(): readonly number[] {
    return this.#assigned;
  }

  /** The next offset this consumer will read from `partition`. */
  positionOf(partition: number): bigint | undefined {
    return this.#positions.get(partition) ?? this.#options.start.get(partition);
  }

  /** Stops handing out records at once (the batch in flight is cut short); then call stop(). */
  halt(): void {
    this.#halted = true;
  }

  /** Connects, joins the (private) group and starts reading. Rejects if it cannot connect. */
  async start(): Promise<void> {
    const { topic, log } = this.#options;
    const partitions = [...this.#options.start.keys()].sort((a, b) => a - b);
    const consumer = this.#kafka.consumer({
      groupId: this.groupId,
      partitionAssigners: this.ephemeral ? [fixedAssigner(topic, partitions)] : undefined,
      allowAutoTopicCreation: false,
      // Bounds how long a stop waits for the fetch in flight; data still returns at once.
      maxWaitTimeInMs: 500,
    });
    this.#consumer = consumer;
    this.#started = true;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#assigned = [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
      log.debug("tail consumer joined", {
        group: this.groupId,
        partitions: this.#assigned.join(",") || "none",
      });
      if (this.ephemeral) {
        // Seeks apply before the next fetch; on a rejoin they resume where we were.
        for (const partition of this.#assigned) {
          const offset = this.positionOf(partition);
          if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
        }
      }
      this.#pauseAtEnd(consumer, this.#assigned);
      this.#options.onProgress?.();
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      // A batch of only control records or aborted messages never reaches eachBatch,
      // but the position still moves past it (this is how --exit-at-end sees the end).
      if (this.#halted || payload.batchSize > 0) return;
      this.#advance(payload.partition, BigInt(payload.lastOffset) + 1n);
      this.#options.onProgress?.();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      log.warn("Kafka consumer crashed", {
        error: payload.error.message,
        restart: payload.restart,
      });
      if (!payload.restart) this.#options.onFatal?.(payload.error);
    });
    await consumer.connect();
    // The private group seeks every partition itself; should a fetch ever precede the
    // seek, reading from the earliest offset only yields records the filter drops.
    const fromBeginning = this.ephemeral || (this.#options.fromBeginning ?? true);
    await consumer.subscribe({ topic, fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const { partition } = batch;
        const before = this.#positions.get(partition);
        // The private group filters on the start offset too, so a fetch made before
        // a seek took effect can never show records from before the start.
        let next = this.ephemeral ? this.positionOf(partition) : before;
        const end = this.#options.end?.get(partition);
        let complete = true;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (this.#halted || !isRunning() || isStale() || (end !== undefined && offset >= end)) {
            complete = false;
            break;
          }
          if (next !== undefined && offset < next) continue;
          this.#options.onRecord({
            topic: batch.topic,
            partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            timestamp: message.timestamp,
          });
          next = offset + 1n;
          this.#positions.set(partition, next);
        }
        // Trailing control records of a fully handled batch count as read.
        if (complete) this.#advance(partition, BigInt(batch.lastOffset()) + 1n);
        const position = this.#positions.get(partition);
        if (!this.ephemeral && position !== undefined && position !== before) {
          await commitOffsetsIfNecessary({
            topics: [{ topic, partitions: [{ partition, offset: String(position) }] }],
          });
        }
        this.#pauseAtEnd(consumer, [partition]);
        if (!this.#halted) await heartbeat();
        this.#options.onProgress?.();
      },
    });
  }

  /** Stops fetching partitions that reached their `end`: nothing more is wanted from them. */
  #pauseAtEnd(consumer: Consumer, partitions: readonly number[]): void {
    const { topic, end } = this.#options;
    if (end === undefined) return;
    const done = partitions.filter((p) => {
      const position = this.positionOf(p);
      const last = end.get(p);
      return position !== undefined && last !== undefined && position >= last;
    });
    if (done.length > 0) consumer.pause([{ topic, partitions: done }]);
  }

  #advance(partition: number, next: bigint): void {
    const current = this.positionOf(partition);
    if (current === undefined || next > current) this.#positions.set(partition, next);
  }

  /** Stops fetching, waits for the batch in flight, leaves the group and disconnects. */
  async stop(): Promise<void> {
    this.#halted = true;
    const consumer = this.#consumer;
    this.#consumer = undefined;
    if (consumer !== undefined) await consumer.disconnect();
  }
}

/**
 * Assigns exactly `partitions` of `topic` to the group's first member. The
 * private group has one member, so that is this consumer.
 */
function fixedAssigner(topic: string, partitions: number[]): PartitionAssigner {
  const name = "DashflowTailFixed";
  const version = 0;
  return () => ({
    name,
    version,
    protocol: ({ topics }) => ({
      name,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version,
        topics,
        userData: Buffer.alloc(0),
      }),
    }),
    assign: ({ members }) => {
      const ids = members.map((m) => m.memberId).sort();
      return Promise.resolve(ids.map((memberId, i) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version,
          assignment: i === 0 ? { [topic]: partitions } : {},
          userData: Buffer.alloc(0),
        }),
      })));
    },
  });
}
