import { errorMessage, RunError, UsageError } from "../errors.ts";
import { EXIT_CODES } from "../exit_codes.ts";
import { createKafka } from "../kafka/client.ts";
import { describeKafkaError } from "../kafka/errors.ts";
import { loadKafkaSecurity } from "../kafka/security.ts";
import { TailAdmin } from "../kafka/tail_admin.ts";
import { TailConsumer } from "../kafka/tail_consumer.ts";
import type { FileSink } from "../runtime/mod.ts";
import { choosePalette } from "./colors.ts";
import { jsonLine } from "./json_format.ts";
import { TailPipeline } from "./pipeline.ts";
import {
  describeStartPosition,
  type PartitionRange,
  type StartOffsets,
  startOffsets,
} from "./position.ts";
import { prettyLine } from "./pretty_format.ts";
import { resolveTailConfig, type TailConfig, type TailFlags } from "./config.ts";
import type { TailRecord } from "./tail_record.ts";
import { withDeadline } from "../util/sleep.ts";
import type { CommandContext } from "../cli/context.ts";

/** How long shutdown waits for the consumer to leave its group. */
const SHUTDOWN_DEADLINE_MS = 5_000;

/**
 * `tail`: decode and print the topic's records from a start position, following
 * new ones until SIGINT/SIGTERM, `--limit` or (with `--exit-at-end`) the end
 * seen at start. Prints a one-line summary on stderr and returns 0; a record
 * that fails to decode is an error line, never a failure.
 */
export async function tail(ctx: CommandContext, flags: TailFlags): Promise<number> {
  const { log, signal } = ctx;
  const config = resolveTailConfig(flags, ctx.env);
  const render = renderer(ctx, config);
  const security = await loadKafkaSecurity(config.kafka.security, {
    readFile: (path) => ctx.runtime.readFile(path),
    clock: ctx.clock,
  });
  const kafka = createKafka({
    brokers: config.kafka.brokers,
    addressFamily: config.kafka.addressFamily,
    security,
    log,
    clientId: "dashflow-exporter-tail",
  });
  const admin = new TailAdmin(kafka, {
    brokers: config.kafka.brokers,
    security: config.kafka.security,
  });
  const context = { security: config.kafka.security };
  let file: FileSink | undefined;
  let consumer: TailConsumer | undefined;
  let pipeline: TailPipeline | undefined;
  let failure: Error | undefined;
  try {
    await admin.connect(config.topic);
    const ranges = selectPartitions(await admin.watermarks(config.topic), config);
    const start = await startPositions(admin, ranges, config);
    warnClamped(log, config, start);
    file = openOutput(ctx, config);
    pipeline = new TailPipeline({
      stdout: ctx.stdout,
      render,
      file: file && config.output !== undefined ? { path: config.output, sink: file } : undefined,
      filters: config.filters,
      limit: config.limit,
      maxPayloadBytes: config.maxPayloadBytes,
      maxLineBytes: config.maxLineBytes,
    });
    const { promise: finished, resolve: finishNow } = Promise.withResolvers<void>();
    const finish = () => {
      consumer?.halt();
      finishNow();
    };
    const high = new Map(ranges.map((r) => [r.partition, r.high]));
    const atEnd = (positionOf: (p: number) => bigint | undefined, partitions: readonly number[]) =>
      partitions.length > 0 && partitions.every((p) => (positionOf(p) ?? -1n) >= high.get(p)!);

    consumer = new TailConsumer(kafka, {
      topic: config.topic,
      start: start.offsets,
      end: config.exitAtEnd ? high : undefined,
      groupId: config.groupId,
      fromBeginning: config.from.kind === "beginning",
      log,
      onRecord: (record) => {
        pipeline!.handle(record);
        if (pipeline!.done) finish();
      },
      onProgress: () => {
        if (config.exitAtEnd && atEnd((p) => consumer!.positionOf(p), consumer!.assigned)) {
          finish();
        }
      },
      onFatal: (error) => {
        failure = error;
        finish();
      },
    });
    log.info("Tailing", {
      topic: config.topic,
      partitions: ranges.map((r) => r.partition).join(","),
      from: describeStartPosition(config.from),
      start: [...start.offsets].map(([p, o]) => `${p}:${o}`).join(","),
      end: config.exitAtEnd ? ranges.map((r) => `${r.partition}:${r.high}`).join(",") : "follow",
      group: consumer.groupId,
      commits: !consumer.ephemeral,
    });

    signal.addEventListener("abort", finish, { once: true });
    if (signal.aborted) finish();
    // With --exit-at-end, an empty selection or one already at its end needs no consumer.
    if (config.exitAtEnd && atEnd((p) => start.offsets.get(p), [...start.offsets.keys()])) {
      finish();
    } else if (!signal.aborted) {
      try {
        await consumer.start();
      } catch (error) {
        throw new RunError(
          `Cannot connect to Kafka at ${config.kafka.brokers.join(",")}: ` +
            `${describeKafkaError(error, context)} (set KAFKA_BROKERS or --brokers)`,
        );
      }
    }
    await finished;
    signal.removeEventListener("abort", finish);
  } finally {
    await shutdown({ consumer, admin, file, log: ctx.log });
    try {
      if (pipeline !== undefined) ctx.stderr.write(pipeline.summary.line() + "\n");
    } catch {
      // stderr is gone too: nothing left to tell.
    }
  }
  if (pipeline?.failure !== undefined) throw pipeline.failure;
  if (failure !== undefined) {
    throw new RunError(`Kafka consumer failed: ${describeKafkaError(failure, context)}`);
  }
  return EXIT_CODES.ok;
}

