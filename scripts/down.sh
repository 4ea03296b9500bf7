#!/usr/bin/env bash
# Stops what `npm run up` started (by the PIDs it recorded), newest first.
# Docker, Redis and Postgres stay up: other things on this host may use them.
set -uo pipefail
cd "$(dirname "$0")/.."
PIDS="${BERTH_STATE_DIR:-$PWD/.berth}/pids"
[ -f "$PIDS" ] || { echo "[berth] nothing to stop"; exit 0; }
tac "$PIDS" | while read -r pid name; do
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null && echo "[berth] stopping $name (pid $pid)"
  fi
done
for _ in $(seq 1 100); do
  alive=0
  while read -r pid _; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$PIDS"
  [ $alive = 0 ] && break
  sleep 0.1
done
while read -r pid name; do
  kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; echo "[berth] killed $name (pid $pid)"; }
done <"$PIDS"
rm -f "$PIDS"
