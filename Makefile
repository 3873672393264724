# `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test demo bench clean

$(BIN)/satgas: pyproject.toml
	@# Debian's Chromium drives the browser test (Playwright uses it; no `playwright install`).
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "warning: install Debian's chromium package (as root) for the browser test" >&2
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/satgas

run: $(BIN)/satgas
	$(BIN)/satgas up

test: $(BIN)/satgas
	$(BIN)/pytest

demo: $(BIN)/satgas
	$(BIN)/satgas demo

# BENCH_ARGS=--quick for a CI-sized run; see bench/national_burst.py for the options.
bench: $(BIN)/satgas
	$(BIN)/python -m bench.national_burst $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/
