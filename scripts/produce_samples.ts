/**
 * Produces sample DashFlow quality events (the typical mix, ~30% zstd-framed) to
 * KAFKA_TOPIC on KAFKA_BROKERS. Used by scripts/demo.sh.
 *
 *   deno run -A scripts/produce_samples.ts [--count N] [--follow PER_SECOND] [--seed S]
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { createKafka } from "../src/kafka/client.ts";
import { RecordProducer } from "../src/kafka/producer.ts";
import { createLogger } from "../src/log.ts";
import { sampleRecords } from "../tests/support/sample/quality_events.ts";

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

const count = Number(values.count);
const records = sampleRecords(count, { seed: Number(values.seed) });
for (let i = 0; i < records.length; i += 500) await producer.send(topic, records.slice(i, i + 500));
if (count > 0) console.error(`produce_samples: ${count} quality events sent to ${topic}`);

const perSecond = Number(values.follow);
if (perSecond > 0) {
  let seed = Number(values.seed) + 1;
  const stop = () => producer.close().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  while (true) {
    await producer.send(topic, sampleRecords(perSecond, { seed: seed++ }));
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
await producer.close();
