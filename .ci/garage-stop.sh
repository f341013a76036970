#!/usr/bin/env bash
# garage-stop.sh DIR [--purge]
# Stop the garage started by garage-start.sh DIR (SIGTERM, then SIGKILL after 10 s).
# --purge also removes the files garage-start.sh created in DIR.
set -euo pipefail
log() { printf 'garage-stop: %s\n' "$*" >&2; }
[[ $# -ge 1 && -n "$1" ]] || { log "usage: garage-stop.sh DIR [--purge]"; exit 1; }
DIR=$1
PURGE=${2:-}
pidfile=$DIR/garage.pid
if [[ -f $pidfile ]]; then
  pid=$(cat "$pidfile")
  # only signal the pid if it is still a garage process (pid reuse guard)
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null \
     && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q garage; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored SIGTERM for 10 s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped garage pid $pid"
  else
    log "garage pid $pid is not running"
  fi
  rm -f "$pidfile"
else
  log "no $pidfile, nothing to stop"
fi
if [[ $PURGE == --purge ]]; then
  rm -rf "$DIR/meta" "$DIR/data"
  rm -f "$DIR/garage.toml" "$DIR/garage.log" "$DIR/env" "$DIR/.ready-body"
  rmdir "$DIR" 2>/dev/null || true
fi
