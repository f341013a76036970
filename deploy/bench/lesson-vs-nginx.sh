#!/usr/bin/env bash
# Lesson pages: Lantern against nginx serving the same bytes.
#
#   deploy/bench/lesson-vs-nginx.sh [--quick]
#   env: DURATION (20s; 5s with --quick), CONNECTIONS (32), ROUNDS (3; 1 with --quick),
#        URLS (1000), LESSONS (10000), PER_COURSE (50), WARMUP (3s),
#        BENCH_BINARY=path skips the build and benchmarks that binary instead,
#        KEEP_TMP=1 keeps the temporary folder (pages, configs, logs, wrk output).
#
# What it measures: requests/s and p50/p99 latency of anonymous lesson pages
# (/courses/{course}/lessons/{lesson}) over 10,000 synthetic published lessons, wrk cycling
# through URLS different pages spread over all of them.
#
# Why this way:
# - Same bytes: every page is fetched once from Lantern (Accept-Encoding: br) and written to an
#   nginx root, and nginx sends it with the Content-Encoding Lantern chose, so both servers put
#   the same body on the wire. The difference is Lantern's own work: routing, database,
#   rendering, compression, headers. (Lantern's headers are larger; both sizes are printed.)
# - Pinned cores: the server under test (Lantern with 1 worker, or nginx with 1 worker process)
#   runs alone on core 0 and wrk on core 1, so the load generator never takes the server's CPU.
#   Only one server runs at a time. The CPU use of both cores is printed: if core 1 is near
#   100% while core 0 is not, wrk, not the server, was the limit.
# - Ratios, not absolute numbers: shared and virtual machines drift from minute to minute, so
#   the servers take turns for ROUNDS rounds and the medians are compared. The goal (project
#   issue): Lantern >= 0.5x nginx's requests/s, and Lantern's p99 <= 3x nginx's p99.
set -euo pipefail