/** Warns about partitions where an explicit `--from` offset was out of range. */
function warnClamped(log: CommandContext["log"], config: TailConfig, start: StartOffsets): void {
  for (const range of start.clamped) {
    // A bare epoch-ms number is read as an offset; hint at the timestamp syntax.
    const hint = config.from.kind === "offset" && config.from.offset > 1_000_000_000_000n
      ? ` (for a timestamp in epoch ms write --from @${config.from.offset})`
      : "";
    log.warn(
      `--from ${describeStartPosition(config.from)} is outside partition ${range.partition}'s ` +
        `offsets ${range.low}-${range.high}; starting at ${start.offsets.get(range.partition)}` +
        hint,
    );
  }
}

/** Creates the `--output` file, if asked for. */
function openOutput(ctx: CommandContext, config: TailConfig): FileSink | undefined {
  if (config.output === undefined) return undefined;
  try {
    return ctx.runtime.createFile(config.output);
  } catch (error) {
    throw new RunError(`Cannot create --output '${config.output}': ${errorMessage(error)}`);
  }
}

/** The line renderer for the chosen format: pretty on a terminal, json otherwise. */
function renderer(
  ctx: CommandContext,
  config: TailConfig,
): ((entry: TailRecord) => string) | undefined {
  if (config.quiet) return undefined;
  const isTerminal = ctx.stdout.isTerminal();
  const format = config.format === "auto" ? (isTerminal ? "pretty" : "json") : config.format;
  if (format === "json") return jsonLine;
  const palette = choosePalette(config.color, { isTerminal, env: ctx.env });
  return (entry) => prettyLine(entry, { palette });
}

/** The partitions to read: all, or those `--partition` names (which must exist). */
function selectPartitions(all: PartitionRange[], config: TailConfig): PartitionRange[] {
  if (config.partitions === undefined) return all;
  const missing = config.partitions.filter((p) => !all.some((r) => r.partition === p));
  if (missing.length > 0) {
    throw new UsageError(
      `Invalid --partition '${missing.join(",")}': topic '${config.topic}' has partitions ` +
        `0-${all.length - 1}`,
    );
  }
  return all.filter((r) => config.partitions!.includes(r.partition));
}

/** Start offsets: from `--from`, or with `--group` the group's committed offsets first. */
async function startPositions(
  admin: TailAdmin,
  ranges: PartitionRange[],
  config: TailConfig,
): Promise<StartOffsets> {
  const timestampOffsets = config.from.kind === "timestamp"
    ? await admin.offsetsAt(config.topic, config.from.ms)
    : undefined;
  const start = startOffsets(config.from, ranges, { timestampOffsets });
  if (config.groupId !== undefined) {
    const committed = await admin.committed(config.groupId, config.topic);
    for (const range of ranges) {
      const offset = committed.get(range.partition);
      if (offset !== undefined) {
        start.offsets.set(
          range.partition,
          offset < range.low ? range.low : offset > range.high ? range.high : offset,
        );
      }
    }
  }
  return start;
}

async function shutdown(parts: {
  consumer: TailConsumer | undefined;
  admin: TailAdmin;
  file: FileSink | undefined;
  log: CommandContext["log"];
}): Promise<void> {
  const { consumer, admin, file, log } = parts;
  if (consumer !== undefined) {
    const stopped = await withDeadline(consumer.stop().catch(() => {}), SHUTDOWN_DEADLINE_MS);
    if (!stopped) log.warn(`Consumer did not stop within ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
    if (consumer.ephemeral && consumer.started) {
      // The private group holds no offsets; deleting it leaves nothing behind.
      await admin.deleteGroup(consumer.groupId).catch((error) => {
        log.debug("Could not delete the private tail group", {
          group: consumer.groupId,
          error: describeKafkaError(error),
        });
      });
    }
  }
  try {
    file?.close();
  } catch (error) {
    log.warn(`Cannot close --output: ${errorMessage(error)}`);
  }
  await admin.close();
}
