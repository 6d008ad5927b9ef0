# Threadline — `make run` to try it, `make test` to test it.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install migrate demo test test-sqlite test-postgres test-browser lint typecheck imports bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/threadline migrate --noinput -v0

demo: migrate
	$(BIN)/threadline demo --if-empty

run: demo
	$(BIN)/threadline serve --host $(HOST) --port $(PORT)

# SQLite always; PostgreSQL too when THREADLINE_TEST_POSTGRES_URL is set (CI sets it).
test: install
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$THREADLINE_TEST_POSTGRES_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "THREADLINE_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

test-sqlite: install
	$(PY) -m pytest -q -p no:cacheprovider

test-postgres: install
	THREADLINE_TEST_DB=postgres $(PY) -m pytest -q -p no:cacheprovider -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy threadline

# The layers' import contracts ([tool.importlinter] in pyproject.toml, docs/architecture.md).
imports: install
	$(BIN)/lint-imports

bench: install
	bash bench/run_all.sh

clean:
	rm -rf $(VENV) var .pytest_cache
