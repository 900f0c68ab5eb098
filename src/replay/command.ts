import type { CliHost } from "../cli/host.ts";
import * as shared from "../cli/shared_options.ts";
import { EXIT_CODES } from "../exit_codes.ts";
import { undotFlags } from "../cli/undot_flags.ts";

const REPLAY_HELP = `
Input (detected by content; --format overrides):
  size-delimited  each record a varint length + the exact Kafka record value (what
                  'tail --output' writes)
  JSON Lines      one object per line: a record envelope
                    {"value": "<base64>", "key"?: "...", "timestamp"?: ms, "partition"?, "offset"?}
                  or a DashStreamMessage in protobuf's canonical JSON, e.g.
                    {"metrics": {"header": {"timestampUs": "1767225600000000", "threadId": "s1"},
                     "scope": "quality", "metrics": {"passed": {"boolValue": true}}}}
  Gzip-compressed input is read transparently; - reads standard input.

Output:
  default         apply every record to a fresh metrics core, flush open sessions, print the
                  exposition (text 0.0.4) to stdout. The clock is event time (header timestamp,
                  else record timestamp), so the same input always prints the same bytes.
  --serve         serve /metrics like 'serve' while (with --rate) or after applying, until
                  SIGINT/SIGTERM; /-/ready answers 200 once the whole input is applied
  --to-kafka      produce the records unchanged (key: the envelope's, else the header's
                  thread id) to --topic T, which must exist; --create-topic creates it when
                  missing (--partitions N, else the broker's default)

A one-line summary goes to stderr at the end, and a progress line while a long replay runs
on a terminal. Bad input (truncated or corrupt record, a JSON line that is no record) fails
with the record number and byte offset, exit code ${EXIT_CODES.failure}; --skip-bad counts it and goes on.

Environment:
  DASHSTREAM_MAX_PAYLOAD_BYTES, PROMETHEUS_SESSION_TIMEOUT_SECS, PROMETHEUS_*_BUCKETS and
  PROMETHEUS_NATIVE_HISTOGRAM* as for 'serve'; METRICS_PORT, METRICS_BIND_IP with --serve (unless --web.listen-address); KAFKA_BROKERS,
  KAFKA_BROKER_ADDRESS_FAMILY and the security settings below with --to-kafka (KAFKA_TOPIC is
  never used: give --topic).

Examples:
  dashflow-exporter replay traffic.bin > metrics.prom
  dashflow-exporter replay incident.bin.gz --serve --port 9191 --rate 200
  dashflow-exporter replay traffic.bin --to-kafka --topic dashstream-loadtest --rate 5000
  cat events.jsonl | dashflow-exporter replay -
`;

/** The `replay` mode's command line. */
export function replayCommand(host: CliHost): void {
  const command = host.command("replay")
    .description(
      "Feed recorded records (tail --output, or JSON Lines) into the metrics core and print " +
        "or serve the metrics, or produce them back into Kafka.",
    )
    .argument("<file>", "the recording, gzip-compressed or not; - for standard input")
    .option("--format <format>", "auto | delimited | jsonl", "auto")
    .option("--serve", "serve /metrics until SIGINT/SIGTERM instead of printing")
    .addOption(shared.portOption("with --serve: HTTP port, 0 for any free port (METRICS_PORT)"))
    .addOption(shared.bindOption("with --serve: HTTP bind address (METRICS_BIND_IP)"))
    .addOption(shared.webListenAddressOption(
      "with --serve: listen on host:port (:9190, [::1]:9190); repeatable; replaces --port/--bind",
    ))
    .addOption(shared.webTelemetryPathOption("with --serve: path of the metrics [/metrics]"))
    .option("--to-kafka", "produce the records to --topic instead of applying them")
    .addOption(shared.topicOption("with --to-kafka: the topic to produce to (required)"))
    .addOption(shared.brokersOption("with --to-kafka: bootstrap servers (KAFKA_BROKERS)"))
    .addOption(shared.addressFamilyOption("with --to-kafka: any | v4 | v6"))
    .option(
      "--create-topic",
      "with --to-kafka: create --topic when it does not exist (else replay fails, as it never " +
        "creates a topic unasked)",
    )
    .option("--partitions <n>", "with --create-topic: partitions of the created topic")
    .option("--rate <n>", "records per second (default: as fast as possible)")
    .option("--skip-bad", "count unreadable input and go on instead of failing")
    .option(
      "--max-input-bytes <size>",
      "the most read from standard input or inflated from a gzip file, e.g. 1Gi (256Mi)",
    )
    .addOption(shared.maxPayloadBytesOption());
  // With --to-kafka only: resolveReplayConfig() rejects them otherwise.
  shared.addKafkaSecurityOptions(shared.addNativeHistogramOptions(command))
    .addOption(shared.logLevelOption())
    .addHelpText("after", REPLAY_HELP + shared.KAFKA_SECURITY_HELP)
    .action(async (file: string, flags) => {
      // Loaded on use, so start-up (--help, --version, other modes) skips this mode's imports.
      const { replay } = await import("./run.ts");
      host.setExitCode(await replay(host.context(flags.logLevel), file, undotFlags(flags)));
    });
}
