# ipops: two commands do everything on a fresh machine with Python >= 3.11.
#   make run   - set up and run the main job (demo workspace in ./ipops-data)
#   make test  - set up and pass the tests: SQLite, and PostgreSQL on a throw-away cluster the
#                tests start (or IPOPS_TEST_POSTGRES_URL); TEST_JOBS parallel workers (pytest-xdist)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_JOBS ?= 2

.PHONY: run test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ipops demo

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) ipops-data .pytest_cache .mypy_cache .ruff_cache
