import { BUILD_INFO } from "../build_info.ts";
import { errorMessage, RunError } from "../errors.ts";
import { render } from "../exposition/mod.ts";
import { EXIT_CODES } from "../exit_codes.ts";
import { listenMetrics, type MetricsServers } from "../http/listen.ts";
import type { LandingStatus } from "../http/landing_page.ts";
import { formatListenAddress, type MetricsListen } from "../config/metrics_listen.ts";
import { createMetricsHandler } from "../http/metrics_handler.ts";
import { createKafka } from "../kafka/client.ts";
import { describeKafkaError } from "../kafka/errors.ts";
import { RecordProducer } from "../kafka/producer.ts";
import { loadKafkaSecurity } from "../kafka/security.ts";
import { MetricsCore, readMetricsConfig } from "../metrics/mod.ts";
import { applyRecords } from "./apply.ts";
import { type ReplayConfig, type ReplayFlags, resolveReplayConfig } from "./config.ts";
import { InputError } from "./errors.ts";
import { EventClock, eventTimeMs } from "./event_clock.ts";
import { detectFormat, type InputFormat } from "./format.ts";
import { readReplayInput, type ReplayInput } from "./input.ts";
import { produceRecords } from "./kafka_sink.ts";
import { Pacer } from "./pacer.ts";
import { Progress } from "./progress.ts";
import type { InputRecord } from "./record.ts";
import { RecordHeader } from "./record_header.ts";
import { countRecords, readRecords } from "./records.ts";
import { formatSummary, ReplayStats } from "./stats.ts";
import { aborted } from "../util/sleep.ts";
import { fastZstdReady } from "../zstd/fast_zstd.ts";
import type { CommandContext } from "../cli/context.ts";

/** `replay` flags, with the `--log-level` every mode takes. */
export interface ReplayCommandFlags extends ReplayFlags {
  /** `--log-level`; `quiet` also drops the progress line and the summary. */
  logLevel?: string;
}

// Bad input skipped with --skip-bad is logged one by one up to this many, then only counted.
const LOGGED_BAD_INPUT = 10;

/**
 * `replay`: reads recorded records from `file` (`-`: stdin) and applies them
 * to a fresh metrics core on an event-time clock, then prints the exposition
 * (default), serves it (`--serve`), or produces the records to a topic
 * (`--to-kafka`). Returns the exit code; bad input throws a {@linkcode RunError}.
 */
export async function replay(
  ctx: CommandContext,
  file: string,
  flags: ReplayCommandFlags,
): Promise<number> {
  const config = resolveReplayConfig(flags, ctx.env);
  const input = await readReplayInput(ctx.runtime, file, { maxBytes: config.maxInputBytes });
  const format = config.format === "auto" ? detectFormat(input.bytes) : config.format;
  const quiet = flags.logLevel === "quiet";
  const stats = new ReplayStats();
  const run: Run = { ctx, config, input, format, stats, quiet, started: ctx.clock() };
  try {
    // With side effects spread over time, bad input must fail before the first one.
    if (!config.skipBad && (config.mode === "kafka" || config.ratePerSecond !== undefined)) {
      countRecords(input.bytes, format);
    }
    return config.kafka !== undefined ? await toKafka(run, config.kafka) : await toCore(run);
  } catch (error) {
    if (error instanceof InputError) {
      const where = input.gzip ? " (offsets count decompressed bytes)" : "";
      throw new RunError(
        `Cannot replay ${input.name} as ${describeFormat(format)}: ${error.message}${where}; ` +
          "fix the input, or pass --skip-bad to count bad records and go on",
        { cause: error },
      );
    }
    throw error;
  }
}

interface Run {
  ctx: CommandContext;
  config: ReplayConfig;
  input: ReplayInput;
  format: InputFormat;
  stats: ReplayStats;
  quiet: boolean;
  /** Wall clock at the start, ms. */
  started: number;
}

function describeFormat(format: InputFormat): string {
  return format === "jsonl" ? "JSON Lines" : "size-delimited records";
}

function records(run: Run): Generator<InputRecord> {
  const { ctx, config, stats } = run;
  return readRecords(run.input.bytes, run.format, {
    onBad: config.skipBad
      ? (error) => {
        stats.countBadInput();
        if (stats.badInput <= LOGGED_BAD_INPUT) ctx.log.warn(`Skipped bad input: ${error.message}`);
        if (stats.badInput === LOGGED_BAD_INPUT) {
          ctx.log.warn("Further bad input is counted in the summary, not logged");
        }
      }
      : undefined,
  });
}

/** What applying and producing records both take: stats, size limit, signal, pace, progress. */
function feedOptions(run: Run, bar: Progress) {
  const { ctx, config, stats } = run;
  return {
    stats,
    maxPayloadBytes: config.maxPayloadBytes,
    signal: ctx.signal,
    pacer: config.ratePerSecond === undefined ? undefined : new Pacer(config.ratePerSecond),
    progress: bar,
  };
}

function progress(run: Run): Progress {
  return new Progress(run.ctx.stderr, {
    enabled: !run.quiet && run.ctx.stderr.isTerminal(),
    total: run.input.bytes.length,
  });
}

function summarize(run: Run, options: { topic?: string; interrupted: boolean }): void {
  const { ctx } = run;
  if (run.quiet) return;
  const elapsedMs = ctx.clock() - run.started;
  ctx.stderr.write(`${formatSummary(run.stats, { elapsedMs, ...options })}\n`);
}

