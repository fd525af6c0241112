# Townhall set-up, run and test. `make run` and `make test` are the whole set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
VENDOR := townhall/static/vendor

.PHONY: run test test-sqlite test-postgres setup setup-dev assets messages messages-update lint format lock clean bench

run: setup
	$(BIN)/townhall migrate --noinput
	$(BIN)/townhall demo --if-empty
	@echo ""
	@echo "  Townhall is at http://127.0.0.1:$(PORT)/"
	@echo "  Demo sign-ins (password for all: townhall-demo-2026):"
	@echo "    admin, manager (IT manager), staff, liaison (Public Works), board, viewer"
	@echo ""
	@# `townhall worker` supervises: it starts its worker process again whenever it stops.
	@trap 'kill 0' EXIT; $(BIN)/townhall worker & $(BIN)/townhall serve --port $(PORT)

test: setup-dev
	bash scripts/test.sh

test-sqlite: setup-dev
	$(BIN)/pytest

test-postgres: setup-dev
	DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

setup: $(BIN)/.installed assets messages
setup-dev: $(BIN)/.installed-dev assets messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/.installed: $(BIN)/python requirements/base.txt pyproject.toml
	bash scripts/system-libs.sh
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/base.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/python requirements/dev.txt pyproject.toml
	bash scripts/system-libs.sh
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@ $(BIN)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compile the translations (townhall/locale/*/LC_MESSAGES/django.po) into the .mo files Django
# reads; the .mo files are built here, never kept in the repository. Needs msgfmt (gettext).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard townhall/locale/*/LC_MESSAGES/django.po))
messages: $(MESSAGES)
$(MESSAGES): %.mo: %.po
	@bash scripts/system-libs.sh
	cd townhall && ../$(BIN)/townhall compilemessages --verbosity 0

# Gather the public site's strings into the Spanish catalogue, to translate there: only the
# public app and its templates (staff pages stay in English).
PUBLIC_IGNORE = $(foreach d,$(filter-out public templates locale static,$(notdir $(patsubst %/,%,$(wildcard townhall/*/)))),--ignore=$(d)) \
	$(foreach d,$(filter-out public,$(notdir $(patsubst %/,%,$(wildcard townhall/templates/*/)))),--ignore=templates/$(d)) \
	--ignore=static --ignore=tests --ignore=migrations
messages-update: $(BIN)/.installed
	cd townhall && ../$(BIN)/townhall makemessages -l es --no-obsolete --no-location $(PUBLIC_IGNORE)

# Copy the precompiled USWDS and htmx files from npm into static files (nothing is built).
assets: node_modules/.installed
	@mkdir -p $(VENDOR)/uswds $(VENDOR)/htmx $(VENDOR)/cytoscape
	@cp -r node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/js \
	      node_modules/@uswds/uswds/dist/fonts node_modules/@uswds/uswds/dist/img $(VENDOR)/uswds/
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	@cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape/

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-lock Python dependencies after editing requirements/*.in (needs network to PyPI).
lock:
	$(BIN)/pip install --quiet uv
	cd requirements && ../$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --no-header base.in -o base.txt
	cd requirements && ../$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --no-header dev.in -o dev.txt

bench: setup-dev
	@for b in $$(ls bench/*.py 2>/dev/null); do echo "== $$b"; $(BIN)/python $$b $(BENCH_ARGS) || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
