#!/usr/bin/env bash
# Media delivery: Lantern against nginx serving the same file from disk, and Lantern on S3 (Garage).
#
#   deploy/bench/media-vs-nginx.sh [--quick]
#   env: DURATION (20s; 5s with --quick), ROUNDS (3; 1 with --quick), WARMUP (3s),
#        FILE_MIB (16), RANGE_KIB (64), GET_CONNECTIONS (4), RANGE_CONNECTIONS (32),
#        S3=0 skips the Garage part (Garage >= 2.0: `garage` on PATH or ~/.cargo/bin/garage),
#        BENCH_BINARY=path skips the build and benchmarks that binary instead,
#        MEMORY_CACHE_MB sets Lantern's `media.memory_cache_mb` (its default, 64, when unset; 0
#        reads every range from the store),
#        KEEP_TMP=1 keeps the temporary folder (package, configs, logs, wrk output).
#
# What it measures, for one FILE_MIB PDF of random (incompressible) bytes published in a course:
# - whole-file GETs of /media/{sha256} with GET_CONNECTIONS connections: requests/s, MB/s, p50/p99;
# - RANGE_KIB range requests (`Range: bytes=X-(X+RANGE-1)`, X random per request from a fixed
#   seed, the same sequence for every server) with RANGE_CONNECTIONS connections: requests/s,
#   p50/p99 (how a PDF viewer or a video player reads a file);
# from: nginx serving a copy of the file from disk (sendfile), Lantern with the `fs` store,
# Lantern with the `s3` store on a local Garage, and, for reference, Garage's own S3 GET
# (a presigned URL, so wrk can send it).
#
# Why this way (as lesson-vs-nginx.sh):
# - Pinned cores: the server side (Lantern with 1 worker, nginx with 1 worker process, and Garage
#   when Lantern uses it) runs on core 0 and wrk on core 1. Only one server is measured at a time;
#   Garage stays up (idle) for the whole run. The CPU use of both cores is printed: if core 1 is
#   near 100% while core 0 is not, wrk, not the server, was the limit.
# - Ratios, not absolute numbers: the servers take turns for ROUNDS rounds and the medians are
#   compared. The goal (project issue): Lantern >= 0.85x nginx's throughput, on fs and on S3.
set -euo pipefail

