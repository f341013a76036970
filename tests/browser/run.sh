#!/usr/bin/env bash
# The browser suite: a real Lantern (debug build, SQLite, a fresh data folder) driven by headless
# Chromium at 360 px with JavaScript off (tests/browser/flows.cjs), then the offline certificate
# check with JavaScript on (tests/browser/offline.cjs, same server and data), then a course saved
# for offline and its quiz answered with no network (tests/browser/offline-course.cjs). Installs Chromium
# (Debian) and playwright-core (npm) when missing. Screenshots land in tests/.artifacts/browser/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}"
tools="$HOME/.cache/lantern/tools"

if [ ! -x /usr/bin/chromium ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
fi
if [ ! -d "$tools/node/node_modules/playwright-core" ]; then
  mkdir -p "$tools/node"
  (cd "$tools/node" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund playwright-core@1.64.1)
fi

cargo build -q -p lantern
data=$(mktemp -d)
out="$root/tests/.artifacts/browser"
rm -rf "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export LANTERN_DATA_DIR="$data" LANTERN_LISTEN="127.0.0.1:$port" LANTERN_CONTENT_DIR="$root/content" RUST_LOG=warn
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

admin_password='blue heron morning tide'
echo "$admin_password" | "$CARGO_TARGET_DIR/debug/lantern" admin create --email admin@example.org --name "Ada Admin" --password-stdin >/dev/null
"$CARGO_TARGET_DIR/debug/lantern" serve >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

NODE_PATH="$tools/node/node_modules" node tests/browser/flows.cjs "http://127.0.0.1:$port" "$data" "$out" admin@example.org "$admin_password" ||
  { echo "--- server log"; tail -50 "$data/server.log"; exit 1; }
NODE_PATH="$tools/node/node_modules" node tests/browser/offline.cjs "$out" ||
  { echo "--- server log"; tail -50 "$data/server.log"; exit 1; }
NODE_PATH="$tools/node/node_modules" node tests/browser/offline-course.cjs "http://127.0.0.1:$port" "$data" "$out" ||
  { echo "--- server log"; tail -50 "$data/server.log"; exit 1; }
