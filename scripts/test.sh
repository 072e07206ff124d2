#!/usr/bin/env bash
# The whole test suite: lint, SQLite, PostgreSQL, then Chromium.
# A missing PostgreSQL or Chromium is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE=simbaumi.settings.test
start=$(date +%s)
workers="${TEST_WORKERS:-2}"

echo "== 1/4 Lint (ruff) =="
ruff check .

echo "== 2/4 Tests on SQLite =="
env -u DATABASE_URL pytest -m "not browser" -n "$workers" -q

echo "== 3/4 Tests on PostgreSQL =="
scripts/with-postgres.sh pytest -m "not browser" -n "$workers" -q

echo "== 4/4 Browser tests in Chromium =="
scripts/ensure-chromium.sh
env -u DATABASE_URL REQUIRE_BROWSER=1 pytest -m browser -p no:randomly -q

echo "All tests passed in $(( $(date +%s) - start )) s."
