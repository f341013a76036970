#!/usr/bin/env bash
# Start-up to ready, and idle memory: a release Lantern on a database of LESSONS synthetic
# published lessons (deploy/bench/generate_courses.py) with its search index built, started
# ROUNDS times on core 0 and timed from exec to the first 200 from /readyz; its resident memory
# (VmRSS) is read once it is ready and again after IDLE seconds. The same is done on the demo
# content alone (what `cargo run --release` serves).
#
#   deploy/bench/startup.sh            env: LESSONS (100000), ROUNDS (5), IDLE (5),
#                                           BENCH_BINARY=path (skip the build), KEEP_TMP=1
# Goals (project issue 10): ready in under 1 s with 100,000 lessons indexed; idle memory under
# 64 MB with the demo content.
set -euo pipefail
LESSONS=${LESSONS:-100000}
ROUNDS=${ROUNDS:-5}
IDLE=${IDLE:-5}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-startup-bench.XXXXXX")
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  if [[ -n ${KEEP_TMP:-} ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
source "$repo/deploy/bench/lib.sh"

[[ -n ${BENCH_BINARY:-} ]] || (cd "$repo" && cargo build -q --release -p lantern)
cp "${BENCH_BINARY:-$CARGO_TARGET_DIR/release/lantern}" "$tmp/lantern"
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# DATA CONTENT: ROUNDS starts of a server on DATA; prints "ready_ms rss_ready rss_idle" per round.
measure() {
  local data=$1 port started ready rss_ready
  for _ in $(seq "$ROUNDS"); do
    port=$(free_port)
    started=$(now_ms)
    env -C "$tmp" LANTERN_DATA_DIR="$data" LANTERN_LISTEN="127.0.0.1:$port" LANTERN_LOG__LEVEL=warn \
      LANTERN_CONTENT_DIR="$2" taskset -c 0 "$tmp/lantern" serve >>"$tmp/server.log" 2>&1 &
    server_pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
      kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped; log:" >&2; cat "$tmp/server.log" >&2; exit 1; }
      sleep 0.005
    done
    ready=$(($(now_ms) - started))
    rss_ready=$(rss_mb "$server_pid")
    sleep "$IDLE"
    echo "$ready $rss_ready $(rss_mb "$server_pid")"
    kill -TERM "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=""
  done
}

report() { # LABEL ROWS
  local label=$1 rows=$2
  printf '| %s | %s ms | %s ms | %s MB | %s MB |\n' "$label" \
    "$(cut -d' ' -f1 <<<"$rows" | median)" "$(cut -d' ' -f1 <<<"$rows" | sort -g | tail -n1)" \
    "$(cut -d' ' -f2 <<<"$rows" | median)" "$(cut -d' ' -f3 <<<"$rows" | median)"
}

echo "== the demo content: import, then $ROUNDS starts"
env -C "$tmp" LANTERN_DATA_DIR="$tmp/demo" LANTERN_LOG__LEVEL=warn "$tmp/lantern" import "$repo/content" >/dev/null
check_quiet "before the demo starts"
demo=$(measure "$tmp/demo" "$repo/content")

echo "== $LESSONS lessons: generate, import, index, then $ROUNDS starts"
python3 "$repo/deploy/bench/generate_courses.py" "$tmp/content" --lessons "$LESSONS" >/dev/null
env -C "$tmp" LANTERN_DATA_DIR="$tmp/big" LANTERN_LOG__LEVEL=warn "$tmp/lantern" import "$tmp/content" >/dev/null
env -C "$tmp" LANTERN_DATA_DIR="$tmp/big" LANTERN_LOG__LEVEL=warn "$tmp/lantern" reindex >/dev/null
echo "database $(du -sh "$tmp/big/lantern.db" | cut -f1), index $(du -sh "$tmp/big/index" | cut -f1)"
check_quiet "before the large starts"
big=$(measure "$tmp/big" "$tmp/content")

echo
echo "Start-up on core 0 (exec to the first 200 from /readyz; medians of $ROUNDS starts; memory is VmRSS)"
echo
echo "| data | ready, median | ready, slowest | memory when ready | memory after ${IDLE} s idle |"
echo "|---|---:|---:|---:|---:|"
report "demo content" "$demo"
report "$LESSONS generated lessons, indexed" "$big"
[[ -s $tmp/warnings ]] && { echo; cat "$tmp/warnings"; }
exit 0
