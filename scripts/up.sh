#!/usr/bin/env bash
# Runs the whole platform on this host: installs and starts Docker Engine,
# Redis, Postgres and Caddy when missing, runs migrations, starts api, worker
# and router-sync, and prints the URLs. Ctrl-C (or `npm run down`) stops what
# it started. `npm run up -- --detach` returns once everything answers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
# Everything up writes from here on (logs, pids) is readable by its owner only.
umask 077

detach=false
[ "${1:-}" = "--detach" ] && detach=true

export BERTH_INSTANCE=${BERTH_INSTANCE:-main}
export BASE_DOMAIN=${BASE_DOMAIN:-localhost}
export API_PORT=${API_PORT:-3000}
export CADDY_HTTP_PORT=${CADDY_HTTP_PORT:-8080}
export PUBLIC_PORT=${PUBLIC_PORT:-$CADDY_HTTP_PORT}
export CADDY_HTTP_LISTEN=":$CADDY_HTTP_PORT"
export CADDY_ADMIN_URL=${CADDY_ADMIN_URL:-http://127.0.0.1:2019}
export CADDY_ADMIN_LISTEN=${CADDY_ADMIN_LISTEN:-127.0.0.1:2019}
export API_UPSTREAM=${API_UPSTREAM:-127.0.0.1:$API_PORT}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}}
export DATABASE_URL=${DATABASE_URL:-postgres://berth:berth@127.0.0.1:${PG_PORT}/berth}

# A local admin token, made once and kept in .berth/admin-token (the API stores only its hash).
if [ -z "${BERTH_ADMIN_TOKEN:-}" ]; then
  [ -s "$BERTH_STATE_DIR/admin-token" ] || (umask 077; echo "berth_$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)" >"$BERTH_STATE_DIR/admin-token")
  BERTH_ADMIN_TOKEN=$(cat "$BERTH_STATE_DIR/admin-token")
fi
export BERTH_ADMIN_TOKEN
# The key that seals env values at rest: generated once into this file by the first program that needs it.
export BERTH_SECRET_KEY_FILE=${BERTH_SECRET_KEY_FILE:-$BERTH_STATE_DIR/secret-key}

ensure_services
[ -d node_modules ] || { say "installing npm dependencies"; npm ci --no-audit --no-fund >/dev/null; }
npm run --silent migrate

PIDS="$BERTH_STATE_DIR/pids"
LOGS="$BERTH_STATE_DIR/logs"
mkdir -p "$LOGS"
: >>"$PIDS"

start() { # start NAME COMMAND...
  local name=$1; shift
  "$@" >>"$LOGS/$name.log" 2>&1 &
  echo "$! $name" >>"$PIDS"
  say "started $name (pid $!, log $LOGS/$name.log)"
}

if ! curl -fsS "$CADDY_ADMIN_URL/config/" >/dev/null 2>&1; then
  start caddy caddy run --adapter caddyfile --config Caddyfile
  wait_for 20 caddy curl -fsS "$CADDY_ADMIN_URL/config/"
fi
start api node --import tsx apps/api/src/main.ts
start worker node --import tsx apps/worker/src/main.ts
start router-sync node --import tsx apps/router-sync/src/main.ts
wait_for 30 api curl -fsS "http://127.0.0.1:$API_PORT/healthz"
wait_for 30 "api through caddy" curl -fsS "http://$BASE_DOMAIN:$CADDY_HTTP_PORT/healthz"

cat <<MSG

Berth is running.
  API:          http://$BASE_DOMAIN:$CADDY_HTTP_PORT/api/deployments   (direct: http://127.0.0.1:$API_PORT)
  Apps:         http://<deployment-id>.$BASE_DOMAIN:$CADDY_HTTP_PORT  and  http://<project>.$BASE_DOMAIN:$CADDY_HTTP_PORT
  API token:    export BERTH_TOKEN=\$(cat $BERTH_STATE_DIR/admin-token)
  Logs:         $LOGS/
  Stop:         Ctrl-C here, or npm run down

MSG
$detach && exit 0
trap 'bash scripts/down.sh; exit 0' INT TERM
while sleep 3600; do :; done
