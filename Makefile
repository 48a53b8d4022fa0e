# Mitmachen – everyday commands. `make run` and `make test` do all the set-up.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# Tests run on 2 xdist workers (docs/testing.md); PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= 2
PYTEST_XDIST = -n $(PYTEST_WORKERS) --dist loadgroup

.PHONY: lock run test test-deps test-fast lint format vendor messages check-deploy seed bench clean help

help:
	@echo "make run      – install, migrate SQLite, load the demo region, serve http://$(HOST):$(PORT)"
	@echo "make test     – install dev dependencies and Chromium, run the whole test suite"
	@echo "make bench    – benchmark on PostgreSQL with city-size data (docs/performance.md)"
	@echo "make lint     – ruff, the import layers (lint-imports) and type checks (mypy)"
	@echo "make vendor   – re-vendor front-end packages (needs npm)"
	@echo "make messages – update and compile translations"
	@echo "make lock     – re-pin all transitive dependencies in requirements.lock"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Mitmachen läuft auf http://$(HOST):$(PORT)/  (Strg+C beendet)"
	DEBUG=1 sh -c '$(PY) manage.py db_worker --queue-name "*" --no-reload & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)'

seed: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo

# What the tests need besides Python: Chromium, Java and pdftoppm (docs/testing.md).
test-deps: $(VENV)/.installed-dev
	sh scripts/ensure_debian.sh /usr/bin/chromium:chromium java:default-jre-headless pdftoppm:poppler-utils

test: test-deps
	$(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# Re-pin every transitive dependency after changing pyproject.toml (needs the registry).
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet -e '.[dev]'
	{ head -3 requirements.lock; var/lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e\|^mitmachen'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf var/lock-venv

# Not part of `make test`: loads the platform under gunicorn with wrk (docs/performance.md).
BENCH_ARGS ?=
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py $(BENCH_ARGS)

test-fast: $(VENV)/.installed-dev
	$(PY) -m pytest -m "not browser" $(PYTEST_XDIST) $(PYTEST_ARGS)

# mypy (settings in pyproject.toml) runs with DEBUG=1: its Django plugin loads
# config.settings, which refuses to start without SECRET_KEY otherwise.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=1 $(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

vendor: $(PY)
	$(PY) scripts/vendor.py

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=static/vendor --ignore=var
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

check-deploy: $(VENV)/.installed
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=beteiligung.example.org \
		SITE_URL=https://beteiligung.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache
