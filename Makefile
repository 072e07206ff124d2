# SI MBA UMI — run `make help` for the list of targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 0.0.0.0
PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(RUNTIME_STAMP): requirements.txt package-lock.json
	@scripts/ensure-venv.sh "$(PYTHON)" "$(VENV)"
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements.txt
	@scripts/ensure-frontend.sh
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

.PHONY: install
install: $(RUNTIME_STAMP) ## Create .venv and install the runtime dependencies (only when they changed)

.PHONY: install-dev
install-dev: $(DEV_STAMP) ## Install the test and development tools too (with the browser stage's Node.js and Java checkers)
	@scripts/ensure-node-tools.sh

.PHONY: run
run: $(RUNTIME_STAMP) ## Migrate, load demo content, serve on port 8000 with the background worker
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@scripts/run-with-worker.sh "$(PY)" "$(HOST):$(PORT)"

.PHONY: test
test: $(DEV_STAMP) ## Run every test: SQLite, then PostgreSQL, then the browser tests
	@scripts/test.sh

.PHONY: test-fast
test-fast: $(DEV_STAMP) ## Run the non-browser tests on SQLite only
	$(VENV)/bin/pytest -m "not browser" -n 2

.PHONY: bench
bench: $(RUNTIME_STAMP) ## Public pages against a stock Wagtail project, staff screens at 10k and 1M businesses (QUICK=1: 10k and 50k); writes bench/RESULTS.md
	scripts/with-postgres.sh $(PY) bench/site.py $(if $(QUICK),--quick) $(ARGS)

.PHONY: bench-api
bench-api: $(RUNTIME_STAMP) ## Time the registry API at 10k and 50k businesses (throw-away PostgreSQL; ARGS=... for others)
	scripts/with-postgres.sh $(PY) bench/api.py $(if $(ARGS),$(ARGS),--quick)

.PHONY: bench-import
bench-import: $(RUNTIME_STAMP) ## Rows per second and peak memory of the bulk import (throw-away PostgreSQL; ARGS=... for others)
	scripts/with-postgres.sh $(PY) bench/imports.py $(if $(ARGS),$(ARGS),--quick)

.PHONY: lint
lint: $(DEV_STAMP) ## Check style and common mistakes with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: format
format: $(DEV_STAMP) ## Reformat the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: messages
messages: $(DEV_STAMP) ## Update locale/*/django.po from the source and compile them
	cd . && $(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=static_collected --ignore=node_modules --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

.PHONY: clean
clean: ## Remove the virtualenv, caches and the development database
	rm -rf $(VENV) .pytest_cache .ruff_cache db.sqlite3 static_collected
