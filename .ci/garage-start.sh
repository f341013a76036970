#!/usr/bin/env bash
# garage-start.sh DIR
#
# Start a throw-away single-node Garage (S3-compatible server) on 127.0.0.1 for
# tests, with bucket `lantern-test` and one read/write/owner key.
#
# stdout: only `export VAR=value` lines, meant for
#     eval "$(garage-start.sh DIR)"
# (also written to DIR/env). Everything else goes to stderr.
#
# Files in DIR: garage.toml, garage.pid, garage.log, env, meta/, data/.
# Re-running on the same DIR wipes those files (the old server must be stopped).
# Stop with garage-stop.sh DIR.
#
# Environment knobs (all optional):
#   GARAGE_BIN            garage binary (default: `garage` on PATH, then ~/.cargo/bin/garage)
#   GARAGE_BOOTSTRAP      single-node (default): `garage server --single-node --default-bucket`
#                         creates layout, key and bucket inside the server at startup.
#                         cli: plain `garage server`, then `garage layout assign/apply`,
#                         `bucket create`, `key create`, `bucket allow` through the CLI.
#   GARAGE_START_TIMEOUT  seconds to wait for readiness (default 30)
#   GARAGE_REGION         S3 region (default garage)
#   GARAGE_BUCKET         bucket name (default lantern-test)
set -euo pipefail

log() { printf 'garage-start: %s\n' "$*" >&2; }
die() { printf 'garage-start: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 1 && -n "$1" ]] || die "usage: garage-start.sh DIR"
DIR=$1
REGION=${GARAGE_REGION:-garage}
BUCKET=${GARAGE_BUCKET:-lantern-test}
MODE=${GARAGE_BOOTSTRAP:-single-node}
TIMEOUT=${GARAGE_START_TIMEOUT:-30}
case $MODE in single-node|cli) ;; *) die "GARAGE_BOOTSTRAP must be single-node or cli (got '$MODE')" ;; esac

# ---- locate the binary -------------------------------------------------------
GARAGE=${GARAGE_BIN:-}
if [[ -z $GARAGE ]]; then
  GARAGE=$(command -v garage 2>/dev/null || true)
  [[ -z $GARAGE && -x $HOME/.cargo/bin/garage ]] && GARAGE=$HOME/.cargo/bin/garage
fi
[[ -n $GARAGE && -x $GARAGE ]] || die "garage binary not found (looked at \$GARAGE_BIN, PATH, ~/.cargo/bin/garage).
  Install it with: cargo install --locked garage   (Garage >= 2.0 needed)"
log "using $GARAGE ($("$GARAGE" --version 2>/dev/null | head -n1 || echo '?'))"

# ---- prepare DIR -------------------------------------------------------------
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [[ -f $DIR/garage.pid ]]; then
  oldpid=$(cat "$DIR/garage.pid" 2>/dev/null || true)
  if [[ -n $oldpid ]] && kill -0 "$oldpid" 2>/dev/null; then
    die "a garage server (pid $oldpid) is still running for $DIR; run garage-stop.sh $DIR first"
  fi
fi
rm -rf "$DIR/meta" "$DIR/data"
rm -f "$DIR/garage.toml" "$DIR/garage.pid" "$DIR/garage.log" "$DIR/env" "$DIR/.ready-body"
mkdir -p "$DIR/meta" "$DIR/data"

rand_hex() { od -An -vtx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# A port is taken as free when nothing accepts a TCP connection on it. There is
# a small race until garage binds it; a bind failure is retried with new ports.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    [[ " $* " == *" $p "* ]] && continue
    port_free "$p" && { echo "$p"; return 0; }
  done
  return 1
}

GARAGE_PID=
cleanup_on_error() {
  if [[ -n $GARAGE_PID ]] && kill -0 "$GARAGE_PID" 2>/dev/null; then
    kill "$GARAGE_PID" 2>/dev/null || true
  fi
  if [[ -f $DIR/garage.log ]]; then
    log "last lines of $DIR/garage.log:"
    tail -n 20 "$DIR/garage.log" >&2 || true
  fi
}
trap 'rc=$?; if [[ $rc -ne 0 ]]; then cleanup_on_error; fi' EXIT

g() { "$GARAGE" -c "$DIR/garage.toml" "$@"; }

KEY_ID=GK$(rand_hex 12)
SECRET=$(rand_hex 32)

