#!/usr/bin/env bash
# The API against its own OpenAPI document (RELIABILITY.md B5 #23). A server (debug build, SQLite)
# holds a small `lantern demo` population; schemathesis reads /api/v1/openapi.json from it and sends
# every operation the document's examples, boundary values and generated data, valid and invalid,
# once with a learner's token and once with a regulator officer's. Every answer must be no 5xx,
# have a documented status and content type, and a body that matches its documented schema; the
# server's log must hold no error.
#
#   ST=<venv with schemathesis>/bin/st tests/api/schemathesis.sh [examples per operation]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lantern/target}"
st="${ST:-st}"
examples="${1:-50}"
tmp=$(mktemp -d)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
source "$root/deploy/bench/lib.sh"

cargo build -q -p lantern
lantern="$CARGO_TARGET_DIR/debug/lantern"
port=$(free_port)
export LANTERN_DATA_DIR="$tmp/data" LANTERN_LISTEN="127.0.0.1:$port" LANTERN_CONTENT_DIR="$root/content"
# Schemathesis sends thousands of requests a minute with one token.
export LANTERN_SECURITY__API_REQUESTS_PER_MINUTE=1000000 RUST_LOG=warn LANTERN_LOG__LEVEL=warn NO_COLOR=1

# Learners enrolled, with credits, competencies and mentors; the demo regulator's officer.
"$lantern" demo --learners 40 --courses 2 >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }
token() { # EMAIL SCOPES…
  local email=$1
  shift
  "$lantern" admin token --email "$email" --name schemathesis --days 1 "${@/#/--scope=}"
}
learner=$(token learner-1-1@demo.example.org courses:write competencies:write credits:write search:read mentoring:write)
officer=$(token officer-1@demo.example.org credits:write insights:read courses:read competencies:read search:read)

"$lantern" serve >"$tmp/server.log" 2>&1 &
server=$!
server_pid=$server
wait_for "http://127.0.0.1:$port/readyz"

failed=0
# Course packages (application/zip) are made by our hook; schemathesis knows the other types.
export PYTHONPATH="$root/tests/api${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=schemathesis_hooks
cd "$tmp" # schemathesis keeps state in ./.schemathesis
for who in learner officer; do
  echo "--- as the $who, $examples examples per operation"
  "$st" --no-color run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --header "Authorization: Bearer ${!who}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$examples" --seed 20261124 --generation-database none \
    --report junit --report-dir "$tmp/report-$who" || failed=1
done
# actix logs a request it cannot parse (schemathesis sends control characters in headers) as an
# error of its own; that is the client's fault, answered 400, not the server's.
if grep -E '\b(ERROR|panicked)\b' "$tmp/server.log" | grep -v 'request parse error'; then
  echo "the server logged errors" >&2
  failed=1
fi
exit "$failed"
