import { Buffer } from "node:buffer";
import { CompressionTypes, type Kafka, Partitioners, type Producer } from "kafkajs";

/** A record to produce: value bytes exactly as they should land in Kafka. */
export interface OutgoingRecord {
  key?: Uint8Array | string | null;
  value: Uint8Array | null;
  partition?: number;
  /** ms since epoch as a decimal string; the broker's time when absent. */
  timestamp?: string;
}

/** Kafka-level batch compression. */
export type BatchCompression = "none" | "gzip" | "snappy" | "lz4" | "zstd";

const COMPRESSION: Record<BatchCompression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** What {@linkcode RecordProducer.ensureTopic} does with a missing topic. */
export interface EnsureTopicOptions {
  /** Create it (else: report it missing). */
  create: boolean;
  /** Partitions of a created topic; the broker's default (`num.partitions`) when absent. */
  partitions?: number;
}

/** Produces records unchanged (keys preserved) to one topic. */
export class RecordProducer {
  readonly #kafka: Kafka;
  readonly #producer: Producer;
  #connected = false;

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
    // Never created on the fly (with the broker's defaults): ensureTopic() creates it when asked.
    this.#producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /**
   * Checks that `topic` exists; creates it when missing and `options.create` is set (with
   * leaders elected before it returns). `missing`: it does not exist and may not be created,
   * nothing done (the caller words that error).
   */
  async ensureTopic(
    topic: string,
    options: EnsureTopicOptions,
  ): Promise<"exists" | "created" | "missing"> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      if ((await admin.listTopics()).includes(topic)) return "exists";
      if (!options.create) return "missing";
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: options.partitions ?? -1 }],
      });
      return "created";
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  /** Sends `records` to `topic` in one request and waits for all acks. */
  async send(
    topic: string,
    records: OutgoingRecord[],
    options: { compression?: BatchCompression } = {},
  ): Promise<void> {
    if (!this.#connected) {
      await this.#producer.connect();
      this.#connected = true;
    }
    await this.#producer.send({
      topic,
      acks: -1,
      compression: COMPRESSION[options.compression ?? "none"],
      messages: records.map((r) => ({
        key: r.key === undefined || r.key === null ? null : Buffer.from(toBytes(r.key)),
        value: r.value === null
          ? null
          : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
        partition: r.partition,
        timestamp: r.timestamp,
      })),
    });
  }

  /** Flushes and closes the connection. */
  async close(): Promise<void> {
    if (this.#connected) await this.#producer.disconnect();
    this.#connected = false;
  }
}

function toBytes(key: Uint8Array | string): Uint8Array {
  return typeof key === "string" ? new TextEncoder().encode(key) : key;
}
