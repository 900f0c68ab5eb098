#!/usr/bin/env bash
# Installs the project's tools, idempotently; fast (well under a second) when all are
# present. Used by scripts/test.sh (CI) and scripts/demo.sh.
#   deno 2.9.6, bun 1.4.5  from npm into .tools/node_modules/.bin
#   project deps           `deno install` (node_modules/ from package.json + deno.lock)
#   promtool, prometheus,  extracted from Debian's prometheus and prometheus-node-exporter
#   prometheus-node-exporter  .debs into .cache/bin (no root needed, no service installed or
#                          started; the last two feed check's corpus test)
#   kcat                   `apt-get install kcat` when missing (needs root; it links
#                          librdkafka, so extracting the .deb alone would not do)
#   chromium               `apt-get install chromium` when missing (needs root: its many
#                          libraries rule out extracting the .deb; tests/landing_page_test.ts
#                          skips its browser steps without it)
#   java 17+, mvn          checked (scripts/kafka.sh needs them); apt-get installed
#                          when missing and root
# With --only-runtimes, only the first two (what `deno task compile:bun` and bin/dashflow-exporter
# need): no Prometheus, kcat, Chromium or Java.
# PATH afterwards: export PATH="$PWD/.tools/node_modules/.bin:$PWD/.cache/bin:$PATH"
# Exits non-zero, naming what is missing and how to get it, if anything could not be
# provided.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DENO_VERSION=2.9.6
BUN_VERSION=1.4.5
BIN="$ROOT/.cache/bin"
DEBS="$ROOT/.cache/debs"
missing=()
apt_updated=0

say() { printf 'tools.sh: %s\n' "$*"; }
now_ms() { date +%s%3N; }
is_root() { [[ "$(id -u)" == 0 ]]; }

apt_update_once() {
  if [[ $apt_updated == 0 ]]; then
    say "apt-get update"
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
}

# apt_install PKG... (root only); output goes to a log, shown on failure.
apt_install() {
  apt_update_once
  local log="$ROOT/.cache/apt-install.log"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    return 1
  fi
}

npm_version() { # npm_version PKG -> installed version under .tools, or nothing
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' ".tools/node_modules/$1/package.json" 2>/dev/null |
    head -n 1
}

step_runtimes() {
  if [[ "$(npm_version deno)" == "$DENO_VERSION" && "$(npm_version bun)" == "$BUN_VERSION" &&
    -x .tools/node_modules/.bin/deno && -x .tools/node_modules/.bin/bun ]]; then
    say "deno $DENO_VERSION, bun $BUN_VERSION: present in .tools/node_modules/.bin"
    return 0
  fi
  if ! command -v npm >/dev/null; then
    say "deno/bun: MISSING, and npm is not installed (apt-get install nodejs npm)"
    missing+=(deno bun)
    return 0
  fi
  local t0
  t0="$(now_ms)"
  mkdir -p .tools
  if ! npm install --no-save --no-audit --no-fund --loglevel=error --prefix .tools \
    "deno@$DENO_VERSION" "bun@$BUN_VERSION" >.tools/npm-install.log 2>&1; then
    tail -n 20 .tools/npm-install.log >&2
    say "deno/bun: npm install failed (log: .tools/npm-install.log)"
    missing+=(deno bun)
    return 0
  fi
  say "deno $DENO_VERSION, bun $BUN_VERSION: installed from npm in $(($(now_ms) - t0)) ms"
}

step_deps() {
  [[ -x .tools/node_modules/.bin/deno ]] || return 0
  local t0 log=.cache/deno-install.log args=()
  t0="$(now_ms)"
  mkdir -p .cache
  # CI installs exactly what deno.lock says; a stale lock fails there, not silently.
  [[ "${CI:-}" == true ]] && args+=(--frozen)
  if ! .tools/node_modules/.bin/deno install "${args[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    say "project deps: deno install ${args[*]} failed (log: $log)"
    missing+=(node_modules)
    return 0
  fi
  say "project deps: deno install ${args[*]:+${args[*]} }ok in $(($(now_ms) - t0)) ms"
}

