/**
 * Produces the demo's traffic to KAFKA_TOPIC on KAFKA_BROKERS: sample DashFlow quality events
 * (the typical mix, ~30% zstd-framed) with current timestamps, and around them node events,
 * tool executions and token chunks of the same sessions (tests/support/sample/demo_traffic.ts).
 * `--count N` events end now; `--follow R` then adds R per second, stamped as they are sent.
 * Used by scripts/demo.sh.
 *
 *   deno run -A scripts/produce_samples.ts [--count N] [--follow PER_SECOND] [--seed S]
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { createKafka } from "../src/kafka/client.ts";
import { RecordProducer } from "../src/kafka/producer.ts";
import { createLogger } from "../src/log.ts";
import { demoRecords } from "../tests/support/sample/demo_traffic.ts";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "1000" },
    follow: { type: "string", default: "0" },
    seed: { type: "string", default: "42" },
  },
});
const brokers = (process.env.KAFKA_BROKERS ?? "localhost:9092").split(",");
const topic = process.env.KAFKA_TOPIC ?? "dashstream-quality";
const log = createLogger({ write: (s) => process.stderr.write(s), isTerminal: () => false }, {
  level: "warn",
});
const producer = new RecordProducer(createKafka({ brokers, log }));
// Topics are never created on the fly (docs/semantics.md, "Rule: topics are never created"): the
// demo creates its own, with the broker's default partitions, as `replay --create-topic` does.
if (await producer.ensureTopic(topic, { create: true }) === "created") {
  console.error(`produce_samples: created topic ${topic}`);
}

const count = Number(values.count);
const records = demoRecords(count, { seed: Number(values.seed) });
for (let i = 0; i < records.length; i += 500) await producer.send(topic, records.slice(i, i + 500));
if (count > 0) {
  console.error(
    `produce_samples: ${count} quality events and ${records.length - count} other records ` +
      `(node events, tool executions, token chunks) sent to ${topic}`,
  );
}

const perSecond = Number(values.follow);
if (perSecond > 0) {
  let seed = Number(values.seed) + 1;
  const stop = () => producer.close().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  while (true) {
    // Stamped now, spread over the last second: timestamps stay current and in order.
    await producer.send(
      topic,
      demoRecords(perSecond, { seed: seed++, meanGapMs: 1000 / perSecond }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
await producer.close();
