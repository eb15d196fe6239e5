# Showcase: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
CSS := build/static/css/main.css
MAP_OUTLINE := build/maps/outline.json
GOVUK := node_modules/govuk-frontend/dist/govuk
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test bench requirements install assets lint check test-sqlite test-postgres e2e-browser clean

help:
	@echo "make run    - set up everything and serve the site on http://$(HOST):$(PORT)/"
	@echo "make test   - set up everything and run lint, migration checks and the tests on SQLite and PostgreSQL"

# python3 resolves to 3.12 through .python-version (pyenv); refuse anything older.
$(PYTHON):
	@python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Showcase needs Python 3.12 or newer (see .python-version); python3 is " + sys.version.split()[0])'
	python3 -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-dev.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(INSTALLED) $(NODE_INSTALLED)

$(CSS): $(NODE_INSTALLED) $(wildcard static/scss/*.scss)
	mkdir -p build/static/css build/static/govuk
	npm run --silent build
	# GOV.UK Frontend's images and JavaScript; its fonts are GDS Transport, which this site may not use.
	rm -rf build/static/govuk/assets
	mkdir -p build/static/govuk/assets
	cp -R $(GOVUK)/assets/images build/static/govuk/assets/images
	cp $(GOVUK)/govuk-frontend.min.js build/static/govuk/govuk-frontend.min.js

# The map's coastline, derived from Natural Earth (the world-atlas package) for maps.outline.
$(MAP_OUTLINE): $(NODE_INSTALLED) maps/build_outline.mjs
	node maps/build_outline.mjs $@

assets: $(CSS) $(MAP_OUTLINE)

# Links in emails point where this server listens (unless SITE_URL says otherwise).
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install assets
	$(PYTHON) manage.py migrate --no-input
	$(PYTHON) manage.py load_demo --if-empty
	@echo "Starting the background worker (email and other tasks) beside the web server."
	@$(PYTHON) manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PYTHON) manage.py runserver $(HOST):$(PORT)

# Benchmarks: gunicorn on a throwaway PostgreSQL (BENCH_DATABASE=sqlite for SQLite), every address new, driven by wrk; writes docs/benchmarks.md.
bench: install assets
	$(PYTHON) tests/benchmark.py

# After editing requirements.in or requirements-dev.in: pin what they need, keeping
# every version already pinned unless the change needs another.
requirements: $(INSTALLED)
	$(VENV)/bin/uv pip compile --quiet --python-version 3.12 requirements.in -o requirements.txt
	$(VENV)/bin/uv pip compile --quiet --python-version 3.12 requirements-dev.in -o requirements-dev.txt

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(PYTHON) manage.py check
	$(PYTHON) manage.py makemigrations --check --dry-run

test: install assets lint check
	$(PYTHON) tests/run_suites.py

clean:
	rm -rf $(VENV) node_modules build db.sqlite3 media
