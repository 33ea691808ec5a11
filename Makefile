# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   - create .venv, install, migrate, start (terminal chat when no messenger token is set)
#   make test  - install dev dependencies, run the whole suite (pytest, ruff, import rules, mypy)
# Reinstalls happen only when pyproject.toml changes (stamp files in .venv).

PYTHON   ?= $(shell command -v python3.11 || command -v python3)
VENV     ?= .venv
BIN      := $(VENV)/bin
PACKAGES := bot dialogs nlu backend_client notifications

.PHONY: run chat test lint fmt bench rasa clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "make: Python 3.11 not found (python3.11 or python3 on PATH)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/frontdoor migrate
	$(BIN)/frontdoor run

chat: $(VENV)/.installed
	$(BIN)/frontdoor chat

test: $(VENV)/.installed-dev
	$(BIN)/pytest
	$(MAKE) --no-print-directory lint

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy $(PACKAGES)

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	@set -e; for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script; done

# Rasa 3.6 for the side-by-side benchmark (benchmarks/nlu_vs_rasa.py) and the Rasa HTTP adapter's
# integration test: its own Python 3.10 environment, since Rasa 3.6 does not install on 3.11. Never part
# of `make test`; the tests that need it skip without it. Takes several minutes and ~1.5 GB once.
# The first interpreter that really runs 3.10 (a pyenv shim may exist without the version selected).
RASA_PYTHON ?= $(shell for py in python3.10 $(HOME)/.pyenv/versions/3.10.*/bin/python; do \
	$$py -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo $$py; break; }; done)
RASA_VENV   ?= .venv-rasa

$(RASA_VENV)/.installed:
	@test -n "$(RASA_PYTHON)" || { echo "make: Python 3.10 not found (python3.10 on PATH or RASA_PYTHON=...)" >&2; exit 1; }
	$(RASA_PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install --quiet --upgrade "pip<24.1"
	$(RASA_VENV)/bin/python -m pip install --quiet "rasa==3.6.21"
	touch $@

rasa: $(RASA_VENV)/.installed
	@echo "Rasa ready: $(RASA_VENV)/bin/rasa; run $(BIN)/python benchmarks/nlu_vs_rasa.py"

# Build and tool caches only: var/ holds the local database and exports, and stays.
clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .hypothesis