quick=0
[[ ${1:-} == --quick ]] && quick=1
DURATION=${DURATION:-$( ((quick)) && echo 5s || echo 20s)}
ROUNDS=${ROUNDS:-$( ((quick)) && echo 1 || echo 3)}
WARMUP=${WARMUP:-3s}
FILE_MIB=${FILE_MIB:-16}
RANGE_KIB=${RANGE_KIB:-64}
GET_CONNECTIONS=${GET_CONNECTIONS:-4}
RANGE_CONNECTIONS=${RANGE_CONNECTIONS:-32}
S3=${S3:-1}
GOAL=0.85
file_bytes=$((FILE_MIB * 1024 * 1024))
range_bytes=$((RANGE_KIB * 1024))
((range_bytes > 0 && range_bytes <= file_bytes)) || { echo "RANGE_KIB must be 1..FILE_MIB*1024" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
tools=("$nginx" wrk taskset curl python3 sha256sum)
[[ -n ${BENCH_BINARY:-} ]] || tools+=(cargo)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
(($(nproc) >= 2)) || { echo "needs 2 cores (server on core 0, wrk on core 1)" >&2; exit 1; }
if ((S3)); then
  garage=$(command -v garage || echo "$HOME/.cargo/bin/garage")
  [[ -x $garage ]] || { echo "missing: garage (cargo install --locked garage), or run with S3=0" >&2; exit 1; }
  export GARAGE_BIN=$garage
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-bench.XXXXXX")
server_pid=""
garage_dir=""
stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  [[ -z $garage_dir ]] || "$repo/.ci/garage-stop.sh" "$garage_dir" "$( [[ ${KEEP_TMP:-0} == 1 ]] || echo --purge)" 2>/dev/null || true
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

echo "== make a course package with a $FILE_MIB MiB PDF"
# The demo course hand-hygiene, with a PDF of random bytes placed in its first lesson.
mkdir -p "$tmp/content/courses"
cp "$repo/content/organisations.toml" "$tmp/content/"
cp -r "$repo/content/frameworks" "$tmp/content/"
cp -r "$repo/content/courses/hand-hygiene" "$tmp/content/courses/"
pdf=$tmp/content/courses/hand-hygiene/media/bench.pdf
python3 - "$pdf" "$file_bytes" <<'EOF'
import random, sys
path, size = sys.argv[1], int(sys.argv[2])
head = b"%PDF-1.7\n"  # Lantern reads the type from the content
random.seed(1)
with open(path, "wb") as f:
    f.write(head + random.randbytes(size - len(head)))
EOF
printf '\n![Benchmark handout, a large PDF](../media/bench.pdf)\n' \
  >>"$tmp/content/courses/hand-hygiene/lessons/01-why-hands-matter.md"
sha=$(sha256sum "$pdf" | cut -d' ' -f1)
media_path=/media/$sha
echo "$media_path ($file_bytes bytes)"

if ((S3)); then
  echo "== start Garage on core 0"
  garage_dir=$tmp/garage
  # Every thread of Garage inherits the script's affinity. Warnings only: at info, Garage logs
  # every request, work that nginx (access_log off) and Lantern (warn) do not do.
  garage_env=$(RUST_LOG=warn taskset -c 0 "$repo/.ci/garage-start.sh" "$garage_dir" 2>"$tmp/garage-start.err") ||
    { cat "$tmp/garage-start.err" >&2; exit 1; }
  eval "$garage_env"
fi

# Lantern reads ./lantern.toml if present and every LANTERN_* variable: run it in the temp
# folder with only the variables set here, pinned to core 0 (every thread inherits taskset's
# affinity). env and taskset exec, so $! of a background Lantern is Lantern itself.
lantern_url=http://127.0.0.1:$(free_port)
unset_vars=()
for var in $(compgen -e | grep '^LANTERN_' || true); do unset_vars+=(-u "$var"); done
lantern_env=(env -C "$tmp" "${unset_vars[@]}" LANTERN_LISTEN="${lantern_url#http://}" LANTERN_WORKERS=1
  LANTERN_IMPORT_CONTENT_ON_START=false LANTERN_LOG__LEVEL=warn
  LANTERN_MEDIA__DOCUMENT_MAX_MB=$((FILE_MIB > 20 ? FILE_MIB : 20))
  ${MEMORY_CACHE_MB:+LANTERN_MEDIA__MEMORY_CACHE_MB=$MEMORY_CACHE_MB})
lantern_fs=("${lantern_env[@]}" LANTERN_DATA_DIR="$tmp/data" taskset -c 0 "$lantern")
echo "== import into a data folder with the fs store"
time "${lantern_fs[@]}" import "$tmp/content"
if ((S3)); then
  lantern_s3=("${lantern_env[@]}" LANTERN_DATA_DIR="$tmp/data-s3" LANTERN_MEDIA__STORE=s3
    LANTERN_MEDIA__S3__ENDPOINT="$LANTERN_TEST_S3_ENDPOINT" LANTERN_MEDIA__S3__BUCKET="$LANTERN_TEST_S3_BUCKET"
    LANTERN_MEDIA__S3__REGION="$LANTERN_TEST_S3_REGION"
    LANTERN_MEDIA__S3__ACCESS_KEY_ID="$LANTERN_TEST_S3_ACCESS_KEY_ID"
    LANTERN_MEDIA__S3__SECRET_ACCESS_KEY="$LANTERN_TEST_S3_SECRET_ACCESS_KEY"
    taskset -c 0 "$lantern")
  echo "== import into a data folder with the S3 store (Garage)"
  time "${lantern_s3[@]}" import "$tmp/content"
fi

# nginx: one worker process on core 0, serving the same file from disk at the same path.
nginx_url=http://127.0.0.1:$(free_port)
mkdir -p "$tmp/www/media"
cp "$pdf" "$tmp/www$media_path"
nginx_conf "$(cat <<EOF
  types {}
  default_type application/pdf;
  server {
    listen ${nginx_url#http://};
    root $tmp/www;
    location / { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
EOF
)" >"$tmp/nginx.conf"

# The servers: NAME -> base URL and request path; start_NAME starts it (garage is always up).
declare -A base path label
servers=(nginx lantern)
base[nginx]=$nginx_url path[nginx]=$media_path label[nginx]="nginx (disk)"
base[lantern]=$lantern_url path[lantern]=$media_path label[lantern]="Lantern (fs)"
start_nginx() {
  taskset -c 0 "$nginx" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx.log" &
  server_pid=$!
  wait_for "$nginx_url$media_path"
}
start_lantern() {
  "${lantern_fs[@]}" serve >>"$tmp/lantern.log" 2>&1 &
  server_pid=$!
  wait_for "$lantern_url/healthz"
}
start_lantern-s3() {
  "${lantern_s3[@]}" serve >>"$tmp/lantern-s3.log" 2>&1 &
  server_pid=$!
  wait_for "$lantern_url/healthz"
}
start_garage() { :; }
if ((S3)); then
  servers+=(lantern-s3)
  base[lantern-s3]=$lantern_url path[lantern-s3]=$media_path label[lantern-s3]="Lantern (S3)"
  # Garage's own GET, for reference: a presigned URL (signed for the host only, so any Range
  # header may be added). The object's key in the bucket is the store's: xx/<sha256>.
  presigned=$(S3_SECRET=$LANTERN_TEST_S3_SECRET_ACCESS_KEY python3 - "$LANTERN_TEST_S3_ENDPOINT" \
    "$LANTERN_TEST_S3_REGION" "$LANTERN_TEST_S3_BUCKET" "${sha:0:2}/$sha" "$LANTERN_TEST_S3_ACCESS_KEY_ID" <<'EOF'
import datetime, hashlib, hmac, os, sys
from urllib.parse import quote
endpoint, region, bucket, key, access = sys.argv[1:6]
host = endpoint.split("://", 1)[1].rstrip("/")
stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
scope = f"{stamp[:8]}/{region}/s3/aws4_request"
uri = f"/{bucket}/{key}"
query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": f"{access}/{scope}",
    "X-Amz-Date": stamp, "X-Amz-Expires": "86400", "X-Amz-SignedHeaders": "host"}.items()))
canonical = "\n".join(["GET", uri, query, f"host:{host}\n", "host", "UNSIGNED-PAYLOAD"])
to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
k = ("AWS4" + os.environ["S3_SECRET"]).encode()
for part in (stamp[:8], region, "s3", "aws4_request"):
    k = hmac.new(k, part.encode(), hashlib.sha256).digest()
print(f"{uri}?{query}&X-Amz-Signature={hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()}")
EOF
  )
  if [[ $(curl -s -o /dev/null -w '%{http_code}' -r 0-0 "$LANTERN_TEST_S3_ENDPOINT$presigned") == 206 ]]; then
    servers+=(garage)
    base[garage]=$LANTERN_TEST_S3_ENDPOINT path[garage]=$presigned label[garage]="Garage S3 GET"
  else
    echo "WARNING: Garage does not answer the presigned URL; its own GET is not measured" >&2
  fi
