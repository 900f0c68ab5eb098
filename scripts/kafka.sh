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
#   env      print `export KAFKA_BROKERS=...` (use: eval "$(scripts/kafka.sh env)"); with
#            security on, also the KAFKA_SECURE_* listener addresses and file paths
#   pki DIR  write the test certificates and credentials of `security/` (below) into DIR,
#            without a broker (tests of TLS outside Kafka use them)
#   tool T   run a Kafka CLI tool: topics, groups, console-consumer, console-producer,
#            dump-log, or a class name; e.g. `tool topics --bootstrap-server
#            127.0.0.1:9092 --list`
#
# env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1000),
#      KAFKA_HEAP (-Xms128m -Xmx512m), KAFKA_JVM_OPTS (extra JVM flags),
#      KAFKA_START_TIMEOUT (90 s), KAFKA_STOP_TIMEOUT (30 s), KEEP_DATA (0),
#      KAFKA_EXTRA_CONFIG (lines appended to server.properties),
#      KAFKA_VERSION (overrides the pom's kafka.version),
#      KAFKA_SECURITY (0; 1 adds the TLS and SASL listeners below; remembered by the run dir
#      until `stop`, so `env`, `status` and `restart` need not repeat it).
# files: .cache/kafka/run-<port>/{server.properties,kafka.pid,kafka.log,data/,security/}
#
# Security (KAFKA_SECURITY=1): beside PLAINTEXT on KAFKA_PORT (P), for negative and
# positive client tests, all on 127.0.0.1:
#   P+1 SSL             server TLS only            P+4 SASL_SSL   PLAIN, SCRAM-SHA-256/512, OAUTHBEARER
#   P+2 SSL, mTLS       client cert required       P+5 SSL        serves an EXPIRED certificate
#   P+3 SASL_PLAINTEXT  same mechanisms as P+4     P+6 SSL        certificate for the WRONG host
# security/ (made once with openssl, renewed when near expiry): ca.crt (trusted by the broker
# and to give clients), broker*.{crt,key}, client.{crt,key}, client.enc.key (PKCS#8,
# AES-256) + client.key.password, client-expired.{crt,key}, other-ca.crt and
# untrusted-client.{crt,key} (a CA the broker does not trust), sasl.password (one random
# password for every user), oauth.token (unsecured JWT, alg none, sub oauth-user) and
# expired.token (the same, expired).
# Users: plain-user (PLAIN), scram256-user (SCRAM-SHA-256), scram512-user (SCRAM-SHA-512),
# created at format time with Kafka's StorageTool --add-scram.
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
SEC="$RUN/security"
SEC_MARK="$RUN/security.on"

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

# Security is on when KAFKA_SECURITY=1, or unset and the last start had it on.
security_on() {
  case "${KAFKA_SECURITY:-}" in
  1) return 0 ;;
  "") [[ -f "$SEC_MARK" ]] ;;
  *) return 1 ;;
  esac
}

# Listener name, protocol and port offset of each secured listener.
SECURE_LISTENERS=(
  "SSL SSL 1" "MTLS SSL 2" "SASL_PLAINTEXT SASL_PLAINTEXT 3" "SASL_SSL SASL_SSL 4"
  "EXPIRED SSL 5" "WRONG_HOST SSL 6"
)
SCRAM_MECHANISMS=(SCRAM-SHA-256 SCRAM-SHA-512)
# Bump when make_security_files makes other files: existing dirs are then made again.
SEC_FILES_VERSION=2

