# zhanaozen-graph: the routine tasks. `make demo` for a first look, `make test` for the whole suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
ZG := $(BIN)/zhanaozen-graph
LINTED := $(wildcard src tests benchmarks)

.PHONY: demo install dev system-deps test check lint typecheck pytest bench bench-large notebook clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

## demo: create .venv, install, build the graph, print the timeline and where the outputs are
demo: install
	$(ZG) build
	$(ZG) timeline
	$(ZG) explore
	@echo
	@echo "Outputs: build/graph.ttl build/graph.nt build/graph.jsonld build/graph.trig build/graph.nq build/store/"
	@echo "         build/explorer.html (open it in a browser; it works offline)"
	@echo "Try:     $(ZG) stats | $(ZG) sources | $(ZG) queries | $(ZG) query detentions | $(ZG) serve"
	@echo "Network analysis: $(BIN)/python -m pip install -e '.[analysis]' && $(ZG) analyze centrality"

## system-deps: Chromium and Virtuoso for the tests (apt-get as root, else the exact command to run, exit 1)
system-deps:
	.ci/system-deps

## test: the system packages, the dev extras, then lint, type checks and the whole test suite
test: system-deps dev check pytest

check: lint typecheck

lint: dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: dev
	$(BIN)/mypy

pytest: dev system-deps
	$(BIN)/python -m pytest -q

## bench: the benchmarks (not part of make test); writes docs/benchmarks.md
bench: dev
	$(BIN)/python benchmarks/bench_explorer.py
	$(BIN)/python benchmarks/run.py

## bench-large: 10^7 triples (~1,920 synthetic documents; ~1 h, not in make test or CI; only build, load, timeline, catalogue queries and the server: no SHACL, explorer, quotes, NetworkX or rdflib stages, and the server serves the build's store read-only: no bulk load or push at this size); writes docs/benchmarks-large.md and joins docs/benchmarks.md
bench-large: dev
	nice $(BIN)/python benchmarks/run.py --sizes 1e7 --no-rdflib --server-read-only --stages build,load,timeline,query,oxigraph-session --json benchmarks/results-large.json --docs docs/benchmarks-large.md
	$(BIN)/python benchmarks/run.py --from-json benchmarks/results.json

## notebook: open Jupyter on the notebooks (their kernels run in notebooks/, so ZHANAOZEN_DATA points at data/)
notebook: dev
	ZHANAOZEN_DATA=$(CURDIR)/data $(BIN)/jupyter lab notebooks/

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
