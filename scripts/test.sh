#!/usr/bin/env bash
# The one test command (README: `npm test`). On a fresh machine it installs what it needs
# (npm packages, Debian's Chromium for the browser tests), then runs every check:
# type checks, unit + integration tests, the dashboard build and the end-to-end browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# npm packages (better-sqlite3 builds from source here: its install script is approved in
# package.json "allowScripts", so no npm version skips it).
# `npm install` (not `npm ci`): it installs the locked versions too, and unlike `npm ci` it
# accepts a lock file that lists only this platform's optional packages (rollup's native builds).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  step "Installing npm packages"
  npm install --no-audit --no-fund
fi
node -e "require('better-sqlite3')" 2>/dev/null || { step "Building better-sqlite3 for this Node"; npm rebuild better-sqlite3; }

# Debian's Chromium for the dashboard end-to-end tests (Playwright's own browser download is
# not possible here). The e2e tests fail, never skip, when it is missing.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "Installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get update && sudo apt-get install -y chromium' (the e2e tests need /usr/bin/chromium)." >&2
  fi
fi

# A Redis-compatible server for the shared-state tests (test/shared-servers.global-setup.ts starts
# it on a free port in a temp folder). Debian 12 ships redis-server 7, not Valkey; Switchboard uses
# only commands both speak, and the tests use valkey-server instead when it is installed. The
# tests fail, never skip, when neither is there.
if ! command -v valkey-server >/dev/null && ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "Installing Debian's redis-server"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is missing: run 'sudo apt-get update && sudo apt-get install -y redis-server' (the shared-state tests need it)." >&2
  fi
fi

# PostgreSQL for the team store's tests (test/fixtures/postgres-server.ts runs Debian's binaries
# from /usr/lib/postgresql/<version>/bin on a free port in a temp folder, as the `postgres` user
# when run as root). The tests fail, never skip, when it is missing.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "Installing Debian's postgresql"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is missing: run 'sudo apt-get update && sudo apt-get install -y postgresql' (the team store's tests need it)." >&2
  fi
fi

results=$(mktemp -d)
step "Type checks"
npm run --silent typecheck

step "Build (engine, desktop bundles, dashboard)"
node scripts/build.mjs all --quiet

step "Unit and integration tests"
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$results/unit.json" || status=$?

if [ -f test/e2e/vitest.config.ts ]; then
  step "End-to-end tests in Chromium"
  npx vitest run --config test/e2e/vitest.config.ts --reporter=default --reporter=json --outputFile="$results/e2e.json" || status=$?
fi

# One plain closing line that any CI reader understands.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
  }
  console.log(`\nSummary: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results"
exit $status
