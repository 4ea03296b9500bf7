#!/usr/bin/env bash
# `npm run status | scale | restart | install-service`: the operator's commands
# for a platform `npm run up` started (same settings: scripts/lib/platform-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-runtime.sh
ensure_node_runtime
source scripts/lib/platform-env.sh
# The runtime the last `up` ran with: swarm mode's Caddy admin is a unix socket, not a port.
if [ -z "${BERTH_RUNTIME:-}" ] && [ "$(cat "$BERTH_STATE_DIR/runtime" 2>/dev/null)" = swarm ]; then
  source scripts/lib/swarm.sh
  swarm_env
fi
[ -f apps/supervisor/dist/status-cli.js ] || npm run --silent build >/dev/null
command=${1:-}
shift || true
case $command in
  status) exec node apps/supervisor/dist/status-cli.js "$@" ;;
  scale | restart) exec node apps/supervisor/dist/control-cli.js "$command" "$@" ;;
  install-service) exec node apps/supervisor/dist/install-service-cli.js "$@" ;;
  *) echo "usage: scripts/ctl.sh status|scale|restart|install-service" >&2; exit 2 ;;
esac
