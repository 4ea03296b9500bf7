#!/usr/bin/env bash
# `npm run berth -- …`: the CLI on Berth's pinned Node runtime.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/lib/node-runtime.sh"
ensure_node_runtime
# An operator's command on the platform itself: the database and key the programs use.
if [ "${1:-}" = secrets ] || [ "${1:-}" = audit ]; then source "$here/scripts/lib/platform-env.sh"; fi
exec node "$here/apps/cli/bin/berth.mjs" "$@"
