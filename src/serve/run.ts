import { BUILD_INFO } from "../build_info.ts";
import { resolveServeConfig, type ServeFlags } from "./config.ts";
import { loadWebConfig, type WebConfig } from "./web_config.ts";
import { watchWebConfig, WEB_CONFIG_CHECK_MS } from "./web_reload.ts";
import { readSettingText } from "../util/read_file.ts";
import type { Handler, HttpServer } from "../runtime/mod.ts";
import { connectWithRetry } from "./connect.ts";
import { serveTls } from "./web_tls.ts";
import {
  anonymousResidentBytes,
  cgroupMemoryLimit,
  fetchSizing,
  resolveMemoryBudget,
} from "./memory_budget.ts";
import { errorMessage } from "../errors.ts";
import { EXIT_CODES } from "../exit_codes.ts";
import { withBasicAuth } from "../http/basic_auth.ts";
import { listenMetrics } from "../http/listen.ts";
import { withHeaders } from "../http/response_headers.ts";
import { formatListenAddress } from "../config/metrics_listen.ts";
import { createMetricsHandler } from "../http/metrics_handler.ts";
import { ACTIVITY_SAMPLE_MS, ServeLanding } from "./landing_status.ts";
import { createKafka } from "../kafka/client.ts";
import { classifyKafkaError } from "../kafka/errors.ts";
import { GroupConsumer, totalLag } from "../kafka/group_consumer.ts";
import { loadKafkaSecurity } from "../kafka/security.ts";
import { MetricsCore, readMetricsConfig } from "../metrics/mod.ts";
import { PartitionMetrics } from "../metrics/partition_metrics.ts";
import { applyRecord } from "../pipeline/apply_record.ts";
import { MemoryGovernor } from "../util/memory_governor.ts";
import { aborted, withDeadline } from "../util/sleep.ts";
import type { CommandContext } from "../cli/context.ts";

/** How long shutdown waits for the consumer to commit and leave its group. */
const SHUTDOWN_DEADLINE_MS = 5_000;
const SESSION_SWEEP_MS = 5_000;
/**
 * The share of the memory budget the process's anonymous memory is kept under by collecting
 * early: the rest is for the runtime's own pages, a fetch in flight, page cache and sockets.
 */
const RESIDENT_TARGET_SHARE = 0.4;
const IDLE_CHECK_MS = 1_000;
/**
 * Without a budget, the collection after a burst runs only above this much anonymous memory:
 * what a 256 MiB budget (the original's Kubernetes limit) allows at rest. A backlog's drain ends
 * far above it; a trickle of records stays below, so it never pays for collections.
 */
const IDLE_BYTES_WITHOUT_BUDGET = (256 * 1024 * 1024 * RESIDENT_TARGET_SHARE) / 2;

/**
 * `serve`: consume the topic with a consumer group and expose the metrics core on
 * HTTP until SIGINT/SIGTERM. Returns the exit code.
 *
 * Settings and the files they name (Kafka TLS/SASL, web config) are checked
 * before anything starts: a problem is a usage error, exit 2. A broker that
 * cannot be reached, refuses our TLS or our credentials is not: `serve` keeps
 * retrying with a message that says which (and `error_kind` in the log),
 * counting each failure in `dashstream_exporter_kafka_consumer_errors_total`
 * while `/-/ready` answers 503, so the failure shows in Prometheus instead of
 * as a crash loop, and a fix on the broker side heals without a restart.
 */
