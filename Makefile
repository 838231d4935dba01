# govsite — two commands on a fresh machine: `make run` and `make test`.
# Everything they need is installed here; nothing by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/govsite
HOST   ?= 127.0.0.1
PORT   ?= 8000
export GOVSITE_DATA_DIR ?= $(CURDIR)/var
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint typecheck migrations-check test-sqlite test-postgres browser-deps bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# Debian chromium (Playwright drives it; no browser download), CJK fonts for screenshots, axe-core from npm.
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm install --no-audit --no-fund --silent

run: $(STAMP)
	$(BIN)/govsite migrate --noinput -v 0
	$(BIN)/govsite collectstatic --noinput -v 0
	$(BIN)/govsite setup
	$(BIN)/govsite demo
	$(BIN)/govsite publish run
	$(BIN)/govsite serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check govsite conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy govsite

migrations-check: $(STAMP)
	GOVSITE_DATA_DIR=$$(mktemp -d) $(BIN)/govsite makemigrations --check --dry-run

test-sqlite: $(STAMP) browser-deps
	$(BIN)/pytest -n auto -q

test-postgres: $(STAMP) browser-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n auto -q

test: lint typecheck migrations-check test-sqlite test-postgres

# Hugo (Debian's) is the yardstick bench/publish_site.py compares the publisher with.
bench: $(STAMP)
	@command -v hugo >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq hugo >/dev/null; }
	@for b in bench/*.py; do [ -e "$$b" ] || { echo '{"note": "no benchmarks yet"}'; break; }; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) node_modules test-artifacts
