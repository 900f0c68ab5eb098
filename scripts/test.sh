#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this):
# installs Deno/Bun/promtool/kcat if missing, starts a real single-node Kafka on
# its own port (unless KAFKA_BROKERS points at one) and a secured one with TLS and SASL
# listeners (unless KAFKA_SECURE_DIR and friends describe one), runs the gate `deno task ok`
# (fmt check, lint, type check, seam check, every test), then builds the binary
# with Bun and runs the binary suite against it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/tools.sh
export PATH="$PWD/.tools/node_modules/.bin:$PWD/.cache/bin:$PATH"

# Brokers this script starts are stopped on exit.
stop_ports=()
secure_start=""
cleanup() {
  [ -z "$secure_start" ] || wait "$secure_start" || true
  for port in "${stop_ports[@]}"; do KAFKA_PORT="$port" scripts/kafka.sh stop || true; done
}
trap cleanup EXIT

# A second broker with SSL, mTLS, SASL_PLAINTEXT and SASL_SSL listeners on its own ports
# (KAFKA_SECURE_PORT..+6) for tests/kafka_security_test.ts, started alongside the first.
if [ -z "${KAFKA_SECURE_DIR:-}" ]; then
  secure_port="${KAFKA_SECURE_PORT:-19192}"
  stop_ports+=("$secure_port")
  KAFKA_PORT="$secure_port" KAFKA_SECURITY=1 scripts/kafka.sh start &
  secure_start=$!
fi

if [ -z "${KAFKA_BROKERS:-}" ]; then
  # A broker of our own, on a port apart from the demo's 9092, stopped on exit.
  export KAFKA_PORT="${KAFKA_PORT:-19092}"
  stop_ports+=("$KAFKA_PORT")
  scripts/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
  # Lets the broker-restart test bounce this broker (it never touches one it did not start).
  export DASHFLOW_TEST_BROKER_MANAGED=1
fi

if [ -n "$secure_start" ]; then
  wait "$secure_start"
  secure_start=""
  eval "$(KAFKA_PORT="$secure_port" scripts/kafka.sh env | grep '^export KAFKA_SECURE_')"
fi

deno task ok "$@"

# The binary suite: build the standalone binary with Bun (offline) and run these
# tests against it instead of the source: --help/--version/exit codes, serve with a
# scrape and SIGTERM (standalone, empty PATH), tail --exit-at-end/--limit, replay of
# the golden fixtures, check of good and bad expositions, tail --output -> replay vs
# serve, the TLS/SASL and web TLS suites, the landing page in headless Chromium, and
# the hostile HTTP suite (scrape and password floods against ingestion, HTTP edges).
deno task compile:bun
DASHFLOW_EXPORTER_BIN="$PWD/dist/dashflow-exporter" deno test -A \
  tests/cli_test.ts tests/binary/ tests/tail_limit_test.ts tests/replay_golden_test.ts \
  tests/check_cli_test.ts tests/check_invalid_test.ts tests/tail_replay_test.ts \
  tests/cli_usage_test.ts tests/docs_tables_test.ts tests/check_report_ci_test.ts \
  tests/tail_json_replay_test.ts tests/kafka_log_test.ts tests/demo_test.ts \
  tests/kafka_security_test.ts tests/web_tls_test.ts tests/landing_page_test.ts \
  tests/hostile_http_test.ts tests/hostile_inputs_test.ts tests/hostile_memory_cpu_test.ts \
  tests/topic_creation_test.ts
