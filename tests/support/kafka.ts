/**
 * Helpers for integration tests against a real Kafka broker.
 *
 * The broker is `KAFKA_BROKERS` when set (an unreachable one FAILS the test, never
 * skips it), else the one `scripts/kafka.sh start` runs on 127.0.0.1:9092.
 * Every helper cleans up what it creates: topics, clients, consumer groups.
 *
 * @module
 */
import { type Admin, CompressionTypes, Kafka, type KafkaConfig, logLevel } from "kafkajs";
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import process from "node:process";
import { clampNegativeTimeouts } from "../../src/kafka/timeout_quirk.ts";
import { ROOT } from "./paths.ts";
import { type Finished, run as runCommand, text } from "./spawn.ts";

const DEFAULT_BROKERS = "127.0.0.1:9092";

/** Bootstrap servers from `KAFKA_BROKERS` (comma-separated), default `127.0.0.1:9092`. */
export function kafkaBrokers(): string[] {
  const raw = process.env.KAFKA_BROKERS?.trim() || DEFAULT_BROKERS;
  return raw.split(",").map((b) => b.trim()).filter((b) => b !== "");
}

/**
 * A kafkajs client for tests. Logs are dropped unless `KAFKAJS_LOG` is set to
 * `error`, `warn`, `info` or `debug` (then they go to stderr).
 */
export function kafkaClient(options: Partial<KafkaConfig> = {}): Kafka {
  clampNegativeTimeouts();
  const wanted = (process.env.KAFKAJS_LOG ?? "").toUpperCase();
  const level = wanted in logLevel ? logLevel[wanted as keyof typeof logLevel] : logLevel.NOTHING;
  return new Kafka({
    clientId: "dashflow-tests",
    brokers: kafkaBrokers(),
    logLevel: level,
    logCreator: () => ({ namespace, label, log }) => {
      const { message, ...extra } = log;
      console.error(`kafkajs ${label} ${namespace}: ${message} ${JSON.stringify(extra)}`);
    },
    ...options,
  });
}

/** Why the broker did not answer, or `undefined` if it did. */
async function probe(timeoutMs: number): Promise<string | undefined> {
  const admin = kafkaClient({
    clientId: "dashflow-tests-probe",
    connectionTimeout: Math.min(timeoutMs, 1000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.listTopics();
      })(),
      timeout,
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

/** True if the broker answers a metadata request within `timeoutMs` (default 3000). */
export async function kafkaAvailable(options: { timeoutMs?: number } = {}): Promise<boolean> {
  return (await probe(options.timeoutMs ?? 3000)) === undefined;
}

/** Raised when the test broker does not answer; the message says how to get one. */
export class KafkaUnavailableError extends Error {
  /** @param reason what the probe saw */
  constructor(reason: string) {
    const where = process.env.KAFKA_BROKERS
      ? `KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`
      : `${DEFAULT_BROKERS} (KAFKA_BROKERS unset)`;
    super(
      `Kafka at ${where} is unreachable: ${reason}. ` +
        'Start one with `scripts/kafka.sh start` (or `eval "$(scripts/kafka.sh env)"` ' +
        "for its address), or point KAFKA_BROKERS at a running broker.",
    );
    this.name = "KafkaUnavailableError";
  }
}

let required: Promise<void> | undefined;

/**
 * Throws {@link KafkaUnavailableError} unless the broker answers. Integration tests
 * call it first (the helpers here do) so a missing broker fails with a clear message
 * instead of a kafkajs retry timeout. A success is remembered for the process.
 */
export function requireKafka(): Promise<void> {
  required ??= probe(5000).then((reason) => {
    if (reason !== undefined) {
      required = undefined;
      throw new KafkaUnavailableError(reason);
    }
  });
  return required;
}

/** Runs `fn` with a connected admin client and always disconnects it. */
export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  await requireKafka();
  const admin = kafkaClient().admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** A name no other test run uses: `prefix-<time>-<random>`, valid as topic or group id. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** Options of {@link withTopic}. */
export interface TopicOptions {
  /** Partition count, default 1. */
  partitions?: number;
  /** Topic configs, e.g. `{ "retention.ms": "60000" }`. */
  config?: Record<string, string>;
  /** `false`: only the name; the code under test creates the topic (it is still deleted). */
  create?: boolean;
}

/**
 * Creates a uniquely named topic (`prefix-...`) with leaders elected, runs
 * `fn(topic)`, and ALWAYS deletes the topic afterwards, even when `fn` throws
 * (that error wins over a failed delete).
 */
export async function withTopic<T>(
  prefix: string,
  fn: (topic: string) => Promise<T>,
  options: TopicOptions = {},
): Promise<T> {
  const topic = uniqueName(prefix);
  if (options.create !== false) await createTopic(topic, options);
  let failed = false;
  try {
    return await fn(topic);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A fresh admin: fn may have restarted the broker under the first one.
    const deleted = withAdmin((admin) => admin.deleteTopics({ topics: [topic], timeout: 10_000 }));
    if (failed) await deleted.catch(() => {});
    else await deleted;
  }
}

async function createTopic(topic: string, options: TopicOptions): Promise<void> {
  await withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [{
        topic,
        numPartitions: options.partitions ?? 1,
        replicationFactor: 1,
        configEntries: Object.entries(options.config ?? {}).map(([name, value]) => ({
          name,
          value,
        })),
      }],
    })
  );
}