fi

# Each server must send the file: whole (200) and a range (206), the right bytes.
echo "== check what each server sends"
offset=$((file_bytes / 3 + 12345 < file_bytes - range_bytes ? file_bytes / 3 + 12345 : 0))
dd if="$pdf" of="$tmp/want-range" iflag=skip_bytes,count_bytes skip="$offset" count="$range_bytes" status=none
for name in "${servers[@]}"; do
  "start_$name"
  url=${base[$name]}${path[$name]}
  read -r code size type < <(curl -s -D "$tmp/$name.headers" -o "$tmp/got" \
    -w '%{http_code} %{size_download} %{content_type}\n' "$url")
  [[ $code == 200 && $size == "$file_bytes" ]] || { echo "$name: GET: HTTP $code, $size bytes" >&2; exit 1; }
  cmp -s "$tmp/got" "$pdf" || { echo "$name: GET sent other bytes" >&2; exit 1; }
  read -r code size < <(curl -s -o "$tmp/got" -r "$offset-$((offset + range_bytes - 1))" \
    -w '%{http_code} %{size_download}\n' "$url")
  [[ $code == 206 && $size == "$range_bytes" ]] || { echo "$name: range: HTTP $code, $size bytes" >&2; exit 1; }
  cmp -s "$tmp/got" "$tmp/want-range" || { echo "$name: range sent other bytes" >&2; exit 1; }
  echo "${label[$name]}: GET 200 ($file_bytes bytes, ${type:-no Content-Type}, $(wc -c <"$tmp/$name.headers") header bytes), range 206 ($size bytes)"
  stop_server
done
rm -f "$tmp/got"

