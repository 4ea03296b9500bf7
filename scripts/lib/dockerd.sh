# Sourced by services.sh: the Docker Engine the scripts start when none answers.

# Networks Berth makes (a project's own, the build and app networks, the tests' ones) take their
# subnets from this pool: 4,096 networks of /24 (Docker's defaults give 31 networks of /16 and /20,
# fewer still when the host's routes overlap them). An operator's own dockerd: set the same in
# /etc/docker/daemon.json ("default-address-pools"); docs/operating.md says how.
BERTH_DOCKER_ADDRESS_POOL=${BERTH_DOCKER_ADDRESS_POOL:-base=10.208.0.0/12,size=24}

# The arguments of the dockerd we start, kept where a test that restarts it reads them again. None
# when the machine's daemon.json sets the pools itself (dockerd refuses a setting given twice).
dockerd_args() {
  if grep -qs '"default-address-pools"' /etc/docker/daemon.json; then return 0; fi
  printf '%s\n' --default-address-pool "$BERTH_DOCKER_ADDRESS_POOL"
  # The default bridge would take its subnet from the pool too: it stays where Docker puts it without
  # one (172.17.0.1/16, when nothing else on the host uses it), the address swarm mode advertises.
  if ! grep -qs '"bip"' /etc/docker/daemon.json && default_bridge_subnet_free; then printf '%s\n' --bip 172.17.0.1/16; fi
}

# No route of the host's but docker0's inside or around 172.17.0.0/16.
default_bridge_subnet_free() {
  command -v ip >/dev/null || return 1
  ! { ip -4 route show root 172.17.0.0/16; ip -4 route show match 172.17.0.0/16 | grep -v '^default'; } | grep -v ' dev docker0 ' | grep -q .
}

ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  say "starting dockerd"
  dockerd_args >"$BERTH_STATE_DIR/dockerd.args"
  local args
  mapfile -t args <"$BERTH_STATE_DIR/dockerd.args"
  setsid dockerd "${args[@]}" >"$BERTH_STATE_DIR/dockerd.log" 2>&1 < /dev/null &
  echo $! >"$BERTH_STATE_DIR/dockerd.pid"
  wait_for 60 dockerd docker info
  remove_stale_bridges
}

# A dockerd that was killed leaves its bridges (br- and 12 digits of a network id) on the host, and
# their routes make Docker refuse those subnets for new networks ("could not find an available,
# non-overlapping IPv4 address pool"). Removed: one no network of the dockerd just started owns,
# with no interface on it.
remove_stale_bridges() {
  command -v ip >/dev/null || return 0
  local ids dev
  ids=$(docker network ls --no-trunc -q --filter driver=bridge | cut -c1-12)
  for dev in /sys/class/net/br-*; do
    [ -d "$dev/brif" ] || continue
    dev=${dev##*/}
    [[ $dev =~ ^br-[0-9a-f]{12}$ ]] || continue
    grep -qx "${dev#br-}" <<<"$ids" && continue
    [ -z "$(ls -A "/sys/class/net/$dev/brif")" ] || continue
    ip link delete "$dev" 2>/dev/null && say "removed $dev, a bridge left by a dockerd that is gone"
  done
  return 0
}
