#!/usr/bin/env bash
# Stops what `npm run up` started, by the PIDs it recorded only: SIGTERM to the
# supervisor, which stops its processes gracefully (SIGTERM, their grace
# period, SIGKILL; Caddy last); SIGKILL to it if it has not finished after
# that. Processes the supervisor recorded and left behind (it was killed) are
# stopped the same way, after checking that each is still one of ours.
# Docker, Redis and Postgres stay up: other things on this host may use them.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
STATE="${BERTH_STATE_DIR:-$PWD/.berth}"
PIDS="$STATE/pids"
CHILDREN="$STATE/children"
# The supervisor's own grace per process (BERTH_STOP_GRACE_MS), and a margin for the rest.
grace_s=$(((${BERTH_STOP_GRACE_MS:-45000} + 999) / 1000))
[ -f "$PIDS" ] || [ -s "$CHILDREN" ] || [ -s "$STATE/caddy-container" ] || { echo "[berth] nothing to stop"; exit 0; }

alive() { kill -0 "$1" 2>/dev/null; }
# A recorded child pid is ours only if it still runs one of this checkout's programs (pids get reused).
ours() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$root/"; }

stop_all() { # stop_all WAIT_SECONDS PID NAME [PID NAME]...
  local wait_s=$1 pid name i left
  shift
  local -a list=("$@")
  for ((i = 0; i < ${#list[@]}; i += 2)); do
    alive "${list[i]}" && kill -TERM "${list[i]}" 2>/dev/null && echo "[berth] stopping ${list[i + 1]} (pid ${list[i]})"
  done
  for ((t = 0; t < wait_s * 10; t++)); do
    left=0
    for ((i = 0; i < ${#list[@]}; i += 2)); do alive "${list[i]}" && left=1; done
    [ $left = 0 ] && return 0
    sleep 0.1
  done
  for ((i = 0; i < ${#list[@]}; i += 2)); do
    alive "${list[i]}" && { kill -KILL "${list[i]}"; echo "[berth] killed ${list[i + 1]} (pid ${list[i]})"; }
  done
}

if [ -f "$PIDS" ]; then
  args=()
  while read -r pid name; do args+=("$pid" "$name"); done < <(tac "$PIDS")
  [ ${#args[@]} -gt 0 ] && stop_all $((grace_s + 15)) "${args[@]}"
fi
if [ -s "$CHILDREN" ]; then
  args=()
  while read -r pid name; do alive "$pid" && ours "$pid" && args+=("$pid" "$name"); done <"$CHILDREN"
  [ ${#args[@]} -gt 0 ] && stop_all "$grace_s" "${args[@]}"
fi
rm -f "$PIDS" "$CHILDREN"
# Swarm mode's Caddy container (up recorded its name): removed, so its restart policy does not bring it back.
if [ -s "$STATE/caddy-container" ]; then
  name=$(cat "$STATE/caddy-container")
  if [[ $name =~ ^berth-[a-zA-Z0-9_.-]+-caddy$ ]]; then
    docker rm -f "$name" >/dev/null 2>&1 && echo "[berth] removed the Caddy container $name"
  fi
  rm -f "$STATE/caddy-container"
fi
