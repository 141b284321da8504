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

.PHONY: help venv book book-instructor test lab workbooks bench vendor data clean

help:
	@echo "make book | make book-instructor | make test | make lab | make workbooks | make bench | make data | make clean"

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

# The reader edition, every page re-read and every notebook executed (--all: without it, pages whose
# source did not change keep outputs computed by an older cvmlib). book-instructor then re-uses these
# executed pages (same doctrees) and adds the instructor notes (book/_ext/cvm_book.py).
# The checks run by the build never write progress logs.
book: $(STAMP) $(VENDOR)
	CVM_PROGRESS=off $(BIN)/jupyter-book build . --builder html --all $(BOOK_FLAGS)
	@echo "Book: _build/html/index.html"

book-instructor: book
	CVM_PROGRESS=off $(BIN)/jupyter-book build . --builder custom --custom-builder html-instructor $(BOOK_FLAGS)
	@echo "Instructor edition: _build/html-instructor/index.html"

test: $(STAMP) $(VENDOR)
	$(BIN)/python -m pytest

# Derived workbooks go to _build/workbooks/ (disposable); each participant version is then merged into
# the participant's own copy in workspace/en/ (git-ignored, outside _build/: make clean never touches it).
WORKBOOKS := $(BIN)/python -m cvmlib.workbooks --src notebooks --out _build/workbooks --workspace workspace --lang en
# JupyterLab on the workspace (never the sources with solutions), local only by default. It refuses to run
# as root (CI, containers) without --allow-root, so that flag is passed only when uid is 0; INFO chatter
# and the news/update prompts are off, the access URL with its token is still printed.
LAB_IP ?= 127.0.0.1
LAB_PORT ?= 8888
LAB_FLAGS := --ServerApp.root_dir=workspace --ServerApp.ip=$(LAB_IP) --ServerApp.port=$(LAB_PORT) \
	$(if $(filter 0,$(shell id -u)),--allow-root) --ServerApp.log_level=WARN --LabApp.log_level=WARN \
	--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

lab: $(STAMP)
	@$(WORKBOOKS) || echo "Some workbooks were not updated (see above); opening JupyterLab anyway."
	$(BIN)/jupyter lab $(LAB_FLAGS)

workbooks: $(STAMP)
	$(WORKBOOKS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_rfm.py
	$(BIN)/python benchmarks/bench_clv.py
	$(BIN)/python benchmarks/bench_widgets_rfm.py
	$(BIN)/python benchmarks/bench_widgets_segment.py
	$(BIN)/python benchmarks/bench_widgets_value.py
	$(BIN)/python benchmarks/bench_widgets_communication.py
	$(BIN)/python benchmarks/bench_widgets_clv.py
	$(BIN)/python benchmarks/time_workbooks.py

# Regenerate the synthetic retailer (byte-identical to the shipped files; see datasets/README.md).
data: $(STAMP)
	$(BIN)/python datasets/generate.py

# _build/ only: the participants' workspace/ is theirs and survives
clean:
	rm -rf _build
