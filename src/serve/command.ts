import type { CliHost } from "../cli/host.ts";
import * as shared from "../cli/shared_options.ts";
import { undotFlags } from "../cli/undot_flags.ts";

const SERVE_HELP = `
Environment (flags win over env vars; defaults match the original exporter):
  KAFKA_BROKERS                   bootstrap servers            [localhost:9092]
  KAFKA_TOPIC                     topic to consume             [dashstream-quality]
  KAFKA_GROUP_ID                  consumer group               [prometheus-exporter]
  KAFKA_AUTO_OFFSET_RESET         earliest | latest            [earliest]
  KAFKA_BROKER_ADDRESS_FAMILY     any | v4 | v6                [v4 for localhost, else any]
  METRICS_PORT                    HTTP port                    [9190]
  METRICS_BIND_IP                 HTTP bind address            [0.0.0.0]
                                  (--web.listen-address replaces --port, --bind and both)
  DASHSTREAM_MAX_PAYLOAD_BYTES    record and decompressed size limit [10485760]
  KAFKA_LAG_CHECK_INTERVAL_SECS   consumer lag refresh period  [10]
  METRICS_WEB_CONFIG_FILE         web config: TLS and basic auth for HTTP (--web.config.file)
  METRICS_MAX_REQUESTS            HTTP requests handled at once, 0: no limit   [40]
                                  (--web.max-requests; over it: 503, probes excepted)
  METRICS_MAX_CONNECTIONS         open HTTP connections per listener, 0: no limit [512]
                                  (--web.max-connections; over it: closed at once)
  PROMETHEUS_SESSION_TIMEOUT_SECS idle time before a session's turns are observed [300]
  DASHFLOW_EXPORTER_MAX_MEMORY    memory budget: 256Mi, 200MB, bytes, or off   [cgroup limit]
  PROMETHEUS_LATENCY_BUCKETS_MS, PROMETHEUS_RETRY_BUCKETS, PROMETHEUS_QUALITY_SCORE_BUCKETS,
  PROMETHEUS_SESSION_TURN_BUCKETS, PROMETHEUS_DURATION_BUCKETS_SECONDS,
  PROMETHEUS_METRICS_ENDPOINT_BUCKETS
                                  histogram buckets, comma-separated, may end in inf (a value
                                  that is no number: defaults; not increasing: exit 2)
  PROMETHEUS_NATIVE_HISTOGRAMS    native buckets beside the classic ones, served in the
                                  protobuf format only: on | off [on]
  PROMETHEUS_NATIVE_HISTOGRAM_BUCKET_FACTOR  largest native bucket growth, > 1 [1.1]
  PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS    buckets a series spans before halving [160]
  RUST_LOG                        log level when --log-level is not given (as the original)

${shared.KAFKA_SECURITY_HELP.trim()}
  A broker that is unreachable, refuses the TLS handshake or the credentials does not stop
  serve: it logs which (error_kind=unreachable|tls|authentication), counts it in
  dashstream_exporter_kafka_consumer_errors_total, keeps /-/ready at 503 and retries.

Web config (--web.config.file, the Prometheus exporter-toolkit format; paths relative to it):
  tls_server_config: {cert_file, key_file, client_auth_type (NoClientCert |
    RequestClientCert | RequireAndVerifyClientCert), client_ca_file, client_allowed_sans,
    min_version, max_version, cipher_suites, curve_preferences (these two: Bun build only)}
  http_server_config: {headers: {X-Content-Type-Options: nosniff, ...}, http2}
  basic_auth_users: {USER: BCRYPT_HASH, ...}   (making a hash: docs/web_config.md)
  Basic auth, when set, guards every path, /-/healthy and /-/ready included.
  A change to the file or to the certificates it names is picked up within a second: users and
  headers apply at once, TLS to new connections; a bad file is logged and the last good one kept.
  Details: docs/web_config.md.

Memory: serve reads the memory limit of its cgroup (Kubernetes limits.memory, systemd
  MemoryMax=, docker -m), or takes --max-memory, and stays within it: each Kafka fetch is at
  most 1/64 of the budget (at most 4 MiB per partition), garbage is collected early whenever
  its heap and buffers (RssAnon) pass 40% of it, and once more when the topic goes idle.
  Without a limit (or with --max-memory off) it uses kafkajs' fetch sizes and the engine's
  own collection.

Endpoints:
  /metrics      (or --web.telemetry-path) Prometheus text 0.0.4 (OpenMetrics 1.0 when the scraper asks; gzip when accepted)
  /-/healthy    200 while the process runs
  /-/ready      200 while the consumer is a member of its group (with or without
                partitions), else 503
  /             a landing page

Examples:
  dashflow-exporter serve
  KAFKA_BROKERS=kafka-1:9092,kafka-2:9092 dashflow-exporter serve --port 9191
  dashflow-exporter serve --brokers localhost:9092 --auto-offset-reset latest
  dashflow-exporter serve --web.listen-address=:9190 --web.listen-address=[::1]:9190 \\
    --web.telemetry-path=/metrics
  KAFKA_SECURITY_PROTOCOL=sasl_ssl KAFKA_SASL_MECHANISM=SCRAM-SHA-512 KAFKA_SASL_USERNAME=exporter \\
    dashflow-exporter serve --sasl-password-file /run/secrets/kafka --ssl-ca /etc/kafka/ca.pem \\
    --web.config.file /etc/dashflow/web.yml
`;