# wrk: requests made once in init (to spare wrk's CPU). Whole file: one request. Ranges: 10,000
# random offsets from a fixed seed, the same for every server, taken in turn.
cat >"$tmp/media.lua" <<'EOF'
local requests = {}
local i = 0
init = function(args)
  local path, size, span = args[1], tonumber(args[2]), tonumber(args[3])
  if span == 0 then
    requests[1] = wrk.format("GET", path)
  else
    math.randomseed(20261123)
    for n = 1, 10000 do
      local x = math.random(0, size - span)
      requests[n] = wrk.format("GET", path, { Range = "bytes=" .. x .. "-" .. (x + span - 1) })
    end
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
EOF

# bench NAME TEST: warm up, measure, append "req/s p50_ms p99_ms core0% core1% bytes/response"
# to $tmp/NAME.TEST.results. TEST: get (whole file) or range.
bench() {
  local name=$1 test=$2 connections span before
  if [[ $test == get ]]; then connections=$GET_CONNECTIONS span=0; else connections=$RANGE_CONNECTIONS span=$range_bytes; fi
  local wrk=(taskset -c 1 wrk -t1 -c"$connections" --timeout 10s --latency -s "$tmp/media.lua")
  local args=(-- "${path[$name]}" "$file_bytes" "$span")
  echo "== $name $test: wrk -c$connections -d$DURATION on core 1"
  check_quiet "before $name $test"
  "${wrk[@]}" -d"$WARMUP" "${base[$name]}" "${args[@]}" >/dev/null # fills caches on both sides
  before=$(cpu_times)
  "${wrk[@]}" -d"$DURATION" "${base[$name]}" "${args[@]}" | tee "$tmp/$name.$test.wrk"
  if grep -qE 'Non-2xx|Socket errors' "$tmp/$name.$test.wrk"; then
    echo "WARNING: $name $test had errors or non-2xx responses (above)" | tee -a "$tmp/warnings" >&2
  fi
  awk -v cpu="$(busy_since "$before")" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000 }
    function bytes(v,  n, u) { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      return n * (u == "KB" ? 1024 : u == "MB" ? 1048576 : u == "GB" ? 1073741824 : u == "TB" ? 1099511627776 : 1) }
    / requests in / { done = $1; read = $1 ? bytes($5) / $1 : 0 }
    /Requests\/sec/ { rps = $2 } $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { print rps, p50, p99, cpu, read, done }' "$tmp/$name.$test.wrk" >>"$tmp/$name.$test.results"
  # Bytes read per response: the body asked for plus headers. wrk rounds the total, and counts
  # the responses still arriving when it stops (at most one per connection) but not their number.
  local expect=$((span ? span : file_bytes)) per_response responses
  read -r per_response responses < <(tail -1 "$tmp/$name.$test.results" | cut -d' ' -f6,7)
  if ! awk -v b="$per_response" -v n="$responses" -v e="$expect" -v c="$connections" \
    'BEGIN { exit !(n > 0 && b > 0.97 * e && b < 1.03 * (e + 4096) * (1 + c / n)) }'; then
    echo "WARNING: $name $test: wrk read $per_response bytes per response, expected ~$expect" | tee -a "$tmp/warnings" >&2
  fi
  check_quiet "after $name $test"
}

for round in $(seq "$ROUNDS"); do
  echo "== round $round of $ROUNDS"
  for name in "${servers[@]}"; do
    "start_$name"
    bench "$name" get
    bench "$name" range
    stop_server
  done
done

echo
echo "== Result: a $FILE_MIB MiB PDF, $ROUNDS x $DURATION per test, server on core 0, wrk on core 1" \
  "(medians of the rounds)"
if [[ -n ${BENCH_BINARY:-} ]]; then
  version="$BENCH_BINARY ($(date -r "$BENCH_BINARY" '+built %F %T'))"
else
  version="$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- backend Cargo.toml ||
    echo ' + uncommitted changes')"
fi
echo "   lantern $version, $("$nginx" -v 2>&1 | sed 's/.*: //')$( ((S3)) && echo ", garage $("$garage" --version | awk '{ print $2 }')")," \
  "$(lscpu | sed -n 's/^Model name: *//p')"
for test in get range; do
  for name in "${servers[@]}"; do
    echo "$test $name $(for col in 1 2 3 4 5; do awk -v c=$col '{ print $c }' "$tmp/$name.$test.results" | median; done | xargs)"
  done
