#!/usr/bin/env bash
# `npm run berth -- …`: the CLI on Berth's pinned Node runtime.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/lib/node-runtime.sh"
ensure_node_runtime
exec node "$here/apps/cli/bin/berth.mjs" "$@"
