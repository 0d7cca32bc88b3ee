# Comhla — two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Find a Python 3.12+ by itself: PATH first, then pyenv's installs (where these machines keep it).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 \
	/root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do \
	  c=$$(command -v $$p 2>/dev/null || ls $$p 2>/dev/null | head -n1); \
	  if [ -n "$$c" ] && PYENV_VERSION=3.12.1 $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo $$c; break; fi; done)

VENV := .venv
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# daphne applies one size limit to frames both ways: big enough for a whole board pushed to
# the room (4 MiB); the consumer closes any client frame over 16 KiB with 4413. A handshake
# may wait 30 s (not 5): 400 phones rejoining after a restart queue for the database.
DAPHNE_LIMITS := --websocket-max-message-size 4194304 --websocket-max-frame-size 4194304 \
	--websocket_connect_timeout 30

# Production is the default in project/settings.py; the embedded run relaxes it here, out loud:
# its own SECRET_KEY (made once into .secret-key, git-ignored), plain HTTP on loopback, and
# emailed sign-in codes printed in this terminal. Values already in the environment win.
SECRET_KEY_FILE := .secret-key
EMBEDDED := SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}" COMHLA_HTTPS="$${COMHLA_HTTPS:-0}" \
	COMHLA_CONSOLE_EMAIL="$${COMHLA_CONSOLE_EMAIL:-1}"

HTMX_VERSION := 4.0.1
GOVUK_VERSION := 6.6.0
AXE_VERSION := 4.14.1
SORTABLE_VERSION := 1.15.7

.PHONY: help install run test test-fast test-faults lint format messages vendor migrate demo bench clean

help:
	@echo "make run    — install, migrate, load the demo programmes, serve on http://$(HOST):$(PORT)"
	@echo "make test   — install and run every test (unit, service, consumer, browser), with coverage"
	@echo "make test-faults — the fault suite: Redis, PostgreSQL, network and server failures, a 10-minute soak"
	@echo "make lint   — ruff, ruff format --check, mypy, import-linter (docs/architecture.md), djlint, text marked for translation and a fresh message catalogue, makemigrations --check"
	@echo "make messages — regenerate the message catalogue (project/locale) after changing text people read"
	@echo "make vendor — refresh static/vendor from the npm registry (maintainers only)"
	@echo "make bench  — run the realtime benchmarks (not part of the tests)"

$(VENV)/.installed: pyproject.toml uv.lock
	@if [ -z "$(PYTHON)" ]; then echo "No Python 3.12+ found: install one or set PYTHON=/path/to/python3.12" >&2; exit 1; fi
	@echo "Installing Python packages…"
	@test -x $(PY) || PYENV_VERSION=3.12.1 $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(VENV)/bin/pip install --quiet uv==0.13.8
	@$(UV) sync --locked --python $(PY) --quiet
	@touch $@

install: $(VENV)/.installed

$(SECRET_KEY_FILE): | $(VENV)/.installed
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Made this machine's own SECRET_KEY in $@ (git-ignored; never used in production)"

migrate: install $(SECRET_KEY_FILE)
	@echo "Preparing the database…"
	@$(EMBEDDED) $(PY) manage.py migrate --no-input --verbosity 0

demo: migrate
	@echo "Loading the demo programmes…"
	@$(EMBEDDED) $(PY) manage.py load_demo --verbosity 0

run: demo
	@echo "Preparing the pages (embedded: the SECRET_KEY in $(SECRET_KEY_FILE), plain HTTP, emailed codes shown here)…"
	@$(EMBEDDED) $(PY) manage.py collectstatic --no-input --verbosity 0
	@$(EMBEDDED) $(PY) manage.py demo_logins --url http://$(HOST):$(PORT)
	@$(EMBEDDED) $(VENV)/bin/daphne $(DAPHNE_LIMITS) -b $(HOST) -p $(PORT) project.asgi:application

# Branch coverage of the apps (not tests, benchmarks, migrations: [tool.coverage] in pyproject.toml),
# printed at the end; the floor is the non-browser suite's 91.6 % on SQLite, less 2 for slack.
COVERAGE := --cov --cov-branch --cov-report=term:skip-covered --cov-fail-under=89

test: install
	$(PY) -m pytest $(COVERAGE)

test-fast: install
	$(PY) -m pytest --ignore=tests/browser

# Starts its own redis-server, daphne and TCP proxies on loopback; kills PostgreSQL connections,
# so it runs on PostgreSQL (the local one unless DATABASE_URL says otherwise).
# SOAK_SECONDS=60 shortens the soak for a local try.
test-faults: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	  $(PY) -m pytest tests/faults -m faults -v -s -p no:cacheprovider --timeout 1500

lint: install $(SECRET_KEY_FILE)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(EMBEDDED) $(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint
	$(PY) -m project.i18n_lint
	$(EMBEDDED) $(PY) -m project.i18n_lint --catalogue
	$(EMBEDDED) $(PY) manage.py makemigrations --check --dry-run

# Every string marked for translation (templates and Python) into project/locale: django.pot
# and each language's django.po (translations already made are kept). Needs GNU gettext.
messages: install $(SECRET_KEY_FILE)
	$(EMBEDDED) $(PY) -m project.i18n_lint --write

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install $(SECRET_KEY_FILE)
	$(EMBEDDED) $(PY) benchmarks/board_fanout.py $(BENCH_ARGS)

# Copies pinned, precompiled front-end files into static/vendor (committed).
# Nothing runs npm at run time or in CI.
vendor:
	rm -rf /tmp/comhla-vendor && mkdir -p /tmp/comhla-vendor
	cd /tmp/comhla-vendor && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
	  htmx.org@$(HTMX_VERSION) govuk-frontend@$(GOVUK_VERSION) axe-core@$(AXE_VERSION) sortablejs@$(SORTABLE_VERSION)
	rm -rf static/vendor && mkdir -p static/vendor/htmx static/vendor/axe-core static/vendor/sortablejs
	N=/tmp/comhla-vendor/node_modules; \
	cp $$N/htmx.org/dist/htmx.min.js $$N/htmx.org/dist/ext/hx-ws.min.js $$N/htmx.org/LICENSE static/vendor/htmx/; \
	cp $$N/govuk-frontend/dist/govuk/govuk-frontend.min.css $$N/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/; cp $$N/govuk-frontend/package.json static/vendor/govuk-frontend/package.json; \
	cp $$N/axe-core/axe.min.js $$N/axe-core/LICENSE static/vendor/axe-core/; \
	cp $$N/sortablejs/Sortable.min.js $$N/sortablejs/LICENSE static/vendor/sortablejs/
	printf 'htmx.org %s (0BSD)\nhtmx hx-ws extension %s (0BSD)\ngovuk-frontend %s (MIT, see package.json)\naxe-core %s (MPL-2.0, tests only)\nsortablejs %s (MIT)\n' \
	  $(HTMX_VERSION) $(HTMX_VERSION) $(GOVUK_VERSION) $(AXE_VERSION) $(SORTABLE_VERSION) > static/vendor/VERSIONS.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