# deb_extract PKG PATH_IN_DEB NAME: copies one binary out of Debian's PKG .deb into .cache/bin/NAME
# (no root needed, nothing installed or started). Idempotent: does nothing when NAME is there.
deb_extract() {
  local pkg="$1" path="$2" name="$3" t0 deb tmp
  if [[ -x "$BIN/$name" ]]; then
    say "$name: present in .cache/bin"
    return 0
  fi
  t0="$(now_ms)"
  mkdir -p "$DEBS" "$BIN"
  deb="$(find "$DEBS" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)"
  if [[ -z "$deb" ]]; then
    # apt-get download needs no root but needs package lists; fetch them if we can.
    if ! (cd "$DEBS" && apt-get download -qq "$pkg" >/dev/null 2>&1); then
      if is_root; then
        apt_update_once
        (cd "$DEBS" && apt-get download -qq "$pkg" >/dev/null) || true
      fi
    fi
    deb="$(find "$DEBS" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)"
  fi
  if [[ -z "$deb" ]]; then
    say "$name: MISSING: 'apt-get download $pkg' failed (run 'apt-get update' as root first)"
    missing+=("$name")
    return 0
  fi
  tmp="$DEBS/$pkg.x"
  rm -rf "$tmp"
  dpkg-deb -x "$deb" "$tmp"
  cp "$tmp/$path" "$BIN/$name.tmp"
  mv -f "$BIN/$name.tmp" "$BIN/$name"
  rm -rf "$tmp"
  say "$name: extracted from $(basename "$deb") into .cache/bin in $(($(now_ms) - t0)) ms"
}

step_prometheus() {
  # promtool for the serve tests; the server and node exporter for check's corpus test.
  deb_extract prometheus usr/bin/promtool promtool
  deb_extract prometheus usr/bin/prometheus prometheus
  deb_extract prometheus-node-exporter usr/bin/prometheus-node-exporter prometheus-node-exporter
}

step_kcat() {
  if command -v kcat >/dev/null; then
    say "kcat: present ($(command -v kcat))"
    return 0
  fi
  if ! is_root; then
    say "kcat: MISSING; install it as root: apt-get install -y kcat"
    missing+=(kcat)
    return 0
  fi
  local t0
  t0="$(now_ms)"
  if apt_install kcat; then
    say "kcat: installed with apt-get in $(($(now_ms) - t0)) ms"
  else
    say "kcat: MISSING: apt-get install kcat failed"
    missing+=(kcat)
  fi
}

step_chromium() {
  local found
  for found in chromium chromium-browser; do
    if command -v "$found" >/dev/null; then
      say "chromium: present ($(command -v "$found"))"
      return 0
    fi
  done
  if ! is_root; then
    # Optional for a developer: the landing page test skips its headless-browser steps.
    say "chromium: not installed (the landing page test skips its browser steps); as root: apt-get install -y chromium"
    return 0
  fi
  local t0
  t0="$(now_ms)"
  if apt_install chromium; then
    say "chromium: installed with apt-get in $(($(now_ms) - t0)) ms"
  else
    say "chromium: MISSING: apt-get install chromium failed"
    missing+=(chromium)
  fi
}

step_java() {
  local v=""
  command -v java >/dev/null &&
    v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  if [[ -n "$v" && "${v%%.*}" -ge 17 ]] && command -v javac >/dev/null && command -v mvn >/dev/null; then
    say "java $v, javac, mvn: present (for scripts/kafka.sh)"
    return 0
  fi
  if ! is_root; then
    say "java 17+/javac/mvn: MISSING (found java '${v:-none}'); as root: apt-get install -y openjdk-17-jdk-headless maven"
    missing+=(java)
    return 0
  fi
  local t0
  t0="$(now_ms)"
  if apt_install openjdk-17-jdk-headless maven; then
    say "java 17, mvn: installed with apt-get in $(($(now_ms) - t0)) ms"
  else
    say "java 17/mvn: MISSING: apt-get install openjdk-17-jdk-headless maven failed"
    missing+=(java)
  fi
}

only_runtimes=0
case "${1:-}" in
  "") ;;
  --only-runtimes) only_runtimes=1 ;;
  *)
    say "unknown argument '$1': expected nothing or --only-runtimes"
    exit 2
    ;;
esac

t_start="$(now_ms)"
step_runtimes
step_deps
if [[ $only_runtimes == 0 ]]; then
  step_prometheus
  step_kcat
  step_chromium
  step_java
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  say "FAILED: missing ${missing[*]} (see the lines above)"
  exit 1
fi
say "all tools ready in $(($(now_ms) - t_start)) ms"
