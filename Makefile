# `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test demo bench clean

$(BIN)/satgas: pyproject.toml
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

clean:
	rm -rf $(VENV) var/