start_server() {
  S3_PORT=$(pick_port) || die "no free port found"
  RPC_PORT=$(pick_port "$S3_PORT") || die "no free port found"
  (umask 077; cat >"$DIR/garage.toml") <<EOF
metadata_dir = "$DIR/meta"
data_dir = "$DIR/data"
db_engine = "sqlite"
replication_factor = 1
metadata_fsync = false
data_fsync = false
disable_scrub = true

rpc_bind_addr = "127.0.0.1:$RPC_PORT"
rpc_public_addr = "127.0.0.1:$RPC_PORT"
rpc_secret = "$(rand_hex 32)"

[s3_api]
api_bind_addr = "127.0.0.1:$S3_PORT"
s3_region = "$REGION"
EOF
  local -a args=(server)
  if [[ $MODE == single-node ]]; then
    args+=(--single-node --default-bucket)
  fi
  # stdin/stdout/stderr must not be inherited: a caller doing
  # eval "$(garage-start.sh DIR)" would otherwise wait for garage to exit.
  GARAGE_DEFAULT_ACCESS_KEY=$KEY_ID GARAGE_DEFAULT_SECRET_KEY=$SECRET GARAGE_DEFAULT_BUCKET=$BUCKET \
    RUST_LOG=${RUST_LOG:-garage=info,netapp=warn} NO_COLOR=1 \
    "$GARAGE" -c "$DIR/garage.toml" "${args[@]}" </dev/null >>"$DIR/garage.log" 2>&1 &
  GARAGE_PID=$!
  echo "$GARAGE_PID" >"$DIR/garage.pid"
  log "started garage pid $GARAGE_PID (s3 127.0.0.1:$S3_PORT, rpc 127.0.0.1:$RPC_PORT, mode $MODE)"
}

# Wait until the S3 port accepts connections. Returns 2 if garage died.
wait_s3_port() {
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    kill -0 "$GARAGE_PID" 2>/dev/null || return 2
    port_free "$S3_PORT" || return 0
    sleep 0.05
  done
  die "garage did not open 127.0.0.1:$S3_PORT within ${TIMEOUT}s"
}

started=0
for attempt in 1 2 3; do
  start_server
  if wait_s3_port; then started=1; break; fi
  wait "$GARAGE_PID" 2>/dev/null || true
  if grep -qiE 'address (already )?in use' "$DIR/garage.log"; then
    log "port clash, retrying with other ports (attempt $attempt)"
    : >"$DIR/garage.log"
    rm -rf "$DIR/meta" "$DIR/data"; mkdir -p "$DIR/meta" "$DIR/data"
    continue
  fi
  die "garage exited during startup"
done
((started)) || die "could not start garage (port clashes)"

if [[ $MODE == cli ]]; then
  # wait for the RPC/admin side, then configure through the CLI
  deadline=$((SECONDS + TIMEOUT))
  until g status >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "'garage status' did not succeed within ${TIMEOUT}s"
    kill -0 "$GARAGE_PID" 2>/dev/null || die "garage exited during startup"
    sleep 0.1
  done
  NODE_ID=$(g node id -q 2>/dev/null | head -n1 | cut -d@ -f1)
  [[ -n $NODE_ID ]] || die "could not read node id"
  g layout assign -z dc1 -c 1G "$NODE_ID" >&2
  g layout apply --version 1 >&2
  g bucket create "$BUCKET" >&2
  g key import --yes -n "$BUCKET" "$KEY_ID" "$SECRET" >&2
  g bucket allow --read --write --owner "$BUCKET" --key "$KEY_ID" >&2
fi

ENDPOINT=http://127.0.0.1:$S3_PORT

# Readiness: a signed ListObjectsV2 on the bucket must return 200 (proves layout,
# bucket, key and permissions). Needs curl >= 7.75 for --aws-sigv4; without it we
# ask the CLI whether the bucket exists.
if command -v curl >/dev/null 2>&1 && curl --help all 2>/dev/null | grep -q -- --aws-sigv4; then
  deadline=$((SECONDS + TIMEOUT))
  while :; do
    # Garage rejects requests without x-amz-content-sha256 (curl does not add it);
    # the value is the SHA-256 of the empty body.
    code=$(curl -s -o "$DIR/.ready-body" -w '%{http_code}' --max-time 5 \
      --aws-sigv4 "aws:amz:$REGION:s3" --user "$KEY_ID:$SECRET" \
      -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
      "$ENDPOINT/$BUCKET?list-type=2&max-keys=1" || true)
    [[ $code == 200 ]] && { rm -f "$DIR/.ready-body"; break; }
    ((SECONDS < deadline)) || die "signed ListObjectsV2 on $BUCKET still returns HTTP $code after ${TIMEOUT}s: $(cat "$DIR/.ready-body" 2>/dev/null)"
    kill -0 "$GARAGE_PID" 2>/dev/null || die "garage exited during startup"
    sleep 0.1
  done
  log "ready: signed ListObjectsV2 on $ENDPOINT/$BUCKET -> 200"
else
  deadline=$((SECONDS + TIMEOUT))
  until g bucket info "$BUCKET" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "bucket $BUCKET not visible after ${TIMEOUT}s"
    sleep 0.1
  done
  log "ready: bucket $BUCKET exists (curl with --aws-sigv4 unavailable, skipped signed check)"
fi

{
  printf 'export LANTERN_TEST_S3_ENDPOINT=%q\n' "$ENDPOINT"
  printf 'export LANTERN_TEST_S3_BUCKET=%q\n' "$BUCKET"
  printf 'export LANTERN_TEST_S3_REGION=%q\n' "$REGION"
  printf 'export LANTERN_TEST_S3_ACCESS_KEY_ID=%q\n' "$KEY_ID"
  printf 'export LANTERN_TEST_S3_SECRET_ACCESS_KEY=%q\n' "$SECRET"
  printf 'export GARAGE_PID=%q\n' "$GARAGE_PID"
} >"$DIR/env"
chmod 600 "$DIR/env"
cat "$DIR/env"
