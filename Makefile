# Handlesim: every target creates .venv and installs into it when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bdd bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/handlesim run scenarios/baseline.yaml

lint: $(STAMP)
	$(BIN)/ruff check simulator tests bench
	$(BIN)/ruff format --check simulator tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

bdd: $(STAMP)
	mkdir -p reports/bdd
	$(BIN)/pytest -q tests/bdd --cucumberjson=reports/bdd/cucumber.json --junitxml=reports/bdd/junit.xml

bench: $(STAMP)
	$(BIN)/python bench/resolver.py
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/service_load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