/** One record for {@link produce}. */
export interface TestRecord {
  key?: string | Uint8Array | null;
  /** `null` produces a tombstone. */
  value: Uint8Array | string | null;
  /** Target partition; default: the producer's partitioner (kafkajs) or 0 (kcat). */
  partition?: number;
  headers?: Record<string, string | Uint8Array>;
  /** Kafka timestamp, ms since epoch; default: the producer's clock. kafkajs only. */
  timestamp?: number;
}

/** Batch compression codecs. */
export type Compression = "none" | "gzip" | "snappy" | "lz4" | "zstd";

/** Options of {@link produce}. */
export interface ProduceOptions {
  /** Batch compression, default `none`. */
  compression?: Compression;
  /**
   * Which client writes the batch. Default: kafkajs for `none` and `gzip` (the codecs
   * it has built in), kcat (librdkafka, an independent encoder) for the others.
   */
  via?: "kafkajs" | "kcat";
}

const KAFKAJS_COMPRESSION: Record<Compression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

function toBuffer(data: string | Uint8Array): Buffer {
  return typeof data === "string"
    ? Buffer.from(data)
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Produces `records` to `topic` with acks=all and waits for the acknowledgement.
 *
 * With kcat, each partition's records go out as one batch, in order. librdkafka
 * sends a batch uncompressed when compressing does not shrink it, so give a test of
 * a codec compressible values of some size (a few hundred bytes of repeated text).
 * kcat cannot send headers.
 */
export async function produce(
  topic: string,
  records: TestRecord[],
  options: ProduceOptions = {},
): Promise<void> {
  const compression = options.compression ?? "none";
  const via = options.via ??
    (compression === "none" || compression === "gzip" ? "kafkajs" : "kcat");
  await requireKafka();
  if (via === "kcat") return await produceWithKcat(topic, records, compression);
  const producer = kafkaClient().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      compression: KAFKAJS_COMPRESSION[compression],
      messages: records.map((r) => ({
        key: r.key == null ? r.key : toBuffer(r.key),
        value: r.value === null ? null : toBuffer(r.value),
        partition: r.partition,
        headers: r.headers &&
          Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, toBuffer(v)])),
        timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

async function produceWithKcat(
  topic: string,
  records: TestRecord[],
  compression: Compression,
): Promise<void> {
  if (records.some((r) => r.headers || r.timestamp !== undefined)) {
    throw new Error("produce(): kcat cannot send headers or timestamps; use { via: 'kafkajs' }");
  }
  const byPartition = new Map<number, TestRecord[]>();
  for (const r of records) {
    const p = r.partition ?? 0;
    byPartition.set(p, [...(byPartition.get(p) ?? []), r]);
  }
  for (const [partition, group] of byPartition) {
    const parts = group.flatMap((r) => [
      r.key == null ? Buffer.alloc(0) : toBuffer(r.key),
      r.value === null ? Buffer.alloc(0) : toBuffer(r.value),
    ]);
    // Delimiters that occur in no key or value, so any bytes pass through unchanged.
    let keyDelim: Buffer, msgDelim: Buffer;
    do {
      keyDelim = Buffer.from(`\u0001K${randomBytes(8).toString("hex")}\u0001`);
      msgDelim = Buffer.from(`\u0001M${randomBytes(8).toString("hex")}\u0001`);
    } while (parts.some((p) => p.includes(keyDelim) || p.includes(msgDelim)));
    const input = Buffer.concat(group.flatMap((_, i) => [
      parts[2 * i],
      keyDelim,
      parts[2 * i + 1],
      msgDelim,
    ]));
    const args = [
      "-P",
      "-b",
      kafkaBrokers().join(","),
      "-t",
      topic,
      "-p",
      String(partition),
      "-z",
      compression,
      "-K",
      keyDelim.toString(),
      "-D",
      msgDelim.toString(),
      "-Z", // an empty value is sent as null (tombstone)
      "-X",
      "acks=all",
      "-X",
      "linger.ms=50",
    ];
    if (group.some((r) => r.value !== null && toBuffer(r.value).length === 0)) {
      throw new Error("produce(): kcat sends an empty value as null; use { via: 'kafkajs' }");
    }
    await run("kcat", args, {
      input,
      what: `kcat producing ${group.length} record(s) to ${topic}`,
    });
  }
}

/** Runs a command to completion; rejects with its exit code and output on failure. */
async function run(
  cmd: string,
  args: string[],
  options: { input?: Uint8Array; env?: Record<string, string>; what: string },
): Promise<string> {
  let result: Finished;
  try {
    result = await runCommand([cmd, ...args], {
      cwd: ROOT,
      env: options.env,
      stdin: options.input ?? new Uint8Array(0),
    });
  } catch (error) {
    throw new Error(`${options.what}: cannot run ${cmd}: ${(error as Error).message}`);
  }
  const output = text(result.stdout) + text(result.stderr);
  if (result.code !== 0) {
    throw new Error(`${options.what}: ${cmd} exited with ${result.code}:\n${output}`);
  }
  return output;
}

/**
 * The group's committed offset per partition of `topic` (the next offset to read),
 * `-1` for a partition with no commit.
 */
export async function committedOffsets(
  groupId: string,
  topic: string,
): Promise<Map<number, number>> {
  const [entry] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
}

/** The log end offset (high watermark) per partition of `topic`. */
export async function endOffsets(topic: string): Promise<Map<number, number>> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
}

/** A record read back by {@link consume}. */
export interface ConsumedRecord {
  partition: number;
  offset: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
}

/**
 * Reads `count` records of `topic` from the beginning with a fresh consumer group,
 * then leaves and deletes the group. Fails after `timeoutMs` (default 15000) with
 * what it had read so far.
 */
export async function consume(
  topic: string,
  count: number,
  options: { timeoutMs?: number } = {},
): Promise<ConsumedRecord[]> {
  await requireKafka();
  const groupId = uniqueName("consume");
  const consumer = kafkaClient().consumer({ groupId, maxWaitTimeInMs: 100 });
  const records: ConsumedRecord[] = [];
  let crash: unknown;
  consumer.on(consumer.events.CRASH, (event) => (crash = event.payload.error));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        records.push({
          partition,
          offset: Number(message.offset),
          key: message.key && new Uint8Array(message.key),
          value: message.value && new Uint8Array(message.value),
        });
        return Promise.resolve();
      },
    });
    await waitFor(() => crash !== undefined || records.length >= count, {
      timeoutMs: options.timeoutMs ?? 15_000,
      message: () => `consume(${topic}): read ${records.length} of ${count} record(s)`,
    });
    if (crash !== undefined) throw crash;
    return records;
  } finally {
    await consumer.disconnect();
    await withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => {});
  }
}

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** Give up after this long, default 10000. */
  timeoutMs?: number;
  /** Poll period, default 50. */
  intervalMs?: number;
  /** What was awaited, for the timeout error; a function is called at timeout. */
  message?: string | (() => string);
}

