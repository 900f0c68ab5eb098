import { BUILD_INFO } from "../build_info.ts";
import { resolveServeConfig, type ServeFlags } from "../config/serve_config.ts";
import { errorMessage, RunError } from "../errors.ts";
import { createMetricsHandler } from "../http/metrics_handler.ts";
import { createKafka } from "../kafka/client.ts";
import { describeKafkaError } from "../kafka/errors.ts";
import { GroupConsumer } from "../kafka/group_consumer.ts";
import { MetricsCore, readMetricsConfig } from "../metrics/mod.ts";
import { applyRecord } from "../pipeline/apply_record.ts";
import { aborted, sleep, withDeadline } from "../util/sleep.ts";
import type { CommandContext } from "./context.ts";

/** How long shutdown waits for the consumer to commit and leave its group. */
const SHUTDOWN_DEADLINE_MS = 5_000;
const MAX_CONNECT_BACKOFF_MS = 30_000;
const SESSION_SWEEP_MS = 5_000;

/**
 * `serve`: consume the topic with a consumer group and expose the metrics core on
 * HTTP until SIGINT/SIGTERM. Returns the exit code.
 */
export async function serve(ctx: CommandContext, flags: ServeFlags): Promise<number> {
  const { log, signal } = ctx;
  const config = resolveServeConfig(flags, ctx.env);
  const settings = readMetricsConfig(ctx.env, { warn: (m) => log.warn(m) });
  const core = new MetricsCore({
    ...settings,
    clock: ctx.clock,
    buildInfo: { ...BUILD_INFO, runtime: `${ctx.runtime.name} ${ctx.runtime.version}` },
  });
  const brokers = config.kafka.brokers.join(",");
  const kafka = createKafka({
    ...config.kafka,
    log,
    onError: () => core.recordConsumerError(),
  });
  const consumer = new GroupConsumer(kafka, {
    topic: config.topic,
    groupId: config.groupId,
    autoOffsetReset: config.autoOffsetReset,
    log,
    onRecord: (record) => {
      applyRecord(core, record.value, { maxPayloadBytes: config.maxPayloadBytes });
    },
    onCommitError: (error) => {
      core.recordOffsetStoreError();
      log.warn("Offset commit failed; uncommitted records will be re-delivered", {
        error: error.message,
      });
    },
  });

  let server;
  try {
    server = await ctx.runtime.serve({
      hostname: config.bind,
      port: config.port,
      handler: createMetricsHandler(core, {
        ready: () => consumer.ready,
        version: BUILD_INFO.version,
      }),
    });
  } catch (error) {
    throw new RunError(
      `Cannot listen on ${config.bind}:${config.port}: ${errorMessage(error)} ` +
        `(set METRICS_PORT / --port or METRICS_BIND_IP / --bind)`,
    );
  }
  log.info("Serving metrics", {
    url: `http://${config.bind}:${server.port}/metrics`,
    brokers,
    topic: config.topic,
    group: config.groupId,
  });

  const timers = [
    setInterval(() => core.expireSessions(), SESSION_SWEEP_MS),
    setInterval(() => {
      consumer.lag().then((lag) => {
        core.setConsumerLag(lag);
        log.debug("Consumer lag refreshed", { lag });
      }).catch((error) => {
        log.debug("Lag check failed", { error: errorMessage(error) });
      });
    }, config.lagIntervalMs),
  ];

  // The first connection may fail (broker not up yet): keep trying with backoff
  // while /-/ready says 503. Later failures are retried by the consumer itself.
  void (async () => {
    let backoff = 500;
    while (!signal.aborted) {
      try {
        await consumer.start();
        return;
      } catch (error) {
        if (signal.aborted) return;
        core.recordConsumerError();
        const reason = describeKafkaError(error);
        log.error(
          reason === "topic not found"
            ? `Topic '${config.topic}' not found at ${brokers} (retrying in ${backoff} ms; ` +
              `create it, or set KAFKA_TOPIC or --topic)`
            : `Cannot connect to Kafka at ${brokers}: ${reason} ` +
              `(retrying in ${backoff} ms; set KAFKA_BROKERS or --brokers)`,
        );
        await consumer.stop().catch(() => {});
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, MAX_CONNECT_BACKOFF_MS);
      }
    }
  })();

  await aborted(signal);
  log.info("Shutting down: stopping the consumer, committing offsets, leaving the group");
  for (const timer of timers) clearInterval(timer);
  // A connection attempt still in flight is abandoned, not awaited.
  const stopped = await withDeadline(consumer.stop(), SHUTDOWN_DEADLINE_MS);
  if (!stopped) log.warn(`Consumer did not stop within ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
  const flushed = core.flushSessions();
  await server.shutdown();
  log.info("Stopped", { sessions_flushed: flushed });
  return 0;
}
