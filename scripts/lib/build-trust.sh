# What builds get of this host's network (issue 27), unless already set: the
# extra CA certificates it trusts (a TLS-inspecting proxy's) and its proxy.
# Sourced by up.sh after services.sh (for `say`). The workers inherit the
# exports; each one set is said, a proxy without its password.
build_trust_env() {
  if [ -z "${BUILD_CA_FILE:-}" ]; then
    local from=
    if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
      BUILD_CA_FILE=$NODE_EXTRA_CA_CERTS from=NODE_EXTRA_CA_CERTS
    elif [ -r /etc/ssl/certs/ca-certificates.crt ]; then
      BUILD_CA_FILE=/etc/ssl/certs/ca-certificates.crt from="the system bundle"
    fi
    if [ -n "$from" ] && grep -q -- '-----BEGIN CERTIFICATE-----' "$BUILD_CA_FILE"; then
      export BUILD_CA_FILE
      say "builds trust the CA certificates of $BUILD_CA_FILE (BUILD_CA_FILE, from $from)"
    else
      unset BUILD_CA_FILE
    fi
  fi
  build_proxy_from BUILD_HTTP_PROXY "${HTTP_PROXY:-${http_proxy:-}}" http_proxy
  build_proxy_from BUILD_HTTPS_PROXY "${HTTPS_PROXY:-${https_proxy:-}}" https_proxy
  if [ -z "${BUILD_NO_PROXY:-}" ] && [ -n "${NO_PROXY:-${no_proxy:-}}" ] && [ -n "${BUILD_HTTP_PROXY:-}${BUILD_HTTPS_PROXY:-}" ]; then
    export BUILD_NO_PROXY=${NO_PROXY:-${no_proxy:-}}
    say "builds skip the proxy for $BUILD_NO_PROXY (BUILD_NO_PROXY, from no_proxy)"
  fi
}

# build_proxy_from VAR value source: sets VAR to the host's proxy unless set, or unless builds could
# not reach it (a container's loopback is its own: the proxy must be reachable from the build network).
build_proxy_from() {
  local var=$1 value=$2 source=$3
  [ -z "${!var:-}" ] && [ -n "$value" ] || return 0
  local shown
  shown=$(printf '%s' "$value" | sed -E 's#//[^/@]*@#//***@#')
  if printf '%s' "$value" | grep -qE '^[a-z]+://([^/@]*@)?(localhost|127\.[0-9.]+|\[::1\])(:|/|$)'; then
    say "not giving builds the proxy $shown ($source): it is on this host's loopback, which builds cannot reach"
    return 0
  fi
  export "$var=$value"
  say "builds use the proxy $shown ($var, from $source)"
}