/** The `serve` mode's command line. */
export function serveCommand(host: CliHost): void {
  const command = host.command("serve")
    .description(
      "Consume the topic and expose Prometheus metrics on /metrics until SIGINT/SIGTERM.",
    )
    .addOption(shared.brokersOption())
    .addOption(shared.topicOption("topic to consume (KAFKA_TOPIC)"))
    .option("--group <id>", "consumer group id (KAFKA_GROUP_ID)")
    .option("--auto-offset-reset <where>", "earliest | latest, when the group has no offset")
    .addOption(shared.addressFamilyOption())
    .addOption(shared.portOption("HTTP port for /metrics, 0 for any free port (METRICS_PORT)"))
    .addOption(shared.bindOption("HTTP bind address (METRICS_BIND_IP)"))
    .addOption(shared.webListenAddressOption(
      "listen on host:port (:9190, 127.0.0.1:9190, [::1]:9190); repeat for several; " +
        "replaces --port/--bind",
    ))
    .addOption(shared.webTelemetryPathOption("path of the metrics [/metrics]"))
    .addOption(shared.maxPayloadBytesOption())
    .option("--lag-interval <seconds>", "consumer lag refresh period")
    .option(
      "--max-memory <size>",
      "memory budget, e.g. 256Mi; off for none (DASHFLOW_EXPORTER_MAX_MEMORY) [cgroup limit]",
    )
    .option(
      "--web.config.file <path>",
      "TLS and basic auth for HTTP, exporter-toolkit format (METRICS_WEB_CONFIG_FILE)",
    )
    .option(
      "--web.max-requests <n>",
      "HTTP requests handled at once, 0 for no limit (METRICS_MAX_REQUESTS) [40]",
    )
    .option(
      "--web.max-connections <n>",
      "open HTTP connections per listener, 0 for no limit (METRICS_MAX_CONNECTIONS) [512]",
    );
  shared.addKafkaSecurityOptions(shared.addNativeHistogramOptions(command))
    .addOption(shared.logLevelOption())
    .addHelpText("after", SERVE_HELP)
    .action(async (flags) => {
      // Loaded on use, so start-up (--help, --version, other modes) skips this mode's imports.
      const { serve } = await import("./run.ts");
      host.setExitCode(await serve(host.context(flags.logLevel), undotFlags(flags)));
    });
}
