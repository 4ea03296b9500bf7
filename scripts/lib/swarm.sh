# Swarm mode for `npm run up -- --swarm` (or BERTH_RUNTIME=swarm): this Docker
# as a one-node swarm manager, an image registry on loopback, and Caddy as a
# container (a host process cannot reach overlay addresses). Every deployment
# runs on an overlay of its own, made by the worker; router-sync connects the
# Caddy container (CADDY_CONTAINER) to the networks of the apps it routes to.
# Caddy's admin API and the API's own socket live in one 0700 directory under
# the state dir, mounted into the Caddy container and used by router-sync: no
# admin port on any network.
# Sourced after services.sh and platform-env.sh; idempotent.

SWARM_DIR="$BERTH_STATE_DIR/caddy"          # admin.sock, api.sock, caddy.json
CADDY_CONTAINER="berth-$BERTH_INSTANCE-caddy"
export CADDY_HTTPS_PORT=${CADDY_HTTPS_PORT:-8443}
# Where the container's ports are published on this host: every interface by
# default, as the host Caddy of docker mode listens (`:8080`); 127.0.0.1 keeps it local.
CADDY_PUBLISH_HOST=${CADDY_PUBLISH_HOST:-0.0.0.0}

# The environment api, workers and router-sync get in swarm mode.
swarm_env() {
  export BERTH_RUNTIME=swarm
  export BERTH_REGISTRY=${BERTH_REGISTRY:-127.0.0.1:5000}
  export CADDY_CONTAINER
  export CADDY_ADMIN_URL="unix://$SWARM_DIR/admin.sock"
  export CADDY_ADMIN_LISTEN="unix/$SWARM_DIR/admin.sock"
  export API_SOCKET_PATH="$SWARM_DIR/api.sock"
  export API_UPSTREAM="unix/$SWARM_DIR/api.sock"
  # Inside the container Caddy listens on the same port numbers it is published on.
  export CADDY_HTTP_LISTEN=":$CADDY_HTTP_PORT"
  export CADDY_HTTPS_LISTEN=":$CADDY_HTTPS_PORT"
  export BERTH_SUPERVISE_CADDY=false
}

# Debian's docker-registry on BERTH_REGISTRY (loopback, plain HTTP: one node), unless one answers there.
ensure_registry() {
  if curl -fsS "http://$BERTH_REGISTRY/v2/" >/dev/null 2>&1; then return 0; fi
  case $BERTH_REGISTRY in
    127.*:*) ;;
    *) die "no registry answers at $BERTH_REGISTRY; up starts one only on loopback (127.0.0.1:<port>)" ;;
  esac
  local dir="$BERTH_STATE_DIR/registry"
  mkdir -p "$dir/data"
  # delete.enabled: the reaper deletes a reaped deployment's copy (its manifest), so nobody pulls it later.
  printf 'version: 0.1\nlog: { level: warn }\nstorage:\n  filesystem: { rootdirectory: %s/data }\n  delete: { enabled: true }\nhttp:\n  addr: %s\n' \
    "$dir" "$BERTH_REGISTRY" >"$dir/config.yml"
  say "starting the image registry on $BERTH_REGISTRY (storage $dir/data)"
  setsid docker-registry serve "$dir/config.yml" >"$BERTH_STATE_DIR/registry.log" 2>&1 </dev/null &
  echo $! >"$BERTH_STATE_DIR/registry.pid"
  wait_for 20 registry curl -fsS "http://$BERTH_REGISTRY/v2/"
}

# Caddy as a container (re)made on every up: on the default bridge with its ports published;
# router-sync connects it to the apps' networks (it starts on none of them).
start_caddy_container() {
  local image
  image=$(bash scripts/make-caddy-image.sh)
  mkdir -p "$SWARM_DIR"
  chmod 700 "$SWARM_DIR"
  printf '{"admin":{"listen":"unix/%s/admin.sock"}}\n' "$SWARM_DIR" >"$SWARM_DIR/caddy.json"
  docker rm -f "$CADDY_CONTAINER" >/dev/null 2>&1 || true
  rm -f "$SWARM_DIR/admin.sock"
  docker run -d --name "$CADDY_CONTAINER" --label "dev.berth.caddy=$BERTH_INSTANCE" \
    --restart unless-stopped --cap-drop ALL --security-opt no-new-privileges \
    -p "$CADDY_PUBLISH_HOST:$CADDY_HTTP_PORT:$CADDY_HTTP_PORT" -p "$CADDY_PUBLISH_HOST:$CADDY_HTTPS_PORT:$CADDY_HTTPS_PORT" \
    -v "$SWARM_DIR:$SWARM_DIR" "$image" run --config "$SWARM_DIR/caddy.json" >/dev/null
  wait_for 20 "caddy container" test -S "$SWARM_DIR/admin.sock"
  say "started Caddy as container $CADDY_CONTAINER ($image), admin socket $SWARM_DIR/admin.sock"
}

ensure_swarm_platform() {
  ensure_swarm
  ensure_registry
  start_caddy_container
}
