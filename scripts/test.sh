#!/usr/bin/env bash
# The README's test command: installs and starts what the tests need (Docker
# Engine, Redis, Postgres, Caddy, git; npm dependencies; local base images),
# then runs unit, integration and end-to-end tests. `npm test -- <filter>`
# passes arguments on to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

ensure_services
ensure_swarm # test/e2e/swarm-runtime.test.ts runs services on a one-node swarm (docker-registry is installed above)
bash scripts/make-caddy-image.sh >/dev/null # berth/caddy: swarm tests run Caddy as a container on the overlay
[ -d node_modules ] || { say "installing npm dependencies"; npm ci --no-audit --no-fund >/dev/null; }
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}}
export DATABASE_URL=${DATABASE_URL:-postgres://berth:berth@127.0.0.1:${PG_PORT}/berth}
say "type-checking"
npx tsc --noEmit -p .
npx tsc --noEmit -p apps/dashboard # the browser app (DOM types, Preact JSX) has its own tsconfig
say "building the compiled programs (what npm run up runs)"
npm run --silent build >/dev/null
say "running tests"
mkdir -p .berth
export BERTH_STATE_DIR
status=0
rm -f .berth/vitest.json .berth/vitest-disruptive.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.berth/vitest.json "$@" || status=$?
# Then, alone, the tests that restart the Docker daemon: for the full suite and for test:faults.
if [ $# -eq 0 ] || [[ " $* " == *" test/faults"* ]]; then
  say "running disruptive fault tests (Docker daemon restart) on their own"
  BERTH_DISRUPTIVE=1 npx vitest run --reporter=default --reporter=json --outputFile.json=.berth/vitest-disruptive.json || status=$?
fi
# The tests' own secrets must never reach a file under the state directory (logs of the services and programs).
if grep -rlsF -e berth_test_admin_token -e berth_rotated_admin_token -e hunter2secret "$BERTH_STATE_DIR" | grep -v '/vitest'; then
  say "error: a test secret was written to the files above"
  status=1
fi
# One plain summary line for CI: "N passed, N failed".
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of [".berth/vitest.json", ".berth/vitest-disruptive.json"]) {
    if (!fs.existsSync(f)) continue;
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests;
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' 2>/dev/null || true
exit $status