/**
 * The first record's event time (header timestamp, else record timestamp),
 * which becomes the core's start time; 0 when it has none or there is none.
 */
function startTimeMs(run: Run): number {
  const first = readRecords(run.input.bytes, run.format, { onBad: () => {} }).next();
  if (first.done) return 0;
  const header = new RecordHeader();
  header.peek(first.value.value, run.config.maxPayloadBytes);
  const ms = eventTimeMs(header, first.value);
  return Number.isNaN(ms) ? 0 : ms;
}

async function toCore(run: Run): Promise<number> {
  const { ctx, config } = run;
  // Outputs never depend on it, but zstd records take the slow decoder until it is compiled.
  await fastZstdReady;
  const clock = new EventClock(startTimeMs(run));
  const settings = readMetricsConfig(ctx.env, { warn: (m) => ctx.log.warn(m) });
  const build = { ...BUILD_INFO, runtime: `${ctx.runtime.name} ${ctx.runtime.version}` };
  const core = new MetricsCore({
    ...settings,
    nativeHistograms: config.nativeHistograms,
    clock: clock.read,
    buildInfo: build,
  });
  let finished = false;
  // No Kafka and no live rate: the page shows build, readiness and the last event's time,
  // in the replay's event time.
  const landing = (): LandingStatus => {
    const { lastEventSecs } = core.activity;
    return {
      mode: "replay",
      ...build,
      ready: finished,
      ...(!finished && { notReadyReason: "still applying the input" }),
      ...(lastEventSecs > 0 && { lastEventTimeMs: lastEventSecs * 1000 }),
      nowMs: clock.read(),
    };
  };
  const server = config.http === undefined
    ? undefined
    : await listen(ctx, config.http, core, { ready: () => finished, landing });
  const bar = progress(run);
  try {
    finished = await applyRecords(core, records(run), { clock, ...feedOptions(run, bar) });
  } catch (error) {
    await server?.shutdown();
    throw error;
  } finally {
    bar.finish();
  }
  // Sessions still open at the end are observed, as a shutdown would.
  core.flushSessions();
  summarize(run, { interrupted: !finished });
  if (server === undefined) {
    if (!finished) return EXIT_CODES.interrupted;
    // The first render: the endpoint-duration histogram is still empty, so no wall-clock
    // timing leaks into the output.
    ctx.stdout.write((await render(core)).body);
    return EXIT_CODES.ok;
  }
  if (finished) ctx.log.info("Replay applied; serving its metrics until SIGINT/SIGTERM");
  await aborted(ctx.signal);
  await server.shutdown();
  ctx.log.info("Stopped");
  return EXIT_CODES.ok;
}

async function listen(
  ctx: CommandContext,
  http: MetricsListen,
  core: MetricsCore,
  status: { ready: () => boolean; landing: () => LandingStatus },
): Promise<MetricsServers> {
  const { addresses, telemetryPath } = http;
  const listening = await listenMetrics(ctx.runtime, {
    addresses,
    handler: createMetricsHandler(core, {
      ...status,
      version: BUILD_INFO.version,
      telemetryPath,
    }),
  });
  listening.servers.forEach((server, i) => {
    ctx.log.info("Serving metrics", {
      url: `http://${formatListenAddress(addresses[i], server.port)}${telemetryPath}`,
    });
  });
  return listening;
}

async function toKafka(
  run: Run,
  kafka: NonNullable<ReplayConfig["kafka"]>,
): Promise<number> {
  const { ctx, stats } = run;
  const { connection, topic } = kafka;
  const brokers = connection.brokers.join(",");
  const security = await loadKafkaSecurity(connection.security, {
    readFile: (path) => ctx.runtime.readFile(path),
    clock: ctx.clock,
  });
  const producer = new RecordProducer(createKafka({
    brokers: connection.brokers,
    addressFamily: connection.addressFamily,
    security,
    log: ctx.log,
  }));
  const ensured = await producer.ensureTopic(topic, {
    create: kafka.createTopic,
    partitions: kafka.partitions,
  }).catch(async (error) => {
    await producer.close().catch(() => {});
    // Said as the produce failure it is: nothing was produced, and the broker's answer to the
    // topic look-up (or creation) says why.
    throw new RunError(
      `Cannot produce to topic ${topic} at ${brokers}: ` +
        `${describeKafkaError(error, connection)} (no records were produced; check --brokers / ` +
        "KAFKA_BROKERS)",
    );
  });
  if (ensured === "missing") {
    throw new RunError(
      `Topic ${topic} does not exist at ${brokers}: replay never creates a topic unasked; ` +
        "create it, pass --create-topic (and --partitions N), or fix --topic",
    );
  }
  if (ensured === "created") {
    ctx.log.info("Created topic", { topic, partitions: kafka.partitions ?? "broker default" });
  }
  const bar = progress(run);
  let finished: boolean;
  try {
    finished = await produceRecords(producer, records(run), { topic, ...feedOptions(run, bar) });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new RunError(
      `Cannot produce to topic ${topic} at ${brokers}: ${errorMessage(error)} ` +
        `(${stats.produced} records were produced; check --brokers / KAFKA_BROKERS and the topic)`,
    );
  } finally {
    bar.finish();
    await producer.close().catch(() => {});
  }
  summarize(run, { topic, interrupted: !finished });
  return finished ? EXIT_CODES.ok : EXIT_CODES.interrupted;
}
