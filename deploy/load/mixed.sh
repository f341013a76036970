#!/usr/bin/env bash
# Mixed load on this machine: a release Lantern with a `lantern demo` population, then wrk with
# deploy/load/mixed.lua (lesson pages, catalogue, search, certificate verification, quiz start and
# submit, sign-in). Reports requests/s, p50/p99, errors and the servers' peak memory for each
# database × server count × connection count, and optionally a sustained run at a fixed rate.
#
#   deploy/load/mixed.sh [--quick]
#   env: LEARNERS (2000), COURSES (20), DURATION (30s; 10s with --quick),
#        CONNECTIONS ("64 256"), SERVERS ("1 2"), DATABASES ("sqlite postgres"; postgres only when
#        a server answers on 127.0.0.1:5432), SUSTAIN_MINUTES (0: none), SUSTAIN_RATE (400
#        requests/s over 64 connections), BENCH_BINARY (skip the build), KEEP_TMP=1.
#
# Layout: the server(s), and nginx in front of two, run on core 0; wrk on core 1. One server is
# reached directly; two are reached through nginx (round robin, keep-alive upstreams) and share
# the database, the media folder and the secrets key, as in deploy/compose.yaml. On two cores,
# two servers on core 0 show what scale-out costs (a proxy hop, a shared database), not what it
# gains: that takes a second machine.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
quick=0
[[ ${1:-} == --quick ]] && quick=1
LEARNERS=${LEARNERS:-2000}
COURSES=${COURSES:-20}
DURATION=${DURATION:-$( ((quick)) && echo 10s || echo 30s)}
CONNECTIONS=${CONNECTIONS:-64 256}
SERVERS=${SERVERS:-1 2}
SUSTAIN_MINUTES=${SUSTAIN_MINUTES:-0}
SUSTAIN_RATE=${SUSTAIN_RATE:-400}
pg=postgres://postgres@127.0.0.1:5432
if [[ -z ${DATABASES:-} ]]; then
  DATABASES=sqlite
  pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && DATABASES="sqlite postgres"
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx" wrk taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-mixed.XXXXXX")
pids=()
databases_made=()
stop_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_servers
  for db in "${databases_made[@]}"; do psql "$pg/postgres" -qc "drop database if exists $db" >/dev/null 2>&1 || true; done
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
server_pid=""
source "$repo/deploy/bench/lib.sh"

binary=${BENCH_BINARY:-}
if [[ -z $binary ]]; then
  (cd "$repo" && cargo build --release -q -p lantern)
  binary=$CARGO_TARGET_DIR/release/lantern
fi
cp "$binary" "$tmp/lantern"

unset_vars=()
for var in $(compgen -e | grep '^LANTERN_' || true); do unset_vars+=(-u "$var"); done
front_port=$(free_port)
front=http://127.0.0.1:$front_port

# lantern_env DATABASE_URL DATA_DIR: the environment every process of one database shares.
lantern_env() {
  printf '%s\n' env -C "$tmp" "${unset_vars[@]}" LANTERN_DATABASE_URL="$1" LANTERN_DATA_DIR="$2" \
    LANTERN_CONTENT_DIR="$repo/content" LANTERN_LOG__LEVEL=warn LANTERN_PUBLIC_URL="$front" \
    MALLOC_MMAP_THRESHOLD_=1048576
}

start_servers() { # COUNT: start COUNT servers on core 0; the front URL answers when they do
  local count=$1 ports=()
  for n in $(seq "$count"); do
    local port
    port=$( ((count == 1)) && echo "$front_port" || free_port)
    ports+=("$port")
    # Each server has a data folder (its search index) of its own; the media folder, the
    # secrets key and the database are shared.
    local own=$data
    if ((n > 1)); then
      own=$data/server-$n
      mkdir -p "$own" && ln -sfn "$data/media" "$own/media"
    fi
    "${env_cmd[@]}" LANTERN_DATA_DIR="$own" LANTERN_SECURITY__SECRETS_KEY_FILE="$data/secrets.key" \
      LANTERN_LISTEN="127.0.0.1:$port" LANTERN_WORKERS=1 taskset -c 0 "$tmp/lantern" serve \
      >>"$tmp/server-$n.log" 2>&1 &
    pids+=($!)
    server_pid=$!
    wait_for "http://127.0.0.1:$port/readyz"
  done
  if ((count > 1)); then
    mkdir -p "$tmp/nginx-temp"
    {
      (( EUID == 0 )) && echo "user $(id -un) $(id -gn);"
      echo "worker_processes 1; daemon off; pid $tmp/nginx.pid; events { worker_connections 4096; }"
      echo "http { access_log off; client_body_temp_path $tmp/nginx-temp/body; proxy_temp_path $tmp/nginx-temp/proxy;"
      echo "  upstream lantern { keepalive 64;"
      for port in "${ports[@]}"; do echo "    server 127.0.0.1:$port;"; done
      echo "  }"
      echo "  server { listen 127.0.0.1:$front_port; location / { proxy_pass http://lantern;"
      echo "    proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$http_host;"
      echo "    proxy_set_header X-Forwarded-For \$remote_addr; proxy_redirect off; } } }"
    } >"$tmp/nginx.conf"
    taskset -c 0 "$nginx" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx.log" &
    pids+=($!)
    server_pid=$!
    wait_for "$front/readyz"
  fi
}

