/**
 * The kafkajs floor for the drain benchmarks: a consumer group that does nothing
 * with the records but count them.
 *
 *   deno run -A scripts/bench/bare_consumer.ts --topic T --count 1000000
 *     prints `{"records": N, "ms": T}` (T from the first batch to the last) once it has
 *     seen `--count` records, and exits
 *   METRICS_PORT=9190 KAFKA_TOPIC=T bun scripts/bench/bare_consumer.ts
 *     runs until SIGTERM and serves the count as `dashstream_exporter_messages_received_total`
 *     on /metrics, so scripts/bench/envelope.ts can time it like any contender
 */
import { createServer } from "node:http";
import process from "node:process";
import { parseArgs } from "node:util";
import { createKafka } from "../../src/kafka/client.ts";
import { createLogger } from "../../src/log.ts";

const { values } = parseArgs({
  options: { topic: { type: "string" }, count: { type: "string" } },
});
const topic = values.topic ?? process.env.KAFKA_TOPIC;
if (!topic) {
  console.error("bare_consumer: set --topic or KAFKA_TOPIC");
  process.exit(2);
}
const target = values.count === undefined ? Infinity : Number(values.count);
const kafka = createKafka({
  brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","),
  log: createLogger({ write: () => {}, isTerminal: () => false }, { level: "quiet" }),
});
const consumer = kafka.consumer({
  groupId: process.env.KAFKA_GROUP_ID ?? `bench-bare-${Date.now()}`,
  maxWaitTimeInMs: 1000,
});
let seen = 0;
let first = 0;
const port = process.env.METRICS_PORT;
if (port) {
  createServer((_, response) => {
    response.setHeader("content-type", "text/plain; version=0.0.4");
    response.end(`dashstream_exporter_messages_received_total ${seen}\n`);
  }).listen(Number(port), "127.0.0.1");
}
process.on("SIGTERM", () => {
  consumer.disconnect().finally(() => process.exit(0));
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
const done = Promise.withResolvers<number>();
await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch, resolveOffset }) => {
    if (first === 0) first = performance.now();
    seen += batch.messages.length;
    resolveOffset(batch.lastOffset());
    if (seen >= target) done.resolve(performance.now() - first);
    await Promise.resolve();
  },
});
const ms = await done.promise;
console.log(JSON.stringify({ records: seen, ms }));
await consumer.disconnect();
process.exit(0);
