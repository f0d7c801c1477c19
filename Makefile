# TalentLoop: `make demo` to try it, `make test` to check it. Everything else is below.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/talentloop
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo serve install test test-pg test-browser test-all lint bench bench-quick messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/talentloop migrate --no-input -v 0
	$(BIN)/talentloop collectstatic --no-input -v 0
	$(BIN)/talentloop seed-demo
	$(BIN)/talentloop seed-demo-recruiting
	$(BIN)/talentloop seed-demo-interviews
	$(BIN)/talentloop seed-demo-performance
	$(BIN)/talentloop seed-demo-insights
	$(BIN)/talentloop serve --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(BIN)/talentloop serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check talentloop config tests bench conftest.py
	$(BIN)/mypy talentloop config

test: $(STAMP) lint
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

test-pg: $(STAMP)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

test-all: test test-pg test-browser

bench: $(STAMP)
	$(BIN)/python -m bench.run

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --quick

# Needs GNU gettext (xgettext/msgfmt). The compiled .mo files are committed so running needs neither.
MSG_IGNORE := --ignore ".venv/*" --ignore "*/tests/*" --ignore "tests/*" --ignore "bench/*" --ignore "data/*" \
	--ignore "build/*" --ignore "*.egg-info/*" --ignore "artifacts/*" --ignore "talentloop/core/testing/*"
messages: $(STAMP)
	$(BIN)/talentloop makemessages -l zh_Hans -l en --no-obsolete $(MSG_IGNORE)
	$(BIN)/talentloop compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache
