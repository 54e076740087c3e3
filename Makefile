# Opora: `make run` for a local demo, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/opora
PYTEST_ARGS ?=
# Two test processes (pytest-xdist), one per core of the servers we target; each gets its own test database.
JOBS ?= 2
# One benchmark scenario at full size each: `make bench-watcher`, and so on (bench/README.md).
BENCH_ONE := bench-intake bench-staff-pages bench-watcher bench-reports bench-firstday bench-pairs

.PHONY: run test lint format test-pg test-browser messages security bench bench-smoke $(BENCH_ONE) clean

$(VENV)/.run-deps: requirements.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip==26.3
	$(PY) -m pip install --quiet --build-constraint build-constraints.txt -r requirements.txt
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.txt
	$(PY) -m pip install --quiet --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $@

run: $(VENV)/.run-deps
	PORT=$(PORT) scripts/run-local

test: $(VENV)/.dev-deps lint
	$(PY) -m pytest -n $(JOBS) $(PYTEST_ARGS)

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=lint-only $(VENV)/bin/mypy opora tests

format: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test-pg: $(VENV)/.dev-deps
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n $(JOBS) -m "not browser" $(PYTEST_ARGS)

test-browser: $(VENV)/.dev-deps
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

security: $(VENV)/.dev-deps
	scripts/security

bench: $(VENV)/.dev-deps
	bench/run full

bench-smoke: $(VENV)/.dev-deps
	bench/run smoke

$(BENCH_ONE): $(VENV)/.dev-deps
	bench/run full $(@:bench-%=%)

messages: $(VENV)/.dev-deps
	scripts/messages

clean:
	rm -rf $(VENV) var artifacts