# An EC P-256 key in unencrypted PKCS#8 (fast to make; Kafka's PEM keystore reads it).
sec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# sec_cert NAME CA SUBJECT_CN EXTENSIONS [openssl x509 dates...]: NAME.key + NAME.crt signed by CA.
sec_cert() {
  local name="$1" ca="$2" cn="$3" ext="$4"
  shift 4
  sec_key "$SEC/$name.key"
  openssl req -new -key "$SEC/$name.key" -subj "/CN=$cn" -out "$SEC/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$SEC/$name.ext"
  if [[ $# -gt 0 ]]; then
    # openssl 3.0's x509 cannot backdate; `openssl ca` can (-startdate/-enddate).
    local db="$SEC/ca-db"
    rm -rf "$db" && mkdir -p "$db" && : >"$db/index.txt" && printf '1000\n' >"$db/serial"
    cat >"$db/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
database = $db/index.txt
serial = $db/serial
new_certs_dir = $db
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
EOF
    openssl ca -batch -config "$db/ca.cnf" -cert "$SEC/$ca.crt" -keyfile "$SEC/$ca.key" \
      -in "$SEC/$name.csr" -out "$SEC/$name.crt" -notext -extfile "$SEC/$name.ext" "$@" \
      >"$db/ca.log" 2>&1 || die "openssl ca failed for $name; see $db/ca.log"
    rm -rf "$db"
  else
    openssl x509 -req -in "$SEC/$name.csr" -CA "$SEC/$ca.crt" -CAkey "$SEC/$ca.key" \
      -set_serial "0x$(openssl rand -hex 8)" -days 825 -extfile "$SEC/$name.ext" \
      -out "$SEC/$name.crt" 2>/dev/null || die "openssl could not sign $name"
  fi
  rm -f "$SEC/$name.csr" "$SEC/$name.ext"
}

# base64url without padding, for the unsecured JWT.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# Makes the test PKI, passwords and token once; again when the broker cert nears expiry.
ensure_security_files() {
  if [[ "$(cat "$SEC/.complete" 2>/dev/null)" == "$SEC_FILES_VERSION" ]] &&
    openssl x509 -checkend 604800 -noout -in "$SEC/broker.crt" >/dev/null 2>&1 &&
    openssl x509 -checkend 604800 -noout -in "$SEC/client.crt" >/dev/null 2>&1; then
    return 0
  fi
  make_security_files
  # Storage formatted with older SCRAM credentials would not match the new password.
  rm -rf "$DATA"
}

# Writes the test PKI, passwords and token into $SEC (replacing what is there).
make_security_files() {
  command -v openssl >/dev/null || die "openssl not found; install it (apt-get install openssl)"
  local t0
  t0="$(now_ms)"
  rm -rf "$SEC" && mkdir -p "$SEC" && chmod 700 "$SEC"
  local server_ext="subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth,clientAuth"
  local client_ext="extendedKeyUsage=clientAuth"
  for ca in ca other-ca; do
    sec_key "$SEC/$ca.key"
    openssl req -x509 -new -key "$SEC/$ca.key" -days 3650 -subj "/CN=dashflow-test-$ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$SEC/$ca.crt" 2>/dev/null || die "openssl could not make $ca"
  done
  sec_cert broker ca localhost "$server_ext"
  sec_cert broker-expired ca localhost "$server_ext" -startdate 20200101000000Z -enddate 20200102000000Z
  sec_cert broker-wrong-host ca wrong-host.invalid "subjectAltName=DNS:wrong-host.invalid
extendedKeyUsage=serverAuth"
  sec_cert client ca dashflow-client "$client_ext"
  sec_cert client-expired ca dashflow-client "$client_ext" -startdate 20200101000000Z -enddate 20200102000000Z
  sec_cert untrusted-client other-ca dashflow-client "$client_ext"
  # Kafka's PEM keystore: the key, then the certificate chain, in one file.
  for b in broker broker-expired broker-wrong-host; do
    cat "$SEC/$b.key" "$SEC/$b.crt" "$SEC/ca.crt" >"$SEC/$b.keystore.pem"
  done
  openssl rand -hex 12 >"$SEC/client.key.password"
  openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$SEC/client.key" -out "$SEC/client.enc.key" \
    -passout "file:$SEC/client.key.password" || die "openssl could not encrypt client.key"
  openssl rand -hex 12 >"$SEC/sasl.password"
  local now header payload
  now="$(date +%s)"
  header="$(printf '{"alg":"none"}' | b64url)"
  payload="$(printf '{"sub":"oauth-user","iat":%s,"exp":%s}' "$now" "$((now + 30 * 86400))" | b64url)"
  printf '%s.%s.\n' "$header" "$payload" >"$SEC/oauth.token"
  payload="$(printf '{"sub":"oauth-user","iat":1500000000,"exp":1500000600}' | b64url)"
  printf '%s.%s.\n' "$header" "$payload" >"$SEC/expired.token"
  rm -f "$SEC"/*.srl "$SEC/ca.key.srl"
  chmod 600 "$SEC"/*
  printf '%s\n' "$SEC_FILES_VERSION" >"$SEC/.complete"
  say "made test certificates and credentials in ${SEC#"$ROOT"/} in $(($(now_ms) - t0)) ms"
}

# server.properties lines for the secured listeners.
security_props() {
  local pw lower m
  pw="$(cat "$SEC/sasl.password")"
  cat <<EOF
ssl.keystore.type=PEM
ssl.keystore.location=$SEC/broker.keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$SEC/ca.crt
ssl.client.auth=none
listener.name.mtls.ssl.client.auth=required
listener.name.expired.ssl.keystore.location=$SEC/broker-expired.keystore.pem
listener.name.wrong_host.ssl.keystore.location=$SEC/broker-wrong-host.keystore.pem
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER
EOF
  for lower in sasl_plaintext sasl_ssl; do
    printf 'listener.name.%s.plain.sasl.jaas.config=%s required user_plain-user="%s";\n' \
      "$lower" org.apache.kafka.common.security.plain.PlainLoginModule "$pw"
    for m in "${SCRAM_MECHANISMS[@]}"; do
      printf 'listener.name.%s.%s.sasl.jaas.config=%s required;\n' "$lower" "${m,,}" \
        org.apache.kafka.common.security.scram.ScramLoginModule
    done
    # No server callback handler: Kafka validates unsecured (alg none) JWTs, fine for tests.
    printf 'listener.name.%s.oauthbearer.sasl.jaas.config=%s required;\n' "$lower" \
      org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule
  done
}

# Sets LISTENERS, ADVERTISED and PROTOCOL_MAP for write_props.
listener_lines() {
  LISTENERS="PLAINTEXT://$HOST:$PORT"
  PROTOCOL_MAP="PLAINTEXT:PLAINTEXT"
  if security_on; then
    local entry name proto off
    for entry in "${SECURE_LISTENERS[@]}"; do
      read -r name proto off <<<"$entry"
      LISTENERS+=",$name://$HOST:$((PORT + off))"
      PROTOCOL_MAP+=",$name:$proto"
    done
  fi
  ADVERTISED="$LISTENERS"
  LISTENERS+=",CONTROLLER://$HOST:$CONTROLLER_PORT"
  PROTOCOL_MAP+=",CONTROLLER:PLAINTEXT"
}

# Sets FORMAT_ARGS: StorageTool `--add-scram` for each SCRAM user (shared password).
scram_format_args() {
  FORMAT_ARGS=()
  security_on || return 0
  local pw m
  pw="$(cat "$SEC/sasl.password")"
  for m in "${SCRAM_MECHANISMS[@]}"; do
    FORMAT_ARGS+=(--add-scram "$m=[name=scram${m##*-}-user,password=$pw]")
  done
}

# The KAFKA_SECURE_* lines of `env`.
security_env() {
  local entry name proto off
  printf 'export KAFKA_SECURE_DIR=%s\n' "$SEC"
  printf 'export KAFKA_SECURE_PLAINTEXT=%s:%s\n' "$HOST" "$PORT"
  for entry in "${SECURE_LISTENERS[@]}"; do
    read -r name proto off <<<"$entry"
    printf 'export KAFKA_SECURE_%s=%s:%s\n' "$name" "$HOST" "$((PORT + off))"
  done
}

write_props() {
  listener_lines
  cat >"$PROPS" <<EOF
# Written by scripts/kafka.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=$LISTENERS
advertised.listeners=$ADVERTISED
listener.security.protocol.map=$PROTOCOL_MAP
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
$(security_on && security_props)
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
  if security_on; then
    local entry name proto off
    for entry in "${SECURE_LISTENERS[@]}"; do
      read -r name proto off <<<"$entry"
      if port_open "$((PORT + off))"; then
        die "$name port $HOST:$((PORT + off)) is in use; KAFKA_SECURITY=1 needs KAFKA_PORT+1..+6 free"
      fi
    done
    ensure_security_files
    : >"$SEC_MARK"
  else
    rm -f "$SEC_MARK"
  fi
  write_props
  if [[ ! -f "$DATA/meta.properties" ]]; then
    rm -rf "$DATA"
    scram_format_args
    java -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx128m \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LIBS/*" \
      kafka.tools.StorageTool format --ignore-formatted \
      --cluster-id "$(random_cluster_id)" --config "$PROPS" \
      ${FORMAT_ARGS[@]+"${FORMAT_ARGS[@]}"} >"$RUN/format.log" 2>&1 ||
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
  [[ "${KEEP_DATA:-0}" == 1 ]] || rm -f "$SEC_MARK"
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
pki)
  [[ $# -eq 2 ]] || die "usage: $0 pki DIR"
  # The dir is replaced: refuse one that holds anything but a previous pki.
  [[ ! -e "$2" || -f "$2/.complete" || -z "$(ls -A "$2")" ]] ||
    die "$2 exists and is not a pki dir made by this script; give a new or empty dir"
  SEC="$2"
  make_security_files
  ;;
env)
  printf 'export KAFKA_BROKERS=%s:%s\n' "$HOST" "$PORT"
  if security_on; then security_env; fi
  ;;
-h | --help | help) usage ;;
*)
  usage >&2
  exit 64
  ;;
esac
