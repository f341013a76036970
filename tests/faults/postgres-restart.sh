#!/usr/bin/env bash
# PostgreSQL restarted under load: a Lantern server (debug build) on a database of its own is
# asked, by four clients in a loop, for pages that need the database (a certificate lookup, a
# signed-in learner's account page) while the machine's PostgreSQL cluster first restarts (about
# 3 s: requests wait for it) and then stays down for 12 s (longer than database.timeout_seconds,
# 5 s: requests get 503). Every answer must be the page or a 503 with a message and Retry-After
# (never a 500, never a dropped connection), and the server must answer normally again
# afterwards without being restarted.
#
#   tests/faults/postgres-restart.sh       (run by .ci/run; restarts the local cluster)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}"
pg="${LANTERN_CI_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
cluster=$(ls /etc/postgresql | head -n1)
tmp=$(mktemp -d)
db="lantern_t_restart_$$"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null
  pkill -P $$ curl 2>/dev/null || true
  psql "$pg/postgres" -qc "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
source "$root/deploy/bench/lib.sh"

cargo build -q -p lantern
psql "$pg/postgres" -qc "create database $db"
port=$(free_port)
export LANTERN_DATA_DIR="$tmp/data" LANTERN_LISTEN="127.0.0.1:$port" LANTERN_CONTENT_DIR="$root/content"
export LANTERN_DATABASE_URL="$pg/$db" RUST_LOG=error NO_COLOR=1
"$CARGO_TARGET_DIR/debug/lantern" serve >"$tmp/server.log" 2>&1 &
server=$!
server_pid=$server
wait_for "http://127.0.0.1:$port/readyz"
base="http://127.0.0.1:$port"

# A learner with a session, so that one of the pages is a signed-in one.
jar="$tmp/cookies"
curl -s -c "$jar" -b "$jar" -o /dev/null "$base/sign-up"
csrf=$(awk '$6 == "lantern-csrf" { print $7 }' "$jar")
curl -s -c "$jar" -b "$jar" -o /dev/null -H "Origin: $base" \
  --data-urlencode "name=Restart Learner" --data-urlencode "email=restart@example.org" \
  --data-urlencode "password=kettle orange lantern river" --data-urlencode "csrf_token=$csrf" "$base/sign-up"
[ "$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base/account")" = 200 ] || { echo "sign-up failed"; exit 1; }

load() { # CLIENT: ask until the stop file appears; one line per answer: time code path
  local n=$1 path
  while [ ! -e "$tmp/stop" ]; do
    for path in /verify/no-such-certificate /account; do
      printf '%s %s %s\n' "$(date +%s.%N)" \
        "$(curl -s -b "$jar" -o "$tmp/body.$n" -D "$tmp/head.$n" -w '%{http_code} %{time_total}' --max-time 20 "$base$path" || echo 000 0)" "$path"
      if grep -q '^HTTP/1.1 503' "$tmp/head.$n"; then
        grep -qi '^retry-after:' "$tmp/head.$n" || echo "503 without Retry-After" >>"$tmp/problems"
        grep -qi 'unavailable\|try again' "$tmp/body.$n" || echo "503 without a message" >>"$tmp/problems"
      fi
    done
  done >"$tmp/answers.$n"
}
for n in 1 2 3 4; do load "$n" & done
sleep 3
echo "restarting PostgreSQL ($cluster) under load"
started=$(date +%s.%N)
pg_ctlcluster --skip-systemctl-redirect "$cluster" main restart
restarted=$(date +%s.%N)
echo "PostgreSQL back after $(echo "$restarted - $started" | bc) s"
sleep 3
echo "stopping PostgreSQL for 12 s under load"
stopped=$(date +%s.%N)
pg_ctlcluster --skip-systemctl-redirect "$cluster" main stop
sleep 12
pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
restart_done=$(date +%s.%N)
sleep 5
touch "$tmp/stop"
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true

cat "$tmp"/answers.* | sort -n >"$tmp/all"
echo "answers by status: $(awk '{ print $2 }' "$tmp/all" | sort | uniq -c | xargs)"
echo "during the restart: $(awk -v a="$started" -v b="$restarted" '$1 >= a - 1 && $1 <= b { n++; if ($3 > m) m = $3 } END { printf "%d answers, the slowest %.2f s", n, m }' "$tmp/all")"
echo "during the 12 s stop: $(awk -v a="$stopped" -v b="$restart_done" '$1 >= a && $1 <= b { n++; if ($2 == 503) u++ } END { printf "%d answers, %d of them 503", n, u }' "$tmp/all")"
bad=$(awk '$2 != 200 && $2 != 404 && $2 != 503' "$tmp/all" | head -5)
[ -z "$bad" ] || { echo "answers that are neither the page nor a clean 503:"; echo "$bad"; tail -20 "$tmp/server.log"; exit 1; }
[ ! -s "$tmp/problems" ] || { sort "$tmp/problems" | uniq -c; exit 1; }
[ "$(awk '$2 == 503' "$tmp/all" | wc -l)" -gt 0 ] || { echo "no 503 while PostgreSQL was down for 12 s"; exit 1; }
# Recovered: everything asked two seconds after PostgreSQL came back was answered normally.
late=$(awk -v t="$restart_done" '$1 > t + 2 && $2 == 503' "$tmp/all" | wc -l)
[ "$late" = 0 ] || { echo "$late answers were still 503 two seconds after PostgreSQL came back"; exit 1; }
for path in /verify/no-such-certificate /account; do
  code=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base$path")
  case "$code" in 200 | 404) ;; *) echo "$path answers $code after the restart"; exit 1 ;; esac
done
kill -0 "$server" || { echo "the server died"; exit 1; }
echo "PostgreSQL restarted and stopped under load: waits, then clean 503s; recovered without restarting Lantern"
