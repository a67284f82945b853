#!/usr/bin/env bash
# `make test`: every test — unit, integration on SQLite and PostgreSQL, and the
# Playwright browser tests (desktop and phone) against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
# One clean build, not an editing session: incremental caches would only take disk (GBs on CI).
export CARGO_INCREMENTAL=0
step() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }

step "Formatting, clippy and the app's layers"
scripts/lint.sh

step "PostgreSQL for the integration tests"
TEST_PG_URL=$(scripts/pg.sh)
export TEST_PG_URL
echo "    $TEST_PG_URL"

step "Unit and integration tests (SQLite and PostgreSQL)"
# Bounded: a hung test fails the run instead of eating CI's 90 minutes.
timeout 1800 cargo test -p app -p server

step "Release build"
scripts/build.sh

step "Browser tests (Chromium: desktop and phone)"
cd end2end
AXE_REPORT=1 npx playwright test
