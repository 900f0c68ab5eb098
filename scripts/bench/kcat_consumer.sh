#!/bin/sh
# A native client's floor for scripts/bench/envelope.ts: kcat (librdkafka, C) in a consumer
# group that reads every record and does nothing with it, committing as librdkafka does by
# default (every 5 s). envelope.ts times it by its committed offsets, as it does the original.
#
#   deno run -A scripts/bench/envelope.ts --contender "kcat=$PWD/scripts/bench/kcat_consumer.sh"
#
# Needs kcat (Debian: apt-get install -y kcat). Reads KAFKA_BROKERS, KAFKA_TOPIC and
# KAFKA_GROUP_ID from the environment, as every contender does.
set -eu
command -v kcat >/dev/null || { echo "kcat_consumer: kcat not found (apt-get install -y kcat)" >&2; exit 2; }
exec kcat -q -b "$KAFKA_BROKERS" -G "$KAFKA_GROUP_ID" -X auto.offset.reset=earliest \
  -f '%o\n' "$KAFKA_TOPIC" >/dev/null
