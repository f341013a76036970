#!/usr/bin/env bash
# Slow network: time to first lesson text on an emulated EDGE link (240 kbit/s, 840 ms round
# trip, Chromium DevTools network conditions; this kernel has no `tc netem`), Lantern against
# nginx serving the same bytes: the first lesson of each demo course, fetched from Lantern once
# with Chromium's Accept-Encoding, saved with the stylesheet and scripts they name, and served by
# nginx with the same Content-Encoding and Content-Type. Each load is a fresh browser context
# (empty cache, new connection) at 360 px; servers alternate; both run on core 0.
#
#   deploy/bench/edge.sh            env: ROUNDS (3), BENCH_BINARY=path (skip the build), KEEP_TMP=1
# Goal (project issue 10): Lantern's time to first lesson text at most 1.25x nginx's.
set -euo pipefail
ROUNDS=${ROUNDS:-3}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}
tools="$HOME/.cache/lantern/tools"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$nginx" /usr/bin/chromium node curl python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (bash tests/browser/run.sh installs Chromium and playwright-core)" >&2; exit 1; }
done
[[ -d $tools/node/node_modules/playwright-core ]] ||
  { echo "missing playwright-core: run bash tests/browser/run.sh once" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lantern-edge.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n ${KEEP_TMP:-} ]]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
source "$repo/deploy/bench/lib.sh"

[[ -n ${BENCH_BINARY:-} ]] || (cd "$repo" && cargo build -q --release -p lantern)
cp "${BENCH_BINARY:-$CARGO_TARGET_DIR/release/lantern}" "$tmp/lantern"

lantern_url=http://127.0.0.1:$(free_port)
env -C "$tmp" LANTERN_DATA_DIR="$tmp/data" LANTERN_LISTEN="${lantern_url#http://}" LANTERN_WORKERS=1 \
  LANTERN_CONTENT_DIR="$repo/content" LANTERN_LOG__LEVEL=warn taskset -c 0 "$tmp/lantern" serve >"$tmp/lantern.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_for "$lantern_url/readyz"

# The first lesson of each demo course, and what those pages name under /static/.
for course in "$repo"/content/courses/*/; do
  first=$(ls "$course/lessons" | sort | head -n1)
  slug=${first%.md}
  echo "/courses/$(basename "$course")/lessons/${slug#*-}"
done >"$tmp/paths.txt"
accept='gzip, deflate, br, zstd' # what Chromium sends
: >"$tmp/encodings.map"
fetch() { # PATH: saved under www/ with its encoding recorded for nginx
  local path=$1 code
  mkdir -p "$tmp/www$(dirname "$path")"
  code=$(curl -s -H "Accept-Encoding: $accept" -D "$tmp/headers" -o "$tmp/www$path" -w '%{http_code}' "$lantern_url$path")
  [[ $code == 200 ]] || { echo "GET $path: HTTP $code" >&2; exit 1; }
  local encoding
  encoding=$(header "$tmp/headers" content-encoding)
  [[ -z $encoding || $encoding == identity ]] || echo "\"$path\" \"$encoding\";" >>"$tmp/encodings.map"
}
while read -r path; do
  fetch "$path"
  curl -s --compressed "$lantern_url$path" | grep -o '\(href\|src\)="/static/[^"]*"' | cut -d'"' -f2
done <"$tmp/paths.txt" | sort -u >"$tmp/static.txt"
while read -r path; do fetch "$path"; done <"$tmp/static.txt"
echo "pages: $(wc -l <"$tmp/paths.txt"), static files: $(wc -l <"$tmp/static.txt") ($(paste -sd' ' "$tmp/static.txt"))"

nginx_url=http://127.0.0.1:$(free_port)
nginx_conf "$(cat <<EOF
  types { text/css css; text/javascript js; }
  default_type "text/html; charset=utf-8";
  map_hash_bucket_size 256;
  map \$uri \$lantern_encoding { default ""; include $tmp/encodings.map; }
  server {
    listen ${nginx_url#http://};
    root $tmp/www;
    location / { add_header Content-Encoding \$lantern_encoding; }
  }
EOF
)" >"$tmp/nginx.conf"
taskset -c 0 "$nginx" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx.log" &
server_pid=$!
pids+=("$server_pid")
wait_for "$nginx_url$(head -n1 "$tmp/paths.txt")"
# The same bytes from both.
while read -r path; do
  cmp -s <(curl -s -H "Accept-Encoding: $accept" "$lantern_url$path") <(curl -s -H "Accept-Encoding: $accept" "$nginx_url$path") ||
    { echo "$path: nginx does not send Lantern's bytes" >&2; exit 1; }
done < <(cat "$tmp/paths.txt" "$tmp/static.txt")

check_quiet "before the loads"
mapfile -t paths <"$tmp/paths.txt"
NODE_PATH="$tools/node/node_modules" node "$repo/deploy/bench/edge.cjs" "$ROUNDS" "$tmp/samples.json" \
  "lantern=$lantern_url" "nginx=$nginx_url" -- "${paths[@]}"

python3 - "$tmp/samples.json" <<'PY'
import json, statistics, sys
samples = json.load(open(sys.argv[1]))
def med(server, key):
    return statistics.median(s[key] for s in samples if s["server"] == server)
lantern, nginx = med("lantern", "paint"), med("nginx", "paint")
print()
print("| EDGE (240 kbit/s, 840 ms RTT), first contentful paint of a lesson, fresh context | Lantern | nginx, same bytes | ratio |")
print("|---|---:|---:|---:|")
print(f"| median of {sum(s['server'] == 'lantern' for s in samples)} loads | {lantern:.0f} ms | {nginx:.0f} ms | "
      f"{lantern / nginx:.2f}x (goal <= 1.25x: {'met' if lantern / nginx <= 1.25 else 'NOT met'}) |")
print(f"| bytes transferred per load (median) | {med('lantern', 'bytes'):.0f} | {med('nginx', 'bytes'):.0f} | |")
PY
[[ -s $tmp/warnings ]] && cat "$tmp/warnings"
exit 0
