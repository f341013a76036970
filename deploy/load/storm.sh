#!/usr/bin/env bash
# Classroom storm on this machine: a release Lantern on a fresh SQLite database with the demo
# content (production argon2id parameters: 19 MiB, t=2, at most `security.concurrent_hashes`
# hashes at once), then deploy/load/storm.py: LEARNERS learners sign in within WINDOW seconds
# and open their first lesson. Goal (issue 10): sign-in p99 under 2 s, zero errors.
#
#   deploy/load/storm.sh            env: LEARNERS (200), WINDOW (10), BENCH_BINARY, KEEP_TMP=1
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
LEARNERS=${LEARNERS:-200}
WINDOW=${WINDOW:-10}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-storm.XXXXXX")
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n ${KEEP_TMP:-} ]] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
source "$repo/deploy/bench/lib.sh"

binary=${BENCH_BINARY:-}
if [[ -z $binary ]]; then
  (cd "$repo" && cargo build --release -q -p lantern)
  binary=$CARGO_TARGET_DIR/release/lantern
fi
port=$(free_port)
export LANTERN_DATA_DIR=$tmp/data LANTERN_LISTEN=127.0.0.1:$port LANTERN_CONTENT_DIR=$repo/content RUST_LOG=warn
# As deployed (deploy/lantern.service, deploy/Dockerfile): a fixed glibc mmap threshold; set
# MALLOC_MMAP_THRESHOLD_= (empty) to see the server without it.
MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_-1048576} "$binary" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$port/readyz"
echo "Lantern $(basename "$binary") on 127.0.0.1:$port, $(nproc) cores, idle RSS $(awk '/VmRSS/ { print $2 / 1024 " MiB" }' /proc/$server_pid/status)"

status=0
python3 "$repo/deploy/load/storm.py" "http://127.0.0.1:$port" --learners "$LEARNERS" --window "$WINDOW" || status=$?
awk '/VmHWM/ { print "server peak RSS " $2 / 1024 " MiB" }' /proc/$server_pid/status
grep -iE "error|panic" "$tmp/server.log" | head -5 || true
exit $status