peak_mib() { # the servers' peak resident memory, summed (nginx excluded)
  local total=0
  for pid in "${pids[@]}"; do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == lantern ]] || continue
    total=$((total + $(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")))
  done
  echo $((total / 1024))
}

# wrk's figures: "req/s p50_ms p99_ms errors"
summary() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /Requests\/sec/ { rps = $2 }
    /Non-2xx or 3xx/ { errors += $NF } /Socket errors/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors }' "$1"
}

results=()
for database in $DATABASES; do
  data=$tmp/data-$database
  mkdir -p "$data"
  if [[ $database == postgres ]]; then
    db=lantern_load_$$
    psql "$pg/postgres" -qc "drop database if exists $db" -c "create database $db" >/dev/null
    databases_made+=("$db")
    url=$pg/$db
  else
    url=sqlite://$data/lantern.db?mode=rwc
  fi
  mapfile -t env_cmd < <(lantern_env "$url" "$data")
  echo "== $database: lantern demo --learners $LEARNERS --courses $COURSES"
  "${env_cmd[@]}" "$tmp/lantern" demo --learners "$LEARNERS" --courses "$COURSES" | tail -n 1
  prepared=0
  for servers in $SERVERS; do
    start_servers "$servers"
    if ((!prepared)); then
      python3 "$repo/deploy/load/prepare.py" "$front" "$tmp/mixed-data.lua" --sessions 32
      prepared=1
    fi
    for connections in $CONNECTIONS; do
      out=$tmp/wrk-$database-$servers-$connections.txt
      check_quiet "before $database, $servers server(s), $connections connections"
      before=$(cpu_times)
      MIXED_DATA=$tmp/mixed-data.lua MIXED_CONNECTIONS=$connections taskset -c 1 \
        wrk -t1 -c"$connections" -d"$DURATION" --latency --timeout 10s -s "$repo/deploy/load/mixed.lua" "$front" >"$out"
      read -r rps p50 p99 errors < <(summary "$out")
      results+=("| $database | $servers | $connections | $rps | $p50 | $p99 | $errors | $(peak_mib) | $(busy_since "$before" | tr ' ' '/') |")
      echo "${results[-1]}"
    done
    stop_servers
  done
  if ((SUSTAIN_MINUTES > 0)); then
    start_servers 1
    echo "== $database: $SUSTAIN_MINUTES minutes at $SUSTAIN_RATE requests/s, 64 connections"
    out=$tmp/wrk-$database-sustained.txt
    MIXED_DATA=$tmp/mixed-data.lua MIXED_CONNECTIONS=64 MIXED_RATE=$SUSTAIN_RATE taskset -c 1 \
      wrk -t1 -c64 -d"${SUSTAIN_MINUTES}m" --latency --timeout 10s -s "$repo/deploy/load/mixed.lua" "$front" >"$out"
    read -r rps p50 p99 errors < <(summary "$out")
    results+=("| $database, ${SUSTAIN_MINUTES} min at $SUSTAIN_RATE/s | 1 | 64 | $rps | $p50 | $p99 | $errors | $(peak_mib) | |")
    echo "${results[-1]}"
    stop_servers
  fi
done

echo
echo "Mixed load ($LEARNERS learners, $COURSES synthetic courses; $DURATION per row; servers on core 0, wrk on core 1)"
echo
echo "| database | servers | connections | requests/s | p50 ms | p99 ms | errors | peak MiB (servers) | busy % core 0/1 |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
grep -hiE "panic|ERROR" "$tmp"/server-*.log | head -5 || true
