# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi:app

.PHONY: run test lint audit format worker bench bench-reports clean messages pot catalogues

define make_venv
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "workplan needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e "$(1)"
	@touch $@
endef

$(VENV)/.installed-run: pyproject.toml
	$(call make_venv,.)

$(VENV)/.installed-test: pyproject.toml
	$(call make_venv,.[test])

## run: set up (venv, migrations, plan, coordinator account) and serve on http://$(HOST):$(PORT)
run: $(VENV)/.installed-run catalogues
	$(BIN)/flask db upgrade
	$(BIN)/flask setup
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## test: set up the test environment, lint (offline), and run the whole suite
test: $(VENV)/.installed-test catalogues lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## worker: an RQ worker producing reports (needs REDIS_URL, and DATABASE_URL like the web app)
worker: $(VENV)/.installed-run catalogues
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0). Without Redis, reports are produced inside the web process and no worker is needed."; exit 1; }
	$(BIN)/flask jobs worker

## bench-reports: time and peak memory of each report format at scales 1 and 100 -> bench/RESULTS.md
bench-reports: $(VENV)/.installed-test
	$(BIN)/python -m bench.bench_reports --scales 1 100 --write

## lint: ruff (rules and format) and bandit on workplan/ (a high severity finding fails); offline
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r workplan -q --severity-level high

# Known vulnerabilities accepted for want of a fix: one `--ignore-vuln ID` per entry, each with
# its reason on the line above it and in the README ("Tests"). None at present.
PIP_AUDIT_IGNORE :=
# PIP_AUDIT_ARGS=--strict also fails when a package could not be looked up.
PIP_AUDIT_ARGS ?=

## audit: pip-audit of the installed dependencies (needs PyPI; CI runs it, `make test` does not)
audit: $(VENV)/.installed-test
	@$(BIN)/pip-audit --skip-editable --progress-spinner off $(PIP_AUDIT_IGNORE) $(PIP_AUDIT_ARGS) \
		> $(VENV)/pip-audit.txt 2>&1; status=$$?; grep -v "is ignored" $(VENV)/pip-audit.txt; \
	unchecked=$$(grep -c "could not be audited" $(VENV)/pip-audit.txt); \
	if [ "$$unchecked" -gt 0 ]; then echo "WARNING: pip-audit could not look up $$unchecked" \
		"package(s) (no vulnerability data reached it): they were NOT checked."; fi; \
	exit $$status

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: pages (dashboard, matrix, my organisation, recommendation, share, meeting, update POST)
## and a mixed load run, under gunicorn on 127.0.0.1, each against /healthz, at scales 1 and 100 on
## SQLite and PostgreSQL (TEST_POSTGRES_URL; a database of its own, dropped afterwards). The load
## generator is bench/load.py (Python): wrk is not needed. Quick run, e.g.:
##   make bench BENCH_ARGS="--scale 1 --database sqlite --requests 10 --seconds 5"
## Add --write --title "..." to record a dated section in bench/RESULTS.md.
BENCH_ARGS ?= --scale 1 --scale 100 --database sqlite --database postgresql
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.bench_pages $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

## messages: extract the strings marked for translation, update each language's catalogue
## (workplan/translations/<lang>/LC_MESSAGES/messages.po) and compile it
POT ?= workplan/translations/messages.pot
messages: $(VENV)/.installed-test pot
	$(BIN)/pybabel update -i $(POT) -d workplan/translations --no-wrap --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d workplan/translations --statistics

# The template of every string to translate (not kept in git; a test compares it with the
# catalogues, so a string marked but not translated fails the suite). Babel skips folders whose
# name starts with "_" unless told otherwise: templates/_macros and templates/_partials hold
# strings too, so only hidden folders (.venv, .git) are skipped.
pot:
	$(BIN)/pybabel --quiet extract -F babel.cfg --ignore-dirs '.*' -k lazy_gettext -k _l -k _n:1,2 -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 \
		--add-comments=Translators: --no-location --sort-output --no-wrap --omit-header -o $(POT) .

# The compiled catalogues (.mo) are not kept in git: they are built from the .po files by the
# install step of `make run` and `make test`, and again whenever a .po file changes.
CATALOGUES_PO := $(wildcard workplan/translations/*/LC_MESSAGES/messages.po)
CATALOGUES_MO := $(CATALOGUES_PO:.po=.mo)

%.mo: %.po
	$(BIN)/pybabel compile -i $< -o $@

catalogues: $(CATALOGUES_MO)
