import type { CliHost } from "../cli/host.ts";
import * as shared from "../cli/shared_options.ts";
import { SETTINGS } from "../config/settings.ts";
import { DEFAULT_TOPIC } from "../config/topic.ts";

const TAIL_HELP = `
Positions (--from), per partition:
  end                  only records produced from now on (default), following new ones
  beginning            the oldest record still held
  42                   offset 42 (clamped to the partition's range)
  -100                 the last 100 records
  2026-01-01T09:00:00Z the first record at or after an RFC 3339 time
  @1767225600000       the same, in epoch milliseconds (a bare number is an offset)

Output:
  pretty    one colored line per record; the default when stdout is a terminal
  json      one JSON object per line: topic, partition, offset, timestamp, timestamp_ms,
            key, size, then framing, type, message (or error); the default otherwise
  --output FILE writes each shown record's exact value, size-delimited, for 'replay FILE';
  lines still go to stdout unless --quiet. Colors: on a terminal, unless NO_COLOR is set.
  A record whose line would pass --max-line-bytes (16Mi) is shown by its type and header
  only, marked truncated (json: "truncated" instead of "message"); --output keeps it whole.

Filters take comma-separated values; * matches anything; a record must match every filter.
A record that fails to decode is always shown as an error line and counted.

Offsets: tail reads through a private group (dashflow-tail-<random>) that never commits and
is deleted on exit, so no one's offsets move. KAFKA_GROUP_ID is deliberately ignored; only
--group joins a real group, resuming from and committing to its offsets.

On exit (Ctrl-C, --limit, --exit-at-end) a one-line summary goes to stderr; exit code 0.

Environment: KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_BROKER_ADDRESS_FAMILY,
DASHSTREAM_MAX_PAYLOAD_BYTES, NO_COLOR, and the Kafka security variables below.

Examples:
  dashflow-exporter tail --topic dashstream-quality
  dashflow-exporter tail --from -20 --exit-at-end --type quality --model 'gpt-4o*'
  dashflow-exporter tail --from 2026-01-01T09:00:00Z --format json | jq .message.header
  dashflow-exporter tail --from beginning --exit-at-end --output events.bin --quiet
`;

/** The `tail` mode's command line. */
export function tailCommand(host: CliHost): void {
  const command = host.command("tail")
    .description("Decode and print the live DashStream topic (never moves any group's offsets).")
    .addOption(shared.settingOption(SETTINGS.brokers))
    .addOption(shared.settingOption(SETTINGS.topic, { shown: DEFAULT_TOPIC }))
    .option("--from <position>", "beginning | end | OFFSET | -N | RFC 3339 time | @EPOCH_MS [end]")
    .option("--partition <list>", "only these partitions, e.g. 0 or 0,2 or 0-3")
    .option("--limit <n>", "exit after showing this many records")
    .option("--exit-at-end", "exit once caught up with the end seen at start (else follow)")
    .option("--format <format>", "auto | pretty | json [auto: pretty on a terminal, else json]")
    .option("--color <when>", "auto | always | never [auto: terminal without NO_COLOR]")
    .option("--output <file>", "also write shown records' raw values, size-delimited (for replay)")
    .option("--quiet", "print no record lines (with --output, or just for the summary)")
    .option(
      "--type <list>",
      "message types: quality, metrics (includes quality), event, event_batch, state_diff, " +
        "token_chunk, tool_execution, checkpoint, error, execution_trace",
    )
    .option("--scope <list>", "metrics scopes, e.g. quality")
    .option("--thread <list>", "thread ids (header.thread_id)")
    .option("--session <list>", "session ids (the same field as --thread)")
    .option("--model <list>", "models, case-insensitive, e.g. 'gpt-4o*'")
    // KAFKA_GROUP_ID is the exporter's group, never tail's (see resolveTailConfig).
    .addOption(shared.settingOption(SETTINGS.group, {
      help: "opt in: join this consumer group and commit its offsets",
      env: false,
    }))
    .addOption(shared.settingOption(SETTINGS.addressFamily))
    .addOption(shared.settingOption(SETTINGS.maxPayloadBytes))
    .option(
      "--max-line-bytes <size>",
      "a record whose line would be longer is shown by its type and header only, marked " +
        "truncated (16Mi)",
    );
  shared.addKafkaSecurityOptions(command)
    .addOption(shared.logLevelOption())
    .addHelpText("after", TAIL_HELP + shared.KAFKA_SECURITY_HELP)
    .action(async (flags) => {
      // Loaded on use, so start-up (--help, --version, other modes) skips this mode's imports.
      const { tail } = await import("./run.ts");
      host.setExitCode(await tail(host.context(flags.logLevel), flags));
    });
}