/**
 * Polls `condition` until it returns a truthy value, and returns that value. A
 * throw counts as "not yet" (the last error is reported on timeout). Use this, never
 * a fixed sleep.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (true) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const what = typeof options.message === "function"
    ? options.message()
    : options.message ?? "condition";
  const cause = lastError === undefined ? "" : `; last error: ${String(lastError)}`;
  throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms${cause}`, { cause: lastError });
}

/**
 * True when the test run may stop and start the broker: it is the one scripts/kafka.sh
 * runs for this checkout (KAFKA_BROKERS unset, or scripts/test.sh set
 * DASHFLOW_TEST_BROKER_MANAGED=1). A broker someone else runs is never touched.
 */
export function brokerManaged(): boolean {
  return !process.env.KAFKA_BROKERS || process.env.DASHFLOW_TEST_BROKER_MANAGED === "1";
}

async function kafkaSh(command: "restart" | "start" | "stop"): Promise<void> {
  if (!brokerManaged()) {
    throw new Error(
      `refusing to ${command} the broker at KAFKA_BROKERS=${process.env.KAFKA_BROKERS}: ` +
        "this test run did not start it (set DASHFLOW_TEST_BROKER_MANAGED=1 if it did)",
    );
  }
  const port = kafkaBrokers()[0].split(":").pop() ?? "9092";
  await run("bash", [`${ROOT}scripts/kafka.sh`, command], {
    env: { KAFKA_PORT: port, KEEP_DATA: "1" },
    what: `scripts/kafka.sh ${command} (KAFKA_PORT=${port})`,
  });
  required = undefined;
}

/**
 * Restarts the script-managed broker, keeping its data (topics, committed offsets),
 * and resolves once it answers again. Throws if the broker is not managed here.
 */
export function restartBroker(): Promise<void> {
  return kafkaSh("restart");
}

/** Stops the script-managed broker, keeping its data; pair with {@link startBroker}. */
export function stopBroker(): Promise<void> {
  return kafkaSh("stop");
}

/** Starts the script-managed broker again (its data kept) and waits until it answers. */
export function startBroker(): Promise<void> {
  return kafkaSh("start");
}
