import type { Admin, Consumer, Kafka } from "kafkajs";
import { setImmediate } from "node:timers";
import type { Logger } from "../log.ts";
import { classifyKafkaError } from "./errors.ts";

// Our own restarts (after a crash kafkajs does not restart from, or a missing topic) wait this
// long, doubling up to the most while the crashes go on, so a topic deleted for an hour costs a
// few dozen attempts and log lines, not one every 300 ms.
const FIRST_RESTART_DELAY_MS = 2_000;
const MAX_RESTART_DELAY_MS = 60_000;
// A batch is applied in slices of at most about this long, each followed by a turn of the event
// loop, so /-/healthy, scrapes and SIGTERM are answered during a long batch (issue #17: one
// record's decode work is capped, a batch of them is not).
const APPLY_SLICE_MS = 20;

/** Options for {@linkcode GroupConsumer}. */
export interface GroupConsumerOptions {
  topic: string;
  groupId: string;
  /** Where to start when the group has no committed offset. */
  autoOffsetReset: "earliest" | "latest";
  log: Logger;
  /**
   * Applies one record's value (null for a tombstone). It must not throw for bad records
   * (count and skip them): the batch's offset is resolved right after the last returns.
   * Only the value: no object is built per record on this path.
   */
  onValue: (value: Uint8Array | null) => void;
  /** Called after each fetched batch is applied (before its commit). */
  onBatch?: () => void;
  /** Fetch sizes; kafkajs' defaults (10 MiB per fetch, 1 MiB per partition) when absent. */
  fetch?: { maxBytes: number; maxBytesPerPartition: number };
  /** Called when a group commit fails (the records will be redelivered). */
  onCommitError?: (error: Error) => void;
  /** Called when the consumer crashes and is restarted. */
  onCrash?: (error: Error) => void;
}

/** One assigned partition's lag (see {@linkcode GroupConsumer.lagByPartition}). */
export interface PartitionLag {
  partition: number;
  lag: number;
}

/** The consumer lag of a member: the sum of its partitions' lags (each 0 or more). */
export function totalLag(lags: readonly PartitionLag[]): number {
  let total = 0;
  for (const { lag } of lags) total += lag;
  return total;
}

/**
 * A consumer-group member with at-least-once delivery: offsets are resolved only
 * after a record is applied and committed at the end of each batch, so a crash
 * redelivers at most the uncommitted tail. It tracks assignment (readiness) and
 * its own positions (lag).
 */
export class GroupConsumer {
  readonly #kafka: Kafka;
  readonly #options: GroupConsumerOptions;
  #consumer: Consumer | undefined;
  #admin: Admin | undefined;
  #assigned: number[] = [];
  #joined = false;
  #restartDelay = FIRST_RESTART_DELAY_MS;
  /** Next offset to apply per partition, once a record of it was applied. */
  readonly #positions = new Map<number, bigint>();
  /** Offset committed per assigned partition (the next to read), once this member committed. */
  readonly #committed = new Map<number, bigint>();

  constructor(kafka: Kafka, options: GroupConsumerOptions) {
    this.#kafka = kafka;
    this.#options = options;
  }

  /**
   * True while the member is in the group, with or without partitions: a member left without
   * one (more replicas than partitions) is an idle standby, healthy, that takes partitions over
   * at the next rebalance (docs/semantics.md, "Rule: rebalance").
   */
  get ready(): boolean {
    return this.#joined;
  }

  /**
   * Partitions of the topic currently assigned to this member: replaced on each group join,
   * empty once the member stopped or crashed (it holds none until it rejoins).
   */
  get assignedPartitions(): readonly number[] {
    return this.#assigned;
  }

  /** The offset this member last committed (the next record to read) per assigned partition. */
  committedOffsets(): ReadonlyMap<number, bigint> {
    return this.#committed;
  }

  #setAssigned(partitions: number[]): void {
    this.#assigned = partitions;
    for (const map of [this.#positions, this.#committed]) {
      for (const partition of map.keys()) {
        if (!partitions.includes(partition)) map.delete(partition);
      }
    }
  }

