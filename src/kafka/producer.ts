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

/** Produces records unchanged (keys preserved) to one topic. */
export class RecordProducer {
  readonly #producer: Producer;
  #connected = false;

  constructor(kafka: Kafka) {
    this.#producer = kafka.producer({
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
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
