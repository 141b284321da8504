# Two commands set everything up on a fresh machine with Python 3.11, git and make:
#   make book   build the HTML book, every notebook executed, zero warnings allowed
#   make test   the whole test suite (unit, doctest, property, notebooks, workbooks, book, offline)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := _build/vendor/cvm-vendor/embed-amd.js
BOOK_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: help venv book test lab workbooks bench vendor data clean

help:
	@echo "make book | make test | make lab | make workbooks | make bench | make data | make clean"

# The virtual environment is (re)built when the pins change.
$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP)

# require.js, the ipywidgets embed script and MathJax, served by the book itself (offline reading)
$(VENDOR): tools/vendor_assets.py | $(STAMP)
	$(BIN)/python tools/vendor_assets.py --dest _build/vendor

vendor: $(VENDOR)

book: $(STAMP) $(VENDOR)
	$(BIN)/jupyter-book build . --builder html $(BOOK_FLAGS)
	@echo "Book: _build/html/index.html"

test: $(STAMP) $(VENDOR)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

workbooks: $(STAMP)
	$(BIN)/python -m cvmlib.workbooks --src notebooks --out _build/workbooks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_rfm.py
	$(BIN)/python benchmarks/bench_clv.py
	$(BIN)/python benchmarks/bench_widgets_segment.py
	$(BIN)/python benchmarks/bench_widgets_value.py
	$(BIN)/python benchmarks/bench_widgets_communication.py
	$(BIN)/python benchmarks/bench_widgets_clv.py
	$(BIN)/python benchmarks/time_workbooks.py

# Regenerate the synthetic retailer (byte-identical to the shipped files; see datasets/README.md).
data: $(STAMP)
	$(BIN)/python datasets/generate.py

clean:
	rm -rf _build