  /**
   * Connects, joins the group and starts consuming. Rejects if the first connection
   * fails; after that, kafkajs restarts the consumer on retriable errors by itself.
   */
  async start(): Promise<void> {
    const { topic, groupId, log } = this.#options;
    const consumer = this.#kafka.consumer({
      groupId,
      // Few retries per attempt so failures surface (and are counted) quickly; after
      // them kafkajs restarts the consumer, or we do (see CRASH below).
      retry: {
        initialRetryTime: 300,
        maxRetryTime: 5_000,
        retries: 3,
        // A missing topic is left to our restart with backoff: kafkajs would restart every
        // 300 ms for as long as the topic is gone.
        restartOnFailure: (error) => Promise.resolve(classifyKafkaError(error).kind !== "topic"),
      },
      // Never create the topic: a mistyped name would become a topic of its own, and a deleted
      // one would come back with the broker's default partitions before the operator re-creates
      // it (docs/semantics.md, "Rule: topics are never created").
      allowAutoTopicCreation: false,
      // Bounds how long a stop waits for the fetch in flight; data still returns at once.
      maxWaitTimeInMs: 1000,
      ...this.#options.fetch,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#joined = true;
      this.#restartDelay = FIRST_RESTART_DELAY_MS;
      this.#setAssigned([...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b));
      log.info("Joined consumer group", {
        group: groupId,
        topic,
        partitions: this.#assigned.join(",") || "none",
      });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#joined = false;
      this.#setAssigned([]);
      this.#options.onCrash?.(payload.error);
      log.warn("Kafka consumer crashed", {
        error: payload.error.message,
        restart: payload.restart ? "now" : `in ${this.#restartDelay} ms`,
      });
      // kafkajs restarts by itself after retriable errors only; never stay down.
      if (!payload.restart && this.#consumer === consumer) this.#restartLater(consumer);
    });
    consumer.on(consumer.events.STOP, () => {
      this.#joined = false;
      this.#setAssigned([]);
    });
    await consumer.connect();
    await consumer.subscribe({
      topic,
      fromBeginning: this.#options.autoOffsetReset === "earliest",
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const { onValue } = this.#options;
        const { messages } = batch;
        // onValue is synchronous and never throws, so the whole batch is applied
        // before its last offset is resolved: resolving once is as safe as per record.
        let sliceEnd = performance.now() + APPLY_SLICE_MS;
        for (let i = 0; i < messages.length; i++) {
          onValue(messages[i].value);
          // The clock is read every 256 records (well under a millisecond of work), not per record.
          if ((i & 255) === 255 && performance.now() > sliceEnd) {
            await new Promise((resolve) => setImmediate(resolve));
            sliceEnd = performance.now() + APPLY_SLICE_MS;
          }
        }
        if (messages.length > 0) {
          const last = messages[messages.length - 1].offset;
          payload.resolveOffset(last);
          this.#positions.set(batch.partition, BigInt(last) + 1n);
        }
        this.#options.onBatch?.();
        try {
          const pending = payload.uncommittedOffsets();
          await payload.commitOffsetsIfNecessary(pending);
          for (const { partitions } of pending.topics) {
            // kafkajs gives partitions as object keys: strings.
            for (const { partition, offset } of partitions) {
              const id = Number(partition);
              if (this.#assigned.includes(id)) this.#committed.set(id, BigInt(offset));
            }
          }
        } catch (error) {
          this.#options.onCommitError?.(error as Error);
          throw error;
        }
        await payload.heartbeat();
      },
    });
  }

  #restartLater(crashed: Consumer): void {
    const delay = this.#restartDelay;
    this.#restartDelay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    setTimeout(async () => {
      if (this.#consumer !== crashed) return;
      await crashed.disconnect().catch(() => {});
      if (this.#consumer !== crashed) return;
      try {
        await this.start();
      } catch (error) {
        this.#options.onCrash?.(error as Error);
        if (this.#consumer === undefined) return; // stopped meanwhile
        this.#options.log.warn("Kafka consumer restart failed", {
          error: (error as Error).message,
          restart: `in ${this.#restartDelay} ms`,
        });
        this.#restartLater(this.#consumer);
      }
    }, delay);
  }

  /**
   * Consumer lag: the sum of {@linkcode lagByPartition}'s lags over the assigned partitions.
   */
  async lag(): Promise<number> {
    return totalLag(await this.lagByPartition());
  }

  /**
   * Lag per assigned partition, in partition order: high watermark − position, 0 when
   * negative. A partition that has not delivered a record yet uses the group's committed
   * offset, or the reset policy's end when there is none, never a sentinel such as −1 or
   * −1001.
   */
  async lagByPartition(): Promise<PartitionLag[]> {
    if (this.#assigned.length === 0) return [];
    const { topic, groupId } = this.#options;
    this.#admin ??= this.#kafka.admin();
    await this.#admin.connect();
    const watermarks = await this.#admin.fetchTopicOffsets(topic);
    const missing = this.#assigned.filter((p) => !this.#positions.has(p));
    const committed = new Map<number, bigint>();
    if (missing.length > 0) {
      const [entry] = await this.#admin.fetchOffsets({ groupId, topics: [topic] });
      for (const { partition, offset } of entry?.partitions ?? []) {
        if (BigInt(offset) >= 0n) committed.set(partition, BigInt(offset));
      }
    }
    const lags: PartitionLag[] = [];
    for (const { partition, high, low } of watermarks) {
      if (!this.#assigned.includes(partition)) continue;
      const position = this.#positions.get(partition) ?? committed.get(partition) ??
        (this.#options.autoOffsetReset === "earliest" ? BigInt(low) : BigInt(high));
      const lag = BigInt(high) - position;
      lags.push({ partition, lag: lag > 0n ? Number(lag) : 0 });
    }
    return lags.sort((a, b) => a.partition - b.partition);
  }

  /**
   * Stops fetching, waits for the batch in flight (whose offsets it commits),
   * leaves the group and disconnects.
   */
  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    this.#joined = false;
    await this.#admin?.disconnect().catch(() => {});
    if (consumer) {
      await consumer.stop();
      await consumer.disconnect();
    }
  }
}
