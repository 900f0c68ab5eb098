#!/usr/bin/env bash
# The main job with an embedded default: starts a local Kafka when KAFKA_BROKERS is
# not set, produces sample DashFlow quality events (and a trickle of new ones), and
# runs `serve`, after printing the next commands to try (tail, check, replay). Metrics:
# http://localhost:9190/metrics. Ctrl-C stops serve and the trickle; the broker keeps running
# (scripts/kafka.sh stop). DEMO_COUNT (1000) and DEMO_RATE (20/s) size the traffic.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/tools.sh
export PATH="$PWD/.tools/node_modules/.bin:$PWD/.cache/bin:$PATH"

if [ -z "${KAFKA_BROKERS:-}" ]; then
  scripts/kafka.sh start
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
fi
export KAFKA_TOPIC="${KAFKA_TOPIC:-dashstream-quality}"

echo "demo: producing sample events to $KAFKA_TOPIC on $KAFKA_BROKERS"
deno run -A scripts/produce_samples.ts --count "${DEMO_COUNT:-1000}"
deno run -A scripts/produce_samples.ts --count 0 --seed 7 --follow "${DEMO_RATE:-20}" &
producer=$!
serve=""
stop() {
  kill "$producer" 2>/dev/null || true
  [ -z "$serve" ] || kill "$serve" 2>/dev/null || true
}
trap stop EXIT
trap 'stop; wait "$serve" 2>/dev/null || true; exit 0' INT TERM

port="${METRICS_PORT:-9190}"
cat >&2 <<EOF
demo: serving http://localhost:$port/metrics (Ctrl-C to stop). Next, in another terminal:

  cd $PWD
  export PATH="\$PWD/bin:\$PWD/.tools/node_modules/.bin:\$PATH" KAFKA_BROKERS=$KAFKA_BROKERS KAFKA_TOPIC=$KAFKA_TOPIC
  dashflow-exporter tail --from -10 --exit-at-end          # the last records, decoded
  dashflow-exporter check --expect dashflow http://127.0.0.1:$port/metrics
  dashflow-exporter tail --from beginning --exit-at-end --quiet --output demo.bin
  dashflow-exporter replay demo.bin | grep queries_total   # the same metrics, offline

EOF
# In the background, so a TERM to this script reaches the trap (Ctrl-C reaches serve itself).
deno run -A main.ts serve "$@" &
serve=$!
wait "$serve"
