import type { CliHost } from "../cli/host.ts";
import * as shared from "../cli/shared_options.ts";
import { EXIT_CODES } from "../exit_codes.ts";
import { PASSWORD_ENV_VAR } from "./config.ts";
import { RULES } from "./rules.ts";

function wrap(words: readonly string[], indent: string, width = 98): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.length + word.length + 1 > width && line.trim() !== "") {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join("\n");
}

const rulesBy = (severity: string) =>
  Object.entries(RULES).filter(([, rule]) => rule.severity === severity).map(([id]) => id);

const CHECK_HELP = `
TARGET is an http(s) URL, a file, or - for stdin.

Input format: for a URL, from the response's Content-Type (text/plain: text 0.0.4;
application/openmetrics-text: OpenMetrics 1.0; application/vnd.google.protobuf: delimited
MetricFamily messages, native histograms included); for a file or stdin, protobuf when it starts
like one, else OpenMetrics when a line is '# EOF', else text. --input-format
text|openmetrics|protobuf overrides both; --accept protobuf asks a URL for protobuf. For
protobuf, a finding's line is the number of the MetricFamily message. (--format is the OUTPUT
format.)

Exit codes:
  ${EXIT_CODES.ok}  valid, no findings (notices do not count)
  ${EXIT_CODES.lintFindings}  valid, but lint findings (as promtool check metrics)
  ${EXIT_CODES.failure}  invalid exposition, failed expectation, counter decrease, or unreachable target
  ${EXIT_CODES.usage}  usage error

--expect dashflow: every metric of the exporter's catalog present with its type, label names
and bucket bounds, the pre-created series present, values sane (quality scores in [0,1],
counters >= 0, build info 1). Bucket bounds are the catalog defaults; when the exporter runs
with PROMETHEUS_*_BUCKETS* overrides, pass the same variables to check with
--expect-buckets env, or skip the bounds with --expect-buckets any. Lint findings on catalog
names (e.g. the _ms in dashstream_query_latency_ms) are notices: the names are a contract.
--expect FILE: a YAML or JSON list of {name, type, labels, buckets, min, max, series,
labelValues} (see docs/check.md). --expect can be given more than once.

--scrapes N: N scrapes, --interval apart; fails when a counter, histogram bucket or count, or
summary count goes down. A changed process_start_time_seconds (or
dashstream_exporter_process_start_time_seconds) means a restart: reported as a notice, and its
resets are not errors.

Basic auth: --basic-auth USER:PASSWORD, or --basic-auth USER with the password in
${PASSWORD_ENV_VAR} (keeps it out of the process list).

Rules (errors):
${wrap(rulesBy("error"), "  ")}
Rules (warnings, lint):
${wrap(rulesBy("warning"), "  ")}
Rules (notices):
${wrap(rulesBy("notice"), "  ")}

Examples:
  dashflow-exporter check http://127.0.0.1:9190/metrics --expect dashflow
  dashflow-exporter check --wait 30s --accept openmetrics https://app:8443/metrics --ca-file ca.pem
  curl -s localhost:9100/metrics | dashflow-exporter check - --format junit > check.xml
  dashflow-exporter check http://127.0.0.1:9190/metrics --scrapes 3 --interval 5s
`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The `check` mode's command line. */
export function checkCommand(host: CliHost): void {
  host.command("check")
    .description(
      "Scrape an endpoint (or read a file or stdin) and validate the Prometheus/OpenMetrics " +
        "exposition: syntax, structure, lint, expectations.",
    )
    .argument("<target>", "http(s) URL, file, or - for stdin")
    .option("--expect <what>", "dashflow (the exporter's catalog) or a YAML/JSON file", collect)
    .option("--expect-buckets <mode>", "default | env | any: bucket bounds for --expect dashflow")
    .option("--format <format>", "output: human | json | junit (human)")
    .option("--input-format <format>", "auto | text | openmetrics | protobuf (default: auto)")
    .option(
      "--accept <format>",
      "prometheus | openmetrics | protobuf: what to ask a URL for (prometheus)",
    )
    .option("--timeout <duration>", "limit of one request, e.g. 500ms, 10s (10s)")
    .option("--wait <duration>", "retry an unreachable or 5xx target this long, e.g. 30s")
    .option("--scrapes <n>", "scrape N times and check counters never decrease (1)")
    .option("--interval <duration>", "time between scrapes (1s)")
    .option("--ca-file <path>", "PEM CA certificate(s) to trust for https")
    .option("--cert-file <path>", "PEM client certificate for https (with --key-file)")
    .option("--key-file <path>", "PEM key of --cert-file")
    .option("--insecure-skip-verify", "do not verify the server's certificate")
    .option("--basic-auth <user[:password]>", `basic auth (password from ${PASSWORD_ENV_VAR})`)
    .option("--header <header>", "extra request header 'Name: value' (repeatable)", collect)
    .option(
      "--max-bytes <size>",
      "the most an exposition may hold, after decompression, e.g. 64Mi (16Mi)",
    )
    .option(
      "--max-findings-per-rule <n>",
      "findings of one rule listed in the report; the rest are only counted (100)",
    )
    .option("--no-lint", `skip the lint rules (no warnings, no exit ${EXIT_CODES.lintFindings})`)
    .addOption(shared.logLevelOption())
    .addHelpText("after", CHECK_HELP)
    .action(async (target: string, flags) => {
      // Loaded on use, so start-up (--help, --version, other modes) skips this mode's imports.
      const { check } = await import("./run.ts");
      host.setExitCode(await check(host.context(flags.logLevel), target, flags));
    });
}
