# Tuijin — two commands: `make run` (set up and serve) and `make test` (set up and run the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The development server's environment: local keys made once under var/, debug and demo mode on.
RUNENV := SECRET_KEY_FILE=var/secret_key FIELD_KEYS_FILE=var/field_keys FIELD_INDEX_KEY_FILE=var/field_index_key \
	DEBUG=1 DEMO_MODE=1

.PHONY: run test setup assets translations db demo lint test-sqlite test-postgres bench clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	$(PY) scripts/compile_translations.py

setup: $(VENV)/.installed node_modules/.installed translations
	mkdir -p var

# Development server with the demo scenario (loaded once).
run: setup
	@test -f var/secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(48))" > var/secret_key
	@test -f var/field_keys || $(PY) -m tuijin.lib.crypto_keys k1 > var/field_keys
	@test -f var/field_index_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(32))" > var/field_index_key
	@chmod 600 var/secret_key var/field_keys var/field_index_key
	$(RUNENV) $(PY) -m tuijin migrate --noinput -v0
	$(RUNENV) $(PY) -m tuijin load-demo
	@echo "tuijin tick runs every 5 minutes in the background (log: var/tick.log)"
	$(RUNENV) $(PY) -m tuijin tick --every 300 > var/tick.log 2>&1 & TICK=$$!; \
	  trap "kill $$TICK 2>/dev/null" EXIT; \
	  $(RUNENV) $(PY) -m tuijin runserver 127.0.0.1:$(PORT)

# The whole suite on SQLite (browser tests included), then again on a throwaway PostgreSQL.
test: setup lint test-sqlite test-postgres

lint: setup
	$(VENV)/bin/ruff check .
	SECRET_KEY=lint-only-secret-key-0123456789abcdef $(PY) manage.py makemigrations --check --dry-run -v0

test-sqlite: setup
	$(VENV)/bin/pytest -q

test-postgres: setup
	scripts/with-postgres.sh $(VENV)/bin/pytest -q

# Benchmarks on a generated city (docs/PERFORMANCE.md): SQLite, then a throwaway PostgreSQL; `--province` adds
# the cockpit's growth on ten times the data. Exits non-zero when a target is missed.
bench: setup
	$(PY) bench/run.py; missed=$$?; scripts/with-postgres.sh $(PY) bench/run.py && exit $$missed

clean:
	rm -rf $(VENV) node_modules var