quick=0
[[ ${1:-} == --quick ]] && quick=1
DURATION=${DURATION:-$( ((quick)) && echo 5s || echo 20s)}
ROUNDS=${ROUNDS:-$( ((quick)) && echo 1 || echo 3)}
CONNECTIONS=${CONNECTIONS:-32}
URLS=${URLS:-1000}
LESSONS=${LESSONS:-10000}
PER_COURSE=${PER_COURSE:-50}
WARMUP=${WARMUP:-3s}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx" wrk taskset curl python3 cargo; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
(($(nproc) >= 2)) || { echo "needs 2 cores (server on core 0, wrk on core 1)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-bench.XXXXXX")
server_pid=""
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  if [[ ${KEEP_TMP:-0} == 1 ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port, wait_for, cpu_times, busy_since, check_quiet, median
source "$repo/deploy/bench/lib.sh"

if [[ -z ${BENCH_BINARY:-} ]]; then
  echo "== build"
  (cd "$repo" && cargo build --release -p lantern)
fi
# A copy, so that a rebuild during the run cannot change the binary between rounds.
cp "${BENCH_BINARY:-$CARGO_TARGET_DIR/release/lantern}" "$tmp/lantern"
lantern=$tmp/lantern

echo "== generate $LESSONS lessons and import them"
python3 "$repo/deploy/bench/generate_courses.py" "$tmp/content" --lessons "$LESSONS" --per-course "$PER_COURSE"
# Lantern reads ./lantern.toml if present and every LANTERN_* variable: run it in the temp
# folder with only the variables set here, pinned to core 0 (every thread inherits taskset's
# affinity). env and taskset exec, so $! of a background Lantern is Lantern itself.
lantern_url=http://127.0.0.1:$(free_port)
unset_vars=()
for var in $(compgen -e | grep '^LANTERN_' || true); do unset_vars+=(-u "$var"); done
lantern_cmd=(env -C "$tmp" "${unset_vars[@]}" LANTERN_DATA_DIR="$tmp/data" LANTERN_LISTEN="${lantern_url#http://}"
  LANTERN_WORKERS=1 LANTERN_IMPORT_CONTENT_ON_START=false LANTERN_LOG__LEVEL=warn taskset -c 0 "$lantern")
time "${lantern_cmd[@]}" import "$tmp/content"
start_lantern() {
  "${lantern_cmd[@]}" serve >>"$tmp/lantern.log" 2>&1 &
  server_pid=$!
  wait_for "$lantern_url/healthz"
}
# One request per page, one at a time: a fresh Lantern renders and compresses a page on its
# first request and serves it from memory afterwards. Logs these cold latencies (seconds).
warm_lantern() {
  curl -s -H 'Accept-Encoding: br' -K "$tmp/warm.curl" -w '%{time_total}\n' >>"$tmp/cold.txt"
}

# nginx: one worker process on core 0, serving $tmp/www with Lantern's Content-Encoding per path.
nginx_url=http://127.0.0.1:$(free_port)
nginx_conf "$(cat <<EOF
  types {}
  default_type "text/html; charset=utf-8";
  map_hash_bucket_size 256;
  map_hash_max_size 65536;
  map \$uri \$lantern_encoding {
    default "";
    include $tmp/encodings.map;
  }
  server {
    listen ${nginx_url#http://};
    root $tmp/www;
    location / { add_header Content-Encoding \$lantern_encoding; }  # empty: not sent
  }
EOF
)" >"$tmp/nginx.conf"
start_nginx() {
  taskset -c 0 "$nginx" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx.log" &
  server_pid=$!
  wait_for "$nginx_url$(head -1 "$tmp/urls.txt")"
}

echo "== fetch $URLS lesson pages from Lantern"
# URLS lessons spread evenly over all of them; the slug is the file name without its number.
find "$tmp/content/courses" -path '*/lessons/*.md' | sort |
  awk -F/ -v n="$URLS" '{ a[NR] = "/courses/" $(NF-2) "/lessons/" $NF }
    END { for (i = 0; i < n && i < NR; i++) { p = a[int(i * NR / n) + 1]
          sub(/\.md$/, "", p); sub(/lessons\/[0-9]+[-_]*/, "lessons/", p); print p } }' >"$tmp/urls.txt"
start_lantern
: >"$tmp/encodings.map" # nginx map lines: "path" "encoding";
: >"$tmp/sizes.txt"     # per page: body bytes, header bytes
while read -r path; do
  mkdir -p "$tmp/www$(dirname "$path")"
  read -r code body head seconds < <(curl -s -H 'Accept-Encoding: br' -D "$tmp/headers" -o "$tmp/www$path" \
    -w '%{http_code} %{size_download} %{size_header} %{time_total}\n' "$lantern_url$path")
  [[ $code == 200 ]] || { echo "GET $path: HTTP $code" >&2; exit 1; }
  encoding=$(header "$tmp/headers" content-encoding)
  [[ -z $encoding ]] || echo "\"$path\" \"$encoding\";" >>"$tmp/encodings.map"
  echo "$body $head" >>"$tmp/sizes.txt"
  echo "$seconds" >>"$tmp/cold.txt"
done <"$tmp/urls.txt"
sed "s|.*|url = \"$lantern_url&\"\noutput = \"/dev/null\"|" "$tmp/urls.txt" >"$tmp/warm.curl"
stop_server
echo "fetched $(wc -l <"$tmp/urls.txt") pages; Content-Encoding:" \
  "$(awk '{ print $2 }' "$tmp/encodings.map" | tr -d '";' | sort | uniq -c | xargs) (others: none)"

# nginx must send what Lantern sent: check a sample of pages.
start_nginx
for path in $(awk 'NR % 50 == 1' "$tmp/urls.txt"); do
  curl -s -H 'Accept-Encoding: br' -D "$tmp/nginx-headers" -o "$tmp/nginx-body" "$nginx_url$path"
  cmp -s "$tmp/nginx-body" "$tmp/www$path" || { echo "nginx sent other bytes for $path" >&2; exit 1; }
  want=$(grep -F "\"$path\"" "$tmp/encodings.map" | awk '{ print $2 }' | tr -d '";' || true)
  got=$(header "$tmp/nginx-headers" content-encoding)
  [[ $want == "$got" ]] || { echo "nginx Content-Encoding '$got', Lantern '$want' for $path" >&2; exit 1; }
done
nginx_head=$(wc -c <"$tmp/nginx-headers")
stop_server

# wrk: each request takes the next path of the list (formatted once, to spare wrk's CPU).
cat >"$tmp/urls.lua" <<EOF
local requests = {}
init = function()
  for path in io.lines("$tmp/urls.txt") do requests[#requests + 1] = wrk.format("GET", path) end
end
local i = 0
request = function()
  i = i % #requests + 1
  return requests[i]
end
EOF

# bench NAME URL: warm up, measure, append "req/s p50_ms p99_ms core0% core1%" to $tmp/NAME.results
bench() {
  local wrk=(taskset -c 1 wrk -t1 -c"$CONNECTIONS" --latency -H 'Accept-Encoding: br' -s "$tmp/urls.lua")
  local before
  echo "== $1: wrk -c$CONNECTIONS -d$DURATION on core 1"
  check_quiet "before $1"
  "${wrk[@]}" -d"$WARMUP" "$2" >/dev/null # fills caches on both sides
  before=$(cpu_times)
  "${wrk[@]}" -d"$DURATION" "$2" | tee "$tmp/$1.wrk"
  if grep -qE 'Non-2xx|Socket errors' "$tmp/$1.wrk"; then
    echo "WARNING: $1 had errors or non-2xx responses (above)" | tee -a "$tmp/warnings" >&2
  fi
  awk -v cpu="$(busy_since "$before")" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000 }
    /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { print rps, p50, p99, cpu }' "$tmp/$1.wrk" >>"$tmp/$1.results"
  check_quiet "after $1"
}

for round in $(seq "$ROUNDS"); do
  echo "== round $round of $ROUNDS"
  start_nginx
  bench nginx "$nginx_url"
  stop_server
  start_lantern
  warm_lantern
  bench lantern "$lantern_url"
  stop_server
done

echo
echo "== Result: $URLS lesson pages of $LESSONS, $CONNECTIONS connections, $ROUNDS x $DURATION," \
  "server on core 0, wrk on core 1 (medians of the rounds)"
if [[ -n ${BENCH_BINARY:-} ]]; then
  version="$BENCH_BINARY ($(date -r "$BENCH_BINARY" '+built %F %T'))"
else
  version="$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- backend search Cargo.toml ||
    echo ' + uncommitted changes')"
fi
echo "   lantern $version, $("$nginx" -v 2>&1 | sed 's/.*: //'), $(lscpu | sed -n 's/^Model name: *//p')"
for name in nginx lantern; do
  echo "$name $(for col in 1 2 3 4 5; do awk -v c=$col '{ print $c }' "$tmp/$name.results" | median; done | xargs)"
done >"$tmp/medians"
awk '{ rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; c0[$1] = $5; c1[$1] = $6 } END {
  printf "%-14s %11s %8s %8s %14s\n", "", "requests/s", "p50 ms", "p99 ms", "CPU core 0/1"
  printf "%-14s %11.0f %8.2f %8.2f %9.0f%%/%.0f%%\n", "nginx", rps["nginx"], p50["nginx"], p99["nginx"], c0["nginx"], c1["nginx"]
  printf "%-14s %11.0f %8.2f %8.2f %9.0f%%/%.0f%%\n", "Lantern", rps["lantern"], p50["lantern"], p99["lantern"], c0["lantern"], c1["lantern"]
  r = rps["lantern"] / rps["nginx"]; q = p99["lantern"] / p99["nginx"]
  printf "%-14s %11.2f %8.2f %8.2f\n", "Lantern/nginx", r, p50["lantern"] / p50["nginx"], q
  printf "goal: requests/s ratio >= 0.50 %s; p99 ratio <= 3.00 %s\n", (r >= 0.5 ? "met" : "NOT met"), (q <= 3 ? "met" : "NOT met")
}' "$tmp/medians"
[[ ! -s $tmp/warnings ]] || echo "UNRELIABLE: $(wc -l <"$tmp/warnings") warning(s), see WARNING above: run again when the machine is quiet"
if ((ROUNDS > 1)); then
  paste -d' ' "$tmp/lantern.results" "$tmp/nginx.results" |
    awk '{ printf "round %d: requests/s ratio %.2f, p99 ratio %.2f\n", NR, $1 / $6, $3 / $8 }'
fi
sort -g "$tmp/cold.txt" | awk '{ v[NR] = $1 } END {
  printf "Lantern cold (first request of a page after start, one at a time): p50 %.2f ms, p99 %.2f ms\n",
    1000 * v[int((NR + 1) / 2)], 1000 * v[int(NR * 0.99)] }'
# Bytes on the wire of the fetched pages: body as sent + response headers.
sort -n "$tmp/sizes.txt" | awk -v nh="$nginx_head" '{ b[NR] = $1; h[NR] = $2 } END { m = int((NR + 1) / 2)
  printf "wire bytes, median page:  %d body + %d headers (nginx: same body + %d headers)\n", b[m], h[m], nh
  printf "wire bytes, largest page: %d body + %d headers\n", b[NR], h[NR] }'
