#!/usr/bin/env bash
# The main job with an embedded default: starts a local Kafka when KAFKA_BROKERS is
# not set, produces sample DashFlow quality events (and a trickle of new ones), and
# runs `serve`. Metrics: http://localhost:9190/metrics. Ctrl-C stops serve and the
# trickle; the broker keeps running (scripts/kafka.sh stop).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/tools.sh
export PATH="$PWD/.tools/node_modules/.bin:$PWD/.cache/bin:$PATH"

if [ -z "${KAFKA_BROKERS:-}" ]; then
  scripts/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
fi
export KAFKA_TOPIC="${KAFKA_TOPIC:-dashstream-quality}"

echo "demo: producing sample quality events to $KAFKA_TOPIC on $KAFKA_BROKERS"
deno run -A scripts/produce_samples.ts --count 1000
deno run -A scripts/produce_samples.ts --count 0 --seed 7 --follow 20 &
producer=$!
trap 'kill "$producer" 2>/dev/null || true' EXIT

echo "demo: serving http://localhost:${METRICS_PORT:-9190}/metrics (Ctrl-C to stop)"
deno run -A main.ts serve "$@"
