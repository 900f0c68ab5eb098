/**
 * The kafkajs ceiling for the drain benchmark: a consumer group that does nothing
 * with the records. Prints `{"records": N, "ms": T}` (T from the first batch to
 * the last) once it has seen `--count` records.
 *
 *   deno run -A scripts/bench/bare_consumer.ts --topic T --count 1000000
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { createKafka } from "../../src/kafka/client.ts";
import { createLogger } from "../../src/log.ts";

const { values } = parseArgs({
  options: { topic: { type: "string" }, count: { type: "string", default: "1000000" } },
});
const target = Number(values.count);
const kafka = createKafka({
  brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","),
  log: createLogger({ write: () => {}, isTerminal: () => false }, { level: "quiet" }),
});
const consumer = kafka.consumer({ groupId: `bench-bare-${Date.now()}`, maxWaitTimeInMs: 1000 });
await consumer.connect();
await consumer.subscribe({ topic: values.topic!, fromBeginning: true });
let seen = 0;
let first = 0;
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
