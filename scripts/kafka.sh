#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) on loopback, for tests.
# The broker's jars come from Maven Central (scripts/kafka/pom.xml), resolved once into
# .cache/kafka/<version>/libs; only Java 17+ and Maven are needed.
#
# usage: scripts/kafka.sh start|stop|status|restart|env
#   start    resolve jars (first time), format storage (fresh data), start in the
#            background and wait until a metadata request succeeds; no-op if running
#   stop     SIGTERM, wait, then SIGKILL; deletes the data dir unless KEEP_DATA=1
#   restart  stop keeping data, then start (same topics and committed offsets)
#   status   exit 0 and print details if the broker is running and answers
#   env      print `export KAFKA_BROKERS=...` (use: eval "$(scripts/kafka.sh env)")
#   tool T   run a Kafka CLI tool: topics, groups, console-consumer, console-producer,
#            dump-log, or a class name; e.g. `tool topics --bootstrap-server
#            127.0.0.1:9092 --list`
#
# env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1000),
#      KAFKA_HEAP (-Xms128m -Xmx512m), KAFKA_JVM_OPTS (extra JVM flags),
#      KAFKA_START_TIMEOUT (90 s), KAFKA_STOP_TIMEOUT (30 s), KEEP_DATA (0),
#      KAFKA_EXTRA_CONFIG (lines appended to server.properties),
#      KAFKA_VERSION (overrides the pom's kafka.version).
# files: .cache/kafka/run-<port>/{server.properties,kafka.pid,kafka.log,data/}
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/kafka/pom.xml"
PROBE_SRC="$ROOT/scripts/kafka/Ready.java"
CACHE="$ROOT/.cache/kafka"

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1000))}"
HOST=127.0.0.1
HEAP="${KAFKA_HEAP:--Xms128m -Xmx512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")}"

LIBS="$CACHE/$VERSION/libs"
PROBE_DIR="$CACHE/$VERSION/probe"
RUN="$CACHE/run-$PORT"
DATA="$RUN/data"
PIDFILE="$RUN/kafka.pid"
LOG="$RUN/kafka.log"
PROPS="$RUN/server.properties"

