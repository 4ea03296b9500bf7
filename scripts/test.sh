#!/usr/bin/env bash
# The README's test command: installs and starts what the tests need (Docker
# Engine, Redis, Postgres, Caddy, git; npm dependencies; local base images),
# then runs unit, integration and end-to-end tests. `npm test -- <filter>`
# passes arguments on to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

ensure_services
[ -d node_modules ] || { say "installing npm dependencies"; npm ci --no-audit --no-fund >/dev/null; }
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}}
export DATABASE_URL=${DATABASE_URL:-postgres://berth:berth@127.0.0.1:${PG_PORT}/berth}
say "type-checking"
npx tsc --noEmit -p .
say "running tests"
mkdir -p .berth
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.berth/vitest.json "$@" || status=$?
# One plain summary line for CI: "N passed, N failed".
node -e '
  const r = require("./.berth/vitest.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' 2>/dev/null || true
exit $status
