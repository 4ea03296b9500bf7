#!/usr/bin/env bash
# The README's test command: installs and starts what the tests need (Docker
# Engine, Redis, Postgres, Caddy, git; npm dependencies; local base images),
# then runs every tier (test/README.md: unit, integration, stack, browser, faults) in one vitest
# run, the swarm matrix, and the disruptive fault tests alone. `npm test -- <filter>` passes
# arguments on to vitest (`npm test -- --project integration`: one tier).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
source scripts/lib/gates.sh

ensure_services
ensure_swarm # test/stack/e2e/swarm-runtime.test.ts runs services on a one-node swarm (docker-registry is installed above)
bash scripts/make-caddy-image.sh >/dev/null # berth/caddy: swarm tests run Caddy as a container on the overlay
[ -d node_modules ] || { say "installing npm dependencies"; npm ci --no-audit --no-fund >/dev/null; }
# The whole suite builds a Python and a Go app and runs Postgres and Redis services: their images (Debian's
# packages, minutes on a fresh machine) start now, beside the type-check and the first tests; whatever
# needs one waits for it (make-debian-image.sh takes a lock per image).
language_images=
if [ $# -eq 0 ]; then
  mkdir -p "$BERTH_STATE_DIR/logs"
  node --import tsx -e 'import("./apps/worker/src/build/language-runtimes.ts").then((m) => { for (const [image, packages] of Object.entries(m.debianBaseImages)) console.log(image, ...packages); })' |
    {
      while read -r image packages; do
        # shellcheck disable=SC2086 # the package list splits into words on purpose
        bash scripts/make-debian-image.sh "$image" $packages >/dev/null &
      done
      bash scripts/make-service-images.sh >/dev/null & # Postgres and Redis for the services tests
      wait
    } >"$BERTH_STATE_DIR/logs/language-images.log" 2>&1 &
  language_images=$!
fi
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}}
export DATABASE_URL=${DATABASE_URL:-postgres://berth:berth@127.0.0.1:${PG_PORT}/berth}
# Four single-threaded gates at once (two cores; the type-checks finish while the lint's typed rules run):
# the type-checks, the lint gate (eslint.config.js: unused code, floating promises, type-only imports, import
# cycles) and the compiled programs (what npm run up runs). Each one's output is shown only if it fails.
say "type-checking, linting and building the compiled programs"
run_gates \
  "npx tsc --noEmit -p ." \
  "npx tsc --noEmit -p apps/dashboard" \
  "npm run --silent lint" \
  "npm run --silent build"
say "running tests"
mkdir -p .berth
export BERTH_STATE_DIR
status=0
rm -f .berth/vitest.json .berth/vitest-disruptive.json .berth/vitest-swarm.json
# `npm test -- --swarm [files]`: only the swarm matrix below (or the given files with BERTH_RUNTIME=swarm).
swarm_only=
if [ "${1:-}" = --swarm ]; then swarm_only=1; shift; fi
[ -n "$swarm_only" ] || npx vitest run --reporter=default --reporter=json --outputFile.json=.berth/vitest.json "$@" || status=$?
# The runtime matrix: the end-to-end and fault tests that apply to both runtimes run a second time with
# BERTH_RUNTIME=swarm (services on overlays of their own, images through a registry, Caddy as a container on them).
# Left out: tests of what only docker mode has (the isolated bridge, host-dialled containers) and the
# slow ones whose swarm paths test/stack/e2e/swarm-*.test.ts already cover.
SWARM_MATRIX=(
  test/stack/e2e/deploy.test.ts
  test/stack/e2e/runtime-logs.test.ts
  test/faults/app-crash.test.ts
  test/faults/cancel.test.ts
  test/faults/reaper.test.ts
  test/faults/restarts.test.ts
  test/faults/worker-crash.test.ts
)
if [ -n "$swarm_only" ] || [ $# -eq 0 ]; then
  say "running the swarm matrix (BERTH_RUNTIME=swarm)"
  files=("$@")
  [ ${#files[@]} -gt 0 ] || files=("${SWARM_MATRIX[@]}")
  # Longer per-test limits: each swarm deploy also pushes to a test registry that starts empty and waits
  # for Swarm's first health check (the waits in the tests scale the same way: runtimeWait in @berth/testing).
  BERTH_RUNTIME=swarm npx vitest run --testTimeout=180000 --hookTimeout=180000 --reporter=default --reporter=json --outputFile.json=.berth/vitest-swarm.json "${files[@]}" || status=$?
fi
# Then, alone, the tests that restart the Docker daemon: for the full suite and for the faults tier
# (`npm run test:faults`, `npm test -- --project faults`).
if [ -z "$swarm_only" ] && { [ $# -eq 0 ] || [[ " $* " == *" test/faults"* ]] || [[ " $* " == *" --project faults "* ]]; }; then
  say "running disruptive fault tests (Docker daemon restart, a second swarm node) on their own, one at a time"
  BERTH_DISRUPTIVE=1 npx vitest run --reporter=default --reporter=json --outputFile.json=.berth/vitest-disruptive.json || status=$?
fi
[ -z "$language_images" ] || wait "$language_images" || true
# The tests' own secrets must never reach a file under the state directory (logs of the services and programs).
if grep -rlsF -e berth_test_admin_token -e berth_rotated_admin_token -e hunter2secret "$BERTH_STATE_DIR" | grep -v '/vitest'; then
  say "error: a test secret was written to the files above"
  status=1
fi
# One plain summary line for CI: "N passed, N failed".
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of [".berth/vitest.json", ".berth/vitest-disruptive.json", ".berth/vitest-swarm.json"]) {
    if (!fs.existsSync(f)) continue;
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests;
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' 2>/dev/null || true
exit $status