done >"$tmp/medians"
awk -v fb="$file_bytes" -v rb="$range_bytes" -v mib="$FILE_MIB" -v kib="$RANGE_KIB" -v goal="$GOAL" \
  -v gc="$GET_CONNECTIONS" -v rc="$RANGE_CONNECTIONS" \
  -v names="${servers[*]}" -v labels="$(for n in "${servers[@]}"; do printf '%s|' "${label[$n]}"; done)" '
  { k = $1 SUBSEP $2; rps[k] = $3; p50[k] = $4; p99[k] = $5; c0[k] = $6; c1[k] = $7 }
  function row(name, value_rps, value_mbs, value_p50, value_p99, cpu) {
    printf "%-28s %11s %9s %8s %8s %14s\n", name, value_rps, value_mbs, value_p50, value_p99, cpu }
  function ratio(label, t, a, b) {
    if (!((t, a) in rps) || !((t, b) in rps)) return
    row(label, sprintf("%.2f", rps[t, a] / rps[t, b]), sprintf("%.2f", rps[t, a] / rps[t, b]),
      sprintf("%.2f", p50[t, a] / p50[t, b]), sprintf("%.2f", p99[t, a] / p99[t, b]), "") }
  END {
    n = split(names, name, " "); split(labels, label, "|")
    split("get range", tests, " ")
    title["get"] = sprintf("whole file (%d MiB), %d conn.", mib, gc); body["get"] = fb
    title["range"] = sprintf("%d KiB ranges, %d conn.", kib, rc); body["range"] = rb
    for (ti = 1; ti <= 2; ti++) {
      t = tests[ti]
      print ""
      row(title[t], "requests/s", "MB/s", "p50 ms", "p99 ms", "CPU core 0/1")
      for (i = 1; i <= n; i++) {
        k = t SUBSEP name[i]
        row(label[i], sprintf("%.1f", rps[k]), sprintf("%.0f", rps[k] * body[t] / 1e6), sprintf("%.2f", p50[k]),
          sprintf("%.2f", p99[k]), sprintf("%.0f%%/%.0f%%", c0[k], c1[k]))
        if (c1[k] >= 90 && c0[k] < 85) limited = limited sprintf("note: %s, %s: core 1 (wrk) %.0f%%, core 0 (server) %.0f%%: wrk was the limit\n", title[t], label[i], c1[k], c0[k])
      }
      ratio("Lantern fs / nginx", t, "lantern", "nginx")
      ratio("Lantern S3 / nginx", t, "lantern-s3", "nginx")
      ratio("Lantern S3 / Garage", t, "lantern-s3", "garage")
    }
    print ""
    printf "%s", limited
    printf "goal: Lantern >= %.2f x nginx'"'"'s requests/s\n", goal
    split("lantern lantern-s3", stores, " "); store["lantern"] = "fs"; store["lantern-s3"] = "S3"
    for (si = 1; si <= 2; si++) {
      s = stores[si]
      if (!(("get", s) in rps)) continue
      line = sprintf("  %s:", store[s])
      for (ti = 1; ti <= 2; ti++) {
        t = tests[ti]; r = rps[t, s] / rps[t, "nginx"]
        line = line sprintf(" %s %.2f %s%s", t == "get" ? "whole file" : "ranges", r, r >= goal ? "met" : "NOT met", ti == 1 ? ";" : "")
      }
      print line
    }
  }' "$tmp/medians"
[[ ! -s $tmp/warnings ]] || echo "UNRELIABLE: $(wc -l <"$tmp/warnings") warning(s), see WARNING above: run again when the machine is quiet"
if ((ROUNDS > 1)); then
  declare -A short=([lantern]=fs [lantern-s3]=S3 [garage]=Garage)
  for round in $(seq "$ROUNDS"); do
    line="round $round: requests/s ratio to nginx:"
    for name in "${servers[@]:1}"; do
      for test in get range; do
        line+=" ${short[$name]} $test $(awk -v r="$round" 'FILENAME == ARGV[1] && FNR == r { a = $1 }
          FILENAME == ARGV[2] && FNR == r { printf "%.2f", a / $1 }' "$tmp/$name.$test.results" "$tmp/nginx.$test.results"),"
      done
    done
    echo "${line%,}"
  done
fi