export async function serve(ctx: CommandContext, flags: ServeFlags): Promise<number> {
  const { log, signal } = ctx;
  const config = resolveServeConfig(flags, ctx.env);
  const readFile = (path: string) => ctx.runtime.readFile(path);
  const readTextSync = (path: string) => ctx.runtime.readTextSync(path);
  const security = await loadKafkaSecurity(config.kafka.security, {
    readFile,
    clock: ctx.clock,
  });
  const webOptions = {
    readFile,
    runtime: `${ctx.runtime.name} ${ctx.runtime.version}`,
    tlsSupport: ctx.runtime.serveTlsSupport,
  };
  const web = config.webConfigFile ? await loadWebConfig(config.webConfigFile, webOptions) : {};
  for (const notice of web.notices ?? []) {
    log.warn(notice, { web_config: config.webConfigFile?.path });
  }
  if (web.basicAuthUsers && !web.tls) {
    log.warn("basic_auth_users without tls_server_config: passwords cross the network in clear", {
      web_config: config.webConfigFile?.path,
    });
  }
  const budget = resolveMemoryBudget(flags.maxMemory, ctx.env, {
    detect: () => cgroupMemoryLimit(readTextSync),
  });
  // Without a budget (no limit, or `off`) collections while draining are the engine's, but the
  // one after a backlog stays, so the steady state is as small as under a limit.
  const governor = new MemoryGovernor({
    targetBytes: budget ? budget.bytes * RESIDENT_TARGET_SHARE : Infinity,
    ...(budget === undefined && { idleBytes: IDLE_BYTES_WITHOUT_BUDGET }),
    residentBytes: () => anonymousResidentBytes(readTextSync) ?? ctx.runtime.residentBytes(),
    collectGarbage: (options) => ctx.runtime.collectGarbage(options),
    now: ctx.clock,
  });
  const settings = readMetricsConfig(ctx.env, { warn: (m) => log.warn(m) });
  const buildInfo = { ...BUILD_INFO, runtime: `${ctx.runtime.name} ${ctx.runtime.version}` };
  const core = new MetricsCore({
    ...settings,
    nativeHistograms: config.nativeHistograms,
    clock: ctx.clock,
    buildInfo,
  });
  const brokers = config.kafka.brokers.join(",");
  const kafka = createKafka({
    ...config.kafka,
    security,
    log,
    onError: () => core.recordConsumerError(),
  });
  const applyOptions = { maxPayloadBytes: config.maxPayloadBytes }; // one object, not one per record
  const consumer = new GroupConsumer(kafka, {
    topic: config.topic,
    groupId: config.groupId,
    autoOffsetReset: config.autoOffsetReset,
    log,
    fetch: fetchSizing(budget),
    onValue: (value) => {
      applyRecord(core, value, applyOptions);
    },
    onBatch: () => governor.check(),
    // A crash after the first join (the topic deleted, the broker gone): the reason of /-/ready.
    onCrash: (error) => landing.reportFailure(classifyKafkaError(error, config.kafka)),
    onCommitError: (error) => {
      core.recordOffsetStoreError();
      log.warn("Offset commit failed; uncommitted records will be re-delivered", {
        error: error.message,
      });
    },
  });

  // After the catalog, so the per-partition families come last in the exposition.
  const partitions = new PartitionMetrics(core.registry, { topic: config.topic, source: consumer });
  const landing = new ServeLanding({
    core,
    consumer,
    lags: partitions,
    build: buildInfo,
    brokers,
    topic: config.topic,
    group: config.groupId,
    now: ctx.clock,
  });
  const metricsHandler = createMetricsHandler(core, {
    ready: () => consumer.ready,
    notReadyReason: () => landing.notReadyReason(),
    version: BUILD_INFO.version,
    landing: () => landing.status(),
    telemetryPath: config.telemetryPath,
    maxRequests: config.maxRequests,
  });
  const build = (current: WebConfig): Handler => {
    let handler = metricsHandler;
    if (current.basicAuthUsers) {
      handler = withBasicAuth(handler, current.basicAuthUsers, {
        onRefused: (user) => log.debug("HTTP request refused: basic auth", { user }),
      });
    }
    if (current.headers) handler = withHeaders(handler, current.headers);
    return handler;
  };
  const webFile = config.webConfigFile;
  const tlsOptions = {
    onRefused: (san: string) =>
      log.debug("TLS connection refused: client certificate not in client_allowed_sans", { san }),
  };
  // The web config and the certificates, keys and CAs it names: a change to any is a reload.
  const webState = async (current: WebConfig) =>
    (await Promise.all(
      [
        webFile!,
        ...(current.files ?? []).map((path) => ({
          path,
          source: `a file named in ${webFile!.path}`,
        })),
      ]
        .map((file) => readSettingText(readFile, file)),
    )).join("\0");
  // Filled once the listeners are bound; a reload reaches them through it.
  const servers: HttpServer[] = [];
  const watch = webFile && watchWebConfig({
    initial: { config: web, state: await webState(web) },
    readState: webState,
    load: () => loadWebConfig(webFile, webOptions),
    build,
    applyTls: (next) => {
      const tls = serveTls(next.tls!, tlsOptions);
      for (const server of servers) server.setTls?.(tls);
    },
    log,
    path: webFile.path,
  });
  const listening = await listenMetrics(ctx.runtime, {
    addresses: config.addresses,
    handler: watch ? watch.handler : build(web),
    ...(web.tls && { tls: serveTls(web.tls, tlsOptions) }),
    maxConnections: config.maxConnections,
  });
  servers.push(...listening.servers);
  const scheme = web.tls ? "https" : "http";
  const urls = listening.servers.map((server, i) =>
    `${scheme}://${formatListenAddress(config.addresses[i], server.port)}${config.telemetryPath}`
  );
  // One line per extra listener; the first carries the settings.
  for (const url of urls.slice(1)) log.info("Serving metrics", { url });
  log.info("Serving metrics", {
    url: urls[0],
    brokers,
    topic: config.topic,
    group: config.groupId,
    security_protocol: config.kafka.security?.protocol ?? "plaintext",
    sasl_mechanism: config.kafka.security?.sasl?.mechanism,
    basic_auth: web.basicAuthUsers ? true : undefined,
    client_auth: web.tls?.clientAuth,
    memory_budget: budget && `${Math.round(budget.bytes / 2 ** 20)}MiB (${budget.source})`,
  });

  const timers = [
    // TLS material changes apply even when no request arrives to notice them.
    ...(watch ? [setInterval(() => void watch.check(), WEB_CONFIG_CHECK_MS)] : []),
    // Memory drawn for a backlog is given back within about 2 s of the topic going quiet.
    setInterval(() => governor.idle(), IDLE_CHECK_MS),
    setInterval(() => core.expireSessions(), SESSION_SWEEP_MS),
    setInterval(() => landing.sample(), ACTIVITY_SAMPLE_MS),
    setInterval(() => {
      consumer.lagByPartition().then((lags) => {
        const lag = totalLag(lags);
        core.setConsumerLag(lag);
        partitions.setLags(lags);
        log.debug("Consumer lag refreshed", { lag });
      }).catch((error) => {
        log.debug("Lag check failed", { error: errorMessage(error) });
      });
    }, config.lagIntervalMs),
  ];

  void connectWithRetry(consumer, {
    kafka: config.kafka,
    topic: config.topic,
    security,
    onFailure: (failure) => {
      core.recordConsumerError();
      landing.reportFailure(failure);
    },
    log,
    clock: ctx.clock,
    signal,
  });

  await aborted(signal);
  log.info("Shutting down: stopping the consumer, committing offsets, leaving the group");
  for (const timer of timers) clearInterval(timer);
  // A connection attempt still in flight is abandoned, not awaited.
  const stopped = await withDeadline(consumer.stop(), SHUTDOWN_DEADLINE_MS);
  if (!stopped) log.warn(`Consumer did not stop within ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
  const flushed = core.flushSessions();
  await listening.shutdown();
  log.info("Stopped", { sessions_flushed: flushed });
  return EXIT_CODES.ok;
}
