# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   - create .venv, install, migrate, start (terminal chat when no messenger token is set)
#   make test  - install dev dependencies and run the whole suite (tests, ruff, import rules, mypy)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run chat test lint fmt bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
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
	$(BIN)/mypy bot dialogs nlu backend_client notifications

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var