say() { printf 'kafka.sh: %s\n' "$*"; }
die() {
  printf 'kafka.sh: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

need_java() {
  command -v java >/dev/null || die "java not found; install a JDK 17+ (apt-get install openjdk-17-jdk-headless)"
  local v
  v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${v%%.*}" -ge 17 ]] || die "Kafka $VERSION needs Java 17+, found java $v ($(command -v java))"
}

# Milliseconds since the epoch, for timing lines.
now_ms() { date +%s%3N; }

# Resolves the broker's jars once per pom change, and compiles the readiness probe once
# per change of its source. A lock keeps concurrent starts from resolving twice.
ensure_libs() {
  local want_libs want_probe
  want_libs="$VERSION $(sha256sum <"$POM" | cut -c1-16)"
  want_probe="$VERSION $(sha256sum <"$PROBE_SRC" | cut -c1-16)"
  if [[ "$(cat "$LIBS/.stamp" 2>/dev/null)" == "$want_libs" &&
    "$(cat "$PROBE_DIR/.stamp" 2>/dev/null)" == "$want_probe" ]]; then
    return 0
  fi
  mkdir -p "$CACHE/$VERSION"
  exec 8>"$CACHE/$VERSION/.lock"
  flock 8
  if [[ "$(cat "$LIBS/.stamp" 2>/dev/null)" != "$want_libs" ]]; then
    command -v mvn >/dev/null ||
      die "mvn not found; install Maven (apt-get install maven) to resolve Kafka's jars"
    local t0 tmp
    t0="$(now_ms)"
    say "resolving Kafka $VERSION jars from Maven Central into ${LIBS#"$ROOT"/}"
    tmp="$CACHE/$VERSION/libs.tmp"
    rm -rf "$tmp"
    mvn -q -B -f "$POM" "-Dkafka.version=$VERSION" dependency:copy-dependencies \
      "-DoutputDirectory=$tmp" -DincludeScope=runtime >"$CACHE/$VERSION/mvn.log" 2>&1 ||
      die "maven could not resolve Kafka $VERSION; see $CACHE/$VERSION/mvn.log"
    printf '%s\n' "$want_libs" >"$tmp/.stamp"
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
    say "resolved $(find "$LIBS" -name '*.jar' | wc -l) jars in $(($(now_ms) - t0)) ms"
  fi
  if [[ "$(cat "$PROBE_DIR/.stamp" 2>/dev/null)" != "$want_probe" ]]; then
    command -v javac >/dev/null ||
      die "javac not found; install a full JDK 17+ (apt-get install openjdk-17-jdk-headless)"
    rm -rf "$PROBE_DIR"
    mkdir -p "$PROBE_DIR"
    javac -nowarn -d "$PROBE_DIR" -cp "$LIBS/*" "$PROBE_SRC" ||
      die "could not compile $PROBE_SRC"
    printf '%s\n' "$want_probe" >"$PROBE_DIR/.stamp"
  fi
  exec 8>&-
}

# Prints the broker's pid if the pid file names a live broker of this run dir.
running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # cmdline check guards against a recycled pid belonging to something else.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $PROPS" || return 1
  printf '%s\n' "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

probe() { # probe TIMEOUT_SECONDS [PID]
  java -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=off \
    -cp "$LIBS/*:$PROBE_DIR" Ready "$HOST:$PORT" "$@"
}

# Kafka's Uuid text form: 16 random bytes, base64url, no padding, not starting with '-'.
random_cluster_id() {
  local id
  while :; do
    id="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    [[ "$id" != -* ]] && break
  done
  printf '%s\n' "$id"
}

write_props() {
  cat >"$PROPS" <<EOF
# Written by scripts/kafka.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
${KAFKA_EXTRA_CONFIG:-}
EOF
}

lock_run() {
  mkdir -p "$RUN"
  exec 9>"$CACHE/run-$PORT.lock"
  flock 9
}

start() {
  need_java
  ensure_libs
  lock_run
  local pid t0 fresh=0
  if pid="$(running_pid)"; then
    say "already running (pid $pid) on $HOST:$PORT"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$PORT"; then
    die "port $HOST:$PORT is in use by a process this script did not start; stop it or set KAFKA_PORT"
  fi
  if port_open "$CONTROLLER_PORT"; then
    die "controller port $HOST:$CONTROLLER_PORT is in use; stop that process or set KAFKA_CONTROLLER_PORT"
  fi
  t0="$(now_ms)"
  write_props
  if [[ ! -f "$DATA/meta.properties" ]]; then
    rm -rf "$DATA"
    java -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx128m \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LIBS/*" \
      kafka.tools.StorageTool format --ignore-formatted \
      --cluster-id "$(random_cluster_id)" --config "$PROPS" >"$RUN/format.log" 2>&1 ||
      die "formatting $DATA failed; see $RUN/format.log"
    fresh=1
    say "formatted fresh storage in ${DATA#"$ROOT"/}"
  else
    say "reusing storage in ${DATA#"$ROOT"/}"
  fi
  [[ -f "$LOG" ]] && mv -f "$LOG" "$LOG.1"
  # setsid detaches the broker from the caller's process group (a test runner or CI
  # step ending must not take it down); bash records its own pid, then execs java.
  # 9>&- keeps the run lock out of the broker, or it would hold the lock forever.
  # shellcheck disable=SC2086,SC2016 # HEAP/KAFKA_JVM_OPTS split on purpose; $$ is the child's
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
    java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Xshare:auto \
    -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
    -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn \
    ${KAFKA_JVM_OPTS:-} -cp "$LIBS/*" kafka.Kafka "$PROPS" \
    </dev/null >"$LOG" 2>&1 9>&- &
  disown # not our job to report on: it outlives this script by design
  local i
  for i in $(seq 50); do
    [[ -s "$PIDFILE" ]] && break
    sleep 0.02
  done
  pid="$(cat "$PIDFILE" 2>/dev/null)" || die "broker did not start; see $LOG"
  say "started pid $pid, waiting up to ${START_TIMEOUT}s for $HOST:$PORT (log: ${LOG#"$ROOT"/})"
  local rc=0 out
  out="$(probe "$START_TIMEOUT" "$pid" 2>&1)" || rc=$?
  if [[ $rc -ne 0 ]]; then
    {
      printf 'kafka.sh: error: broker on %s:%s not ready: %s\n' "$HOST" "$PORT" "$out"
      printf 'kafka.sh: last lines of %s:\n' "$LOG"
      tail -n 25 "$LOG" | sed 's/^/  | /'
    } >&2
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
    # Storage formatted by this failed start is dropped; reused data is left alone.
    if [[ $fresh == 1 ]]; then
      for ((i = 0; i < 50; i++)); do
        [[ -d "/proc/$pid" ]] || break
        sleep 0.1
      done
      rm -rf "$DATA"
    fi
    die "start failed; full log: $LOG"
  fi
  say "ready on $HOST:$PORT in $(($(now_ms) - t0)) ms ($out)"
}

stop() {
  lock_run
  local pid i
  if ! pid="$(running_pid)"; then
    say "not running on $HOST:$PORT"
    rm -f "$PIDFILE"
  else
    local t0
    t0="$(now_ms)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
      running_pid >/dev/null || break
      sleep 0.1
    done
    if running_pid >/dev/null; then
      say "pid $pid still alive after ${STOP_TIMEOUT}s of SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        running_pid >/dev/null || break
        sleep 0.1
      done
    fi
    rm -f "$PIDFILE"
    say "stopped pid $pid in $(($(now_ms) - t0)) ms"
  fi
  if [[ "${KEEP_DATA:-0}" == 1 ]]; then
    [[ -d "$DATA" ]] && say "kept data in ${DATA#"$ROOT"/}"
  elif [[ -d "$DATA" ]]; then
    rm -rf "$DATA"
    say "removed data in ${DATA#"$ROOT"/}"
  fi
  return 0
}

status() {
  local pid out
  if ! pid="$(running_pid)"; then
    say "not running on $HOST:$PORT"
    return 1
  fi
  [[ -d "$PROBE_DIR" ]] || die "pid $pid is running but ${PROBE_DIR#"$ROOT"/} is missing; run: $0 restart"
  if out="$(probe 5 "$pid" 2>&1)"; then
    say "running pid $pid on $HOST:$PORT, Kafka $VERSION, $out (log: ${LOG#"$ROOT"/})"
  else
    say "pid $pid is alive but $HOST:$PORT does not answer: $out (log: $LOG)"
    return 1
  fi
}

tool() {
  [[ $# -ge 1 ]] || die "usage: $0 tool topics|groups|console-consumer|console-producer|dump-log|CLASS [args]"
  need_java
  ensure_libs
  local cls="$1"
  shift
  case "$cls" in
  topics) cls=org.apache.kafka.tools.TopicCommand ;;
  groups) cls=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  console-consumer) cls=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  console-producer) cls=org.apache.kafka.tools.ConsoleProducer ;;
  dump-log) cls=org.apache.kafka.tools.DumpLogSegments ;;
  esac
  exec java -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx256m \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LIBS/*" "$cls" "$@"
}

cmd="${1:-}"
case "$cmd" in
start) start ;;
stop) stop ;;
restart)
  KEEP_DATA=1 stop
  start
  ;;
status) status ;;
tool)
  shift
  tool "$@"
  ;;
env) printf 'export KAFKA_BROKERS=%s:%s\n' "$HOST" "$PORT" ;;
-h | --help | help) usage ;;
*)
  usage >&2
  exit 64
  ;;
esac
