# Two commands set everything up: `make demo` and `make test`. Both create .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= var/demo.db
DEMO_SCALE ?= demo
# The public Chicago files (roster, complaints, accused): the demo imports them when present.
CHICAGO_DATA ?= ../shared/data/chicago

.PHONY: demo test check lint typecheck bench clean serve

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	CONFIANZA_ENVIRONMENT=development CONFIANZA_DATABASE_URL=sqlite:///$(DEMO_DB) \
		$(BIN)/confianza demo --scale $(DEMO_SCALE) --replace --yes \
		$$(test -d $(CHICAGO_DATA) && echo --chicago $(CHICAGO_DATA))
	CONFIANZA_ENVIRONMENT=development CONFIANZA_DATABASE_URL=sqlite:///$(DEMO_DB) \
		CONFIANZA_LOG_EXPORT_DIR=var/log-tiles $(BIN)/confianza serve

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
