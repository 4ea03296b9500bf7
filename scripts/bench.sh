#!/usr/bin/env bash
# Benchmarks: makes sure the services are up, then runs bench/<name>.ts (all when no name is given).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_services
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}}
export DATABASE_URL=${DATABASE_URL:-postgres://berth:berth@127.0.0.1:${PG_PORT}/berth}
# The platform runs compiled, as `npm run up` runs it.
npm run --silent build >/dev/null
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(deploy logs release start-up rebuild workers router api follower log-search backup app-metrics access-log release-switch)
for name in "${names[@]}"; do
  echo "== bench/$name.ts"
  node --conditions=@berth/source --import tsx "bench/$name.ts"
done
