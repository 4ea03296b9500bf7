# Shared by up.sh and test.sh: make sure Docker Engine, Redis, Postgres, Caddy
# and git are installed and running on this host. Idempotent; starts only what
# is not already answering, and records what it started under .berth/.
set -euo pipefail

BERTH_STATE_DIR=${BERTH_STATE_DIR:-"$PWD/.berth"}
# Logs, pids and the local admin token live here: private to the owner, even if made by an older version.
mkdir -p "$BERTH_STATE_DIR"
chmod 700 "$BERTH_STATE_DIR"
PG_PORT=${BERTH_PG_PORT:-5432}
REDIS_PORT=${BERTH_REDIS_PORT:-6379}

source "$(dirname "${BASH_SOURCE[0]}")/node-runtime.sh"
source "$(dirname "${BASH_SOURCE[0]}")/dockerd.sh"

say() { printf '[berth] %s\n' "$*" >&2; }
die() { printf '[berth] error: %s\n' "$*" >&2; exit 1; }

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v caddy >/dev/null || missing+=(caddy)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  command -v git >/dev/null || missing+=(git)
  command -v docker-compose >/dev/null || missing+=(docker-compose) # validates docker-compose.yml
  command -v systemd-analyze >/dev/null || missing+=(systemd) # verifies the generated systemd units
  [ -x /bin/busybox ] || missing+=(busybox-static)
  [ -x /usr/bin/chromium ] || missing+=(chromium) # the dashboard's browser tests (playwright-core drives it)
  command -v docker-registry >/dev/null || missing+=(docker-registry) # swarm mode's image registry
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap) # Python and Go base images from Debian's packages (scripts/make-debian-image.sh)
  command -v rsyslogd >/dev/null || missing+=(rsyslog) # the log drains' stack test receives syslog with it
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) or run as root on Debian"
  fi
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  local i
  for ((i = 0; i < secs * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  # WAIT_LOGS (optional): the logs that say why, shown before giving up.
  local log
  for log in ${WAIT_LOGS:-}; do
    [ -f "$log" ] && { printf '[berth] the end of %s:\n' "$log" >&2; tail -n 20 "$log" >&2; }
  done
  die "$what did not come up within ${secs}s"
}

# The default bridge's gateway (172.17.0.1 unless dockerd was told otherwise). A daemon's first start
# on a machine picks the bridge's subnet itself and reports no gateway for it (it does after a
# restart, from docker0's address), so: the reported gateway, else docker0's own IPv4 address, else
# the first address of the reported subnet (Docker's choice for the gateway).
bridge_gateway() {
  local gw subnet
  gw=$(docker network inspect bridge --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null || true)
  if [ -z "$gw" ] && command -v ip >/dev/null; then
    gw=$(ip -4 -o addr show dev docker0 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
  fi
  if [ -z "$gw" ]; then
    subnet=$(docker network inspect bridge --format '{{range .IPAM.Config}}{{.Subnet}}{{end}}' 2>/dev/null || true)
    if [[ $subnet =~ ^([0-9]+\.[0-9]+\.[0-9]+)\.([0-9]+)/([0-9]+)$ ]] && [ "${BASH_REMATCH[3]}" -le 30 ]; then
      gw="${BASH_REMATCH[1]}.$((BASH_REMATCH[2] + 1))"
    fi
  fi
  printf '%s' "$gw"
}

# Swarm mode (BERTH_RUNTIME=swarm) and its tests need this Docker to be a swarm
# manager: a one-node swarm when it is in none. Plain containers keep working.
# Never leaves a swarm (other installations may share the daemon).
# The address it tells other nodes to reach it at: BERTH_SWARM_ADVERTISE_ADDR
# (this machine's LAN address when nodes on other machines will join), else
# the Docker bridge's gateway (172.17.0.1: reachable from this machine and its
# containers only, so a test node made here can join), else 127.0.0.1. It only
# says where to reach the swarm ports; Docker listens on them either way.
ensure_swarm() {
  local state addr
  state=$(docker info --format '{{.Swarm.LocalNodeState}}')
  [ "$state" = active ] && return 0
  addr=${BERTH_SWARM_ADVERTISE_ADDR:-$(bridge_gateway)}
  addr=${addr:-127.0.0.1}
  say "making this Docker a one-node swarm (advertising $addr)"
  docker swarm init --advertise-addr "$addr" >/dev/null
}

ensure_redis() {
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
  say "starting redis on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --maxmemory-policy noeviction --pidfile "$BERTH_STATE_DIR/redis.pid" \
    --logfile "$BERTH_STATE_DIR/redis.log"
  wait_for 20 redis redis-cli -p "$REDIS_PORT" ping
}

psql_admin() { su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -qAt $(printf '%q ' "$@")"; }

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; then
    local version
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    if ! pg_lsclusters -h | grep -q "^$version main"; then
      pg_createcluster "$version" main --port "$PG_PORT" >/dev/null
    fi
    say "starting postgres $version on 127.0.0.1:$PG_PORT"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_for 30 postgres pg_isready -h 127.0.0.1 -p "$PG_PORT"
  fi
  # A role and database for Berth (password auth over TCP on loopback).
  if [ "$(psql_admin -c "select 1 from pg_roles where rolname='berth'")" != 1 ]; then
    psql_admin -c "create role berth login createdb password 'berth'"
  fi
  if [ "$(psql_admin -c "select 1 from pg_database where datname='berth'")" != 1 ]; then
    psql_admin -c "create database berth owner berth"
  fi
}

# The base image of the pinned Node major, which Berth's own test apps and
# examples build FROM (no registry here); other majors are made on first use.
# Its build image too: the worker only makes a missing one, and this remakes
# one made by an older make-node-image.sh (a second when it is current).
ensure_base_image() {
  bash "$(dirname "${BASH_SOURCE[0]}")/../make-node-image.sh"
  bash "$(dirname "${BASH_SOURCE[0]}")/../make-node-image.sh" "" build
}

ensure_services() {
  ensure_node_runtime
  ensure_packages
  ensure_docker
  if [ "${BERTH_RUNTIME:-docker}" = swarm ]; then ensure_swarm; fi
  ensure_redis
  ensure_postgres
  ensure_base_image
}
