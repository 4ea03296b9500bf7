#!/usr/bin/env bash
# Runs the whole platform on this host: installs and starts Docker Engine,
# Redis, Postgres and Caddy when missing, builds the programs, runs the
# migrations, then starts the supervisor, which runs (Caddy,) the API, the
# workers and router-sync and restarts any that exits unexpectedly. Ctrl-C (or
# `npm run down`) stops what it started.
#   npm run up -- [--detach] [--workers N] [--swarm]
# --swarm (or BERTH_RUNTIME=swarm): apps run as Swarm services, each on an
# overlay network of its own, images go through a registry on loopback, and
# Caddy runs as a container that router-sync attaches to the apps' networks
# (scripts/lib/swarm.sh).
# Ports, state directory and instance come from the environment
# (scripts/lib/platform-env.sh), so a second platform can run next to this one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
# Everything up writes from here on (logs, pids) is readable by its owner only.
umask 077

detach=false
workers=${BERTH_WORKERS:-1}
runtime=${BERTH_RUNTIME:-docker}
while [ $# -gt 0 ]; do
  case $1 in
    --detach) detach=true ;;
    --workers) workers=${2:-}; shift ;;
    --workers=*) workers=${1#*=} ;;
    --swarm)
      [ "$runtime" = docker ] && [ -n "${BERTH_RUNTIME:-}" ] && die "--swarm contradicts BERTH_RUNTIME=docker"
      runtime=swarm ;;
    *) die "unknown option $1 (usage: npm run up -- [--detach] [--workers N] [--swarm])" ;;
  esac
  shift
done
[[ $workers =~ ^[0-9]+$ ]] || die "--workers needs a number, got '$workers'"
case $runtime in
  docker | swarm) export BERTH_RUNTIME=$runtime ;;
  *) die "BERTH_RUNTIME must be docker or swarm, got '$runtime'" ;;
esac

source scripts/lib/platform-env.sh
source scripts/lib/build-trust.sh
build_trust_env
if [ "$BERTH_RUNTIME" = swarm ]; then
  source scripts/lib/swarm.sh
  swarm_env
fi
PIDS="$BERTH_STATE_DIR/pids"
if [ -s "$PIDS" ]; then
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then die "Berth is already running from $BERTH_STATE_DIR ($name, pid $pid): npm run down first, or npm run scale"; fi
  done <"$PIDS"
fi
# Processes a killed supervisor left behind (they would hold the ports): `down` stops them.
if [ -s "$BERTH_STATE_DIR/children" ]; then
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$PWD/"; then
      die "$name (pid $pid) from an earlier run is still running: npm run down first"
    fi
  done <"$BERTH_STATE_DIR/children"
fi

# A local admin token, made once and kept in .berth/admin-token (the API stores only its hash).
if [ -z "${BERTH_ADMIN_TOKEN:-}" ]; then
  [ -s "$BERTH_STATE_DIR/admin-token" ] || (umask 077; echo "berth_$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)" >"$BERTH_STATE_DIR/admin-token")
  BERTH_ADMIN_TOKEN=$(cat "$BERTH_STATE_DIR/admin-token")
fi
export BERTH_ADMIN_TOKEN

ensure_services
[ -d node_modules ] || { say "installing npm dependencies"; npm ci --no-audit --no-fund >/dev/null; }
# The programs run compiled (turbo rebuilds only what changed).
if [ "${BERTH_SKIP_BUILD:-}" != 1 ]; then npm run --silent build >/dev/null; fi
npm run --silent migrate

echo "$BERTH_RUNTIME" >"$BERTH_STATE_DIR/runtime" # for status/scale/restart (scripts/ctl.sh)
if [ "$BERTH_RUNTIME" = swarm ]; then
  # Caddy as a container on the apps' overlays (Docker restarts it: unless-stopped), not a supervised process.
  ensure_swarm_platform
  echo "$CADDY_CONTAINER" >"$BERTH_STATE_DIR/caddy-container"
else
  # Caddy is Berth's to run (and supervise) unless one already answers on the admin address.
  export BERTH_SUPERVISE_CADDY=false
  curl -fsS "$CADDY_ADMIN_URL/config/" >/dev/null 2>&1 || BERTH_SUPERVISE_CADDY=true
fi
export BERTH_WORKERS=$workers
# Managed services (docs/services.md): with no registry, the local images scripts/make-service-images.sh makes, once made.
for svc in postgres:15:BERTH_POSTGRES_IMAGE redis:7:BERTH_REDIS_IMAGE; do
  image=berth/${svc%:*} setting=${svc##*:}
  if [ -z "${!setting:-}" ] && docker image inspect "$image" >/dev/null 2>&1; then export "$setting=$image"; fi
done
LOGS="$BERTH_STATE_DIR/logs"
mkdir -p "$LOGS"
# Its own session: a Ctrl-C here reaches only this script, which stops the supervisor in order.
if $detach; then
  setsid node apps/supervisor/dist/main.js >/dev/null 2>&1 </dev/null &
else
  setsid node apps/supervisor/dist/main.js </dev/null &
fi
supervisor=$!
echo "$supervisor supervisor" >"$PIDS"
say "started the supervisor (pid $supervisor, log $LOGS/supervisor.log) with $workers worker(s), runtime $BERTH_RUNTIME"

# Generous waits: on a busy machine (a CI runner building apps) the first start of each is slow.
if $BERTH_SUPERVISE_CADDY; then
  WAIT_LOGS="$LOGS/supervisor.log $LOGS/caddy.log" wait_for 60 caddy curl -fsS "$CADDY_ADMIN_URL/config/"
fi
WAIT_LOGS="$LOGS/supervisor.log $LOGS/api.log" wait_for 60 api curl -fsS "http://127.0.0.1:$API_PORT/healthz"
WAIT_LOGS="$LOGS/router-sync.log" wait_for 60 "api through caddy" curl -fsS "http://$BASE_DOMAIN:$CADDY_HTTP_PORT/healthz"

cat <<MSG

Berth is running.
  API:          http://$BASE_DOMAIN:$CADDY_HTTP_PORT/api/deployments   (direct: http://127.0.0.1:$API_PORT)
  Apps:         http://<deployment-id>.$BASE_DOMAIN:$CADDY_HTTP_PORT  and  http://<project>.$BASE_DOMAIN:$CADDY_HTTP_PORT
  API token:    export BERTH_TOKEN=\$(cat $BERTH_STATE_DIR/admin-token)
  Logs:         $LOGS/
  Status:       npm run status      Scale: npm run scale -- worker=N
  Stop:         Ctrl-C here, or npm run down
MSG
# A fresh installation has nobody to sign in to the dashboard as: say how to make the first owner.
if curl -fsS -H "Authorization: Bearer $BERTH_ADMIN_TOKEN" "http://127.0.0.1:$API_PORT/api/users" 2>/dev/null | grep -q '"items":\[\]'; then
  echo "  First owner:  npm run berth -- users create --owner you@example.com   (prints a one-time link that sets the password)"
fi
echo
$detach && exit 0
trap 'bash scripts/down.sh; exit 0' INT TERM
# Attached: stay until Ctrl-C (the supervisor keeps the processes running meanwhile).
while kill -0 "$supervisor" 2>/dev/null; do sleep 1; done
say "the supervisor exited; see $LOGS/supervisor.log"
exit 1
