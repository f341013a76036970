#!/usr/bin/env bash
# Search through HTTP: /api/v1/search under 32 concurrent connections on synthetic published
# lessons (deploy/bench/generate_courses.py), Lantern on core 0 with one worker, wrk on core 1
# cycling through a list of queries (a third of them misspelt or phrases).
#
#   deploy/bench/search-http.sh            env: LESSONS (10000), DURATION (20s), CONNECTIONS (32),
#                                               RATES ("100 200 300"), BENCH_BINARY=path (skip the build)
# Goal (project issue): p50 <= 5 ms, p99 <= 50 ms.
#
# Two kinds of run. Flat out: each connection sends its next query as soon as the last is
# answered, so the server is saturated and a query's latency is mostly its wait behind the 31
# others (latency = connections ÷ throughput). Then paced: the same 32 connections, each waiting
# on average CONNECTIONS ÷ RATE seconds between queries, drawn at random (exponential, as
# independent searchers arrive; wrk's delay() does not subtract the response time, so the rate
# reached is a little under RATE and is printed): the latency a searcher sees on a server that is
# busy but not overrun.
set -euo pipefail
LESSONS=${LESSONS:-10000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
RATES=${RATES:-100 200 300}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-search-bench.XXXXXX")
server=""
trap '[[ -n $server ]] && kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
source "$repo/deploy/bench/lib.sh"

[[ -n ${BENCH_BINARY:-} ]] || (cd "$repo" && cargo build -q --release -p lantern)
cp "${BENCH_BINARY:-$CARGO_TARGET_DIR/release/lantern}" "$tmp/lantern"
port=$(free_port)
run=(env -C "$tmp" LANTERN_DATA_DIR="$tmp/data" LANTERN_LISTEN="127.0.0.1:$port" LANTERN_WORKERS=1
  LANTERN_IMPORT_CONTENT_ON_START=false LANTERN_LOG__LEVEL=warn taskset -c 0 "$tmp/lantern")

echo "== $LESSONS lessons: generate, import, index"
python3 "$repo/deploy/bench/generate_courses.py" "$tmp/content" --lessons "$LESSONS" >/dev/null
start=$(now_ms)
"${run[@]}" import "$tmp/content" >/dev/null
imported=$(now_ms)
/usr/bin/time -f %M -o "$tmp/reindex.kb" "${run[@]}" reindex >/dev/null
indexed=$(now_ms)
echo "import $((imported - start)) ms, index rebuild $((indexed - imported)) ms" \
  "(peak memory $(($(cat "$tmp/reindex.kb") / 1024)) MiB), index size $(du -sh "$tmp/data/index" | cut -f1)"

"${run[@]}" serve >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 150); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done

# Queries from the generated lessons' own titles: two words, the last one as typed, a misspelt
# word (a letter dropped) and a phrase, in turn.
python3 - "$tmp/content/courses" >"$tmp/queries.txt" <<'PY'
import pathlib, re, sys, urllib.parse
files = sorted(pathlib.Path(sys.argv[1]).glob("*/lessons/*.md"))[:300]
for i, file in enumerate(files):
    title = re.search(r'^title = "(.*)"$', file.read_text(), re.M).group(1).split()
    if len(title) < 2:
        continue
    second = title[1][:-1] if len(title[1]) > 5 else title[1]
    q = [" ".join(title[:2]), title[0], f"{title[0]} {second}", '"' + " ".join(title[:2]) + '"'][i % 4]
    print("/api/v1/search?q=" + urllib.parse.quote(q))
PY
lua() { # DELAY_MS: the wrk script cycling through the queries, each connection pausing DELAY_MS
  cat <<LUA
local requests = {}
init = function()
  for path in io.lines("$tmp/queries.txt") do requests[#requests + 1] = wrk.format("GET", path) end
end
local i = 0
request = function() i = i % #requests + 1; return requests[i] end
-- Each wait is drawn from an exponential distribution of mean DELAY_MS (arrivals of independent
-- searchers); a fixed wait kept the connections in step, so they arrived in bursts of 32.
local mean = $1
delay = function() return mean > 0 and math.floor(-mean * math.log(1 - math.random())) or 0 end
LUA
}
curl -fs -K <(sed "s|.*|url = \"http://127.0.0.1:$port&\"\noutput = \"/dev/null\"|" "$tmp/queries.txt")
echo "== wrk: $CONNECTIONS connections, $DURATION, $(wc -l <"$tmp/queries.txt") different queries"
for rate in flat $RATES; do
  delay=0
  [[ $rate == flat ]] || delay=$((CONNECTIONS * 1000 / rate))
  lua "$delay" >"$tmp/queries.lua"
  echo "-- $([[ $rate == flat ]] && echo "flat out" || echo "paced: each connection waits $delay ms on average, asked $rate/s")"
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$tmp/queries.lua" "http://127.0.0.1:$port" |
    grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors'
done
grep -E 'VmHWM' "/proc/$server/status" | sed 's/^/server peak memory: /'
