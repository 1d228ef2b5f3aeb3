# Two commands for a newcomer: `make run` and `make test`. Both work from a fresh clone
# with nothing but Python 3.11+; they create .venv and install pinned requirements.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=
# `make run PORT=8000`: links in certificates and QR codes follow unless PUBLIC_BASE_URL is set.
PORT ?= 5000
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint translations translations-update install install-dev clean help

help:
	@echo "make run    - install, migrate, load demo data if empty, serve http://127.0.0.1:5000 (PORT=...)"
	@echo "make test   - install dev requirements, run ruff and pytest"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.stamp-runtime

install: $(VENV)/.stamp-runtime
install-dev: $(VENV)/.stamp-dev

translations: $(VENV)/.stamp-runtime
	$(BIN)/pybabel compile -d app/translations

# After adding UI strings: extract them, merge into the catalog, then translate the new entries.
translations-update: $(VENV)/.stamp-runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations \
		--ignore-obsolete --no-fuzzy-matching -w 100

run: install translations
	$(FLASK) db upgrade
	@printf 'Database schema at revision: ' && $(FLASK) db current
	$(FLASK) seed-demo --if-empty
	$(FLASK) video demo
	PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .

test: install-dev translations lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
