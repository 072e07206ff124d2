#!/usr/bin/env bash
# The whole test suite: lint, SQLite, PostgreSQL, then Chromium (with the reach checkers).
# A missing PostgreSQL or Chromium is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DJANGO_SETTINGS_MODULE=simbaumi.settings.test
start=$(date +%s)
workers="${TEST_WORKERS:-2}"

echo "== 1/5 Lint (ruff) =="
ruff check .
ruff format --check .

echo "== 2/5 Tests on SQLite, with coverage =="
env -u DATABASE_URL pytest -m "not browser" -n "$workers" -q --cov --cov-report=

echo "== 3/5 Coverage floor =="
# Measured on the SQLite stage (line and branch); raise a floor when coverage rises.
floor() {
  local label="$1" minimum="$2"
  shift 2
  echo "  $label: $(coverage report --format=total "$@") % (floor $minimum %)"
  coverage report --fail-under="$minimum" "$@" >/dev/null
}
floor "all apps" 92
floor "sme_registry" 92 --include="sme_registry/*"
floor "training_pages" 93 --include="training_pages/*"

echo "== 4/5 Tests on PostgreSQL =="
scripts/with-postgres.sh pytest -m "not browser" -n "$workers" -q

echo "== 5/5 Browser tests in Chromium (with axe, the Nu HTML checker and Lighthouse) =="
scripts/ensure-chromium.sh
scripts/ensure-node-tools.sh
env -u DATABASE_URL REQUIRE_BROWSER=1 pytest -m browser -p no:randomly -q

echo "All tests passed in $(( $(date +%s) - start )) s."
