#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this):
# installs Deno/Bun/promtool/kcat if missing, starts a real single-node Kafka on
# its own port (unless KAFKA_BROKERS points at one), runs the gate `deno task ok`
# (fmt check, lint, type check, seam check, every test), then builds the binary
# with Bun and runs the binary suite against it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/tools.sh
export PATH="$PWD/.tools/node_modules/.bin:$PWD/.cache/bin:$PATH"

if [ -z "${KAFKA_BROKERS:-}" ]; then
  # A broker of our own, on a port apart from the demo's 9092, stopped on exit.
  export KAFKA_PORT="${KAFKA_PORT:-19092}"
  trap 'scripts/kafka.sh stop' EXIT
  scripts/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
  # Lets the broker-restart test bounce this broker (it never touches one it did not start).
  export DASHFLOW_TEST_BROKER_MANAGED=1
fi

deno task ok "$@"

# The binary suite: build the standalone binary with Bun (offline) and run the
# CLI, serve and standalone tests against it instead of the source.
deno task compile:bun
DASHFLOW_EXPORTER_BIN="$PWD/dist/dashflow-exporter" deno test -A \
  tests/cli_test.ts tests/binary/
