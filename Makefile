# Two commands set everything up on a fresh machine with Python 3.11, git and make:
#   make book   build the HTML book, every notebook executed, zero warnings allowed
#   make test   the whole test suite (unit, doctest, property, notebooks, workbooks, book, offline)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := _build/vendor/cvm-vendor/reveal.js/dist/theme/white.css

.PHONY: help venv book book-instructor translations test test-full lab lab-zh workbooks classroom class-report class-report-live class-simulate sandbox-class \
	slides print bench bench-classroom vendor data clean

help:
	@echo "make book | make book-instructor | make translations | make test | make test-full | make lab | make lab-zh | make workbooks"
	@echo "make classroom | make class-report | make class-report-live | make class-simulate | make sandbox-class | make slides | make print | make bench | make bench-classroom | make data | make clean"

# The classroom's proxy (JupyterHub's configurable-http-proxy) comes from the npm registry, pinned, into the venv.
CHP_VERSION := 5.3.0
# npm and the Node.js that runs the proxy: Debian's packages when they are missing (as root), else say so.
INSTALL_NODE := if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else echo "npm (Node.js) is missing: install nodejs and npm (the classroom's proxy needs them)" >&2; exit 1; fi

# Spark (cvmlib.engines, tests/test_engines_spark.py) runs on a Java runtime: Debian's OpenJDK 17 when `java` is
# missing (as root), else say so.
INSTALL_JRE := if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	else echo "java is missing: install a Java 17 runtime (openjdk-17-jre-headless) for the Spark engine" >&2; exit 1; fi

# The virtual environment is (re)built when the pins change.
$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@command -v npm >/dev/null || $(INSTALL_NODE)
	@command -v java >/dev/null || $(INSTALL_JRE)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@$(CHP_VERSION)
	@touch $@

venv: $(STAMP)

# require.js, the ipywidgets embed script and MathJax, served by the book itself (offline reading)
$(VENDOR): tools/vendor_assets.py | $(STAMP)
	$(BIN)/python tools/vendor_assets.py --dest _build/vendor

vendor: $(VENDOR)

# Both editions of the book from the same sources: English in _build/html/en/, Chinese in _build/html/zh/
# (the Sphinx catalogs of locales/zh_CN/ applied, cvmlib's output in Chinese), and a root page that lets the
# reader choose (_build/html/index.html). Every page is re-read and every notebook executed (without that,
# pages whose source did not change would keep outputs computed by an older cvmlib). book-instructor then
# re-uses these executed pages (same doctrees) and adds the instructor notes (book/_ext/cvm_book.py).
# The checks run by the build never write progress logs (tools/build_book.py sets CVM_PROGRESS=off).
book: $(STAMP) $(VENDOR)
	$(BIN)/python tools/build_book.py --lang en
	$(BIN)/python tools/build_book.py --lang zh
	$(BIN)/python book/_ext/cvm_book.py chooser _build/html
	@echo "Book: _build/html/index.html (English: _build/html/en/, 中文: _build/html/zh/)"

book-instructor: book
	$(BIN)/python tools/build_book.py --lang en --builder html-instructor --no-all
	$(BIN)/python tools/build_book.py --lang zh --builder html-instructor --no-all
	$(BIN)/python book/_ext/cvm_book.py chooser _build/html-instructor
	@echo "Instructor edition: _build/html-instructor/index.html"

# After an English text changed: new message templates (from the English build's doctrees), the zh catalogs
# brought in step (changed messages become fuzzy, keeping the old translation as a guide), and cvmlib's own
# catalogs likewise. Then translate what is new; tests/test_i18n_drift.py fails until every message is done.
translations: $(STAMP) $(VENDOR)
	$(BIN)/python tools/build_book.py --builder gettext
	$(BIN)/sphinx-intl update -p _build/gettext -l zh_CN -d locales
	$(BIN)/python tools/i18n_py.py update
	$(BIN)/python tools/i18n_py.py check || true

# Two workers (pytest-xdist); the tests that read a built book all go to one of them, which builds both
# editions once (tests/conftest.py groups them). Every cell of every workbook runs in make test: with its
# solutions in the book build (tests/test_book.py: every check says Correct), as the participant version in
# tests/test_workbooks.py (it runs to its blanks); make test-full runs the solutions once more on their own.
# One BLAS/OpenMP thread per process: two workers on two cores, neither stealing the other's (the book build is
# the longest path).
PYTEST := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup tests cvmlib
# nbval runs the notebooks' cells once more, in one process (a worker may tear a notebook's kernel down
# between two of its cells); their checks log nothing.
NBVAL := CVM_PROGRESS=off $(BIN)/python -m pytest notebooks

test: $(STAMP) $(VENDOR)
	$(PYTEST)

# The same, with the browser's layout checks on every page of both editions (make test reads a sample),
# the long browser sessions marked `full` (RISE slides in JupyterLab), and nbval over the notebooks.
test-full: $(STAMP) $(VENDOR)
	CVM_BROWSER_ALL=1 CVM_TEST_FULL=1 $(PYTEST)
	$(NBVAL)

# Derived workbooks go to _build/workbooks/ (disposable): English in participant/ and instructor/, Chinese in
# participant/zh/ and instructor/zh/ (the same sources with the book's zh catalogs applied); each participant
# version is then merged into the participant's own copy in workspace/en/ or workspace/zh/ (git-ignored,
# outside _build/: make clean never touches it).
WORKBOOKS := $(BIN)/python -m cvmlib.workbooks --src notebooks --out _build/workbooks --workspace workspace --lang en zh
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

# The Chinese workspace in JupyterLab in Chinese (jupyterlab-language-pack-zh-cn): the UI language is a user
# setting, so lab-zh has its own settings folder, in the workspace (kept by make clean, the participant's own
# changes to it kept too); make lab keeps ~/.jupyter's. CVM_LANG=zh for cvmlib code run outside a workbook
# (each zh workbook sets the language in its first cell).
LAB_ZH_SETTINGS := workspace/.cvm/lab-zh/user-settings
LAB_ZH_LOCALE := $(LAB_ZH_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings
lab-zh: $(STAMP)
	@$(BIN)/python -m cvmlib.workbooks --src notebooks --out _build/workbooks --workspace workspace --lang zh \
		|| echo "部分练习册没有更新（见上文）；仍然打开 JupyterLab。"
	@mkdir -p $(dir $(LAB_ZH_LOCALE))
	@test -f $(LAB_ZH_LOCALE) || echo '{"locale": "zh_CN"}' > $(LAB_ZH_LOCALE)
	CVM_LANG=zh $(BIN)/jupyter lab $(subst --ServerApp.root_dir=workspace,--ServerApp.root_dir=workspace/zh,$(LAB_FLAGS)) \
		--LabApp.user_settings_dir=$(CURDIR)/$(LAB_ZH_SETTINGS) --LabApp.workspaces_dir=$(CURDIR)/workspace/.cvm/lab-zh/workspaces

workbooks: $(STAMP)
	$(WORKBOOKS)

# The classroom: JupyterHub on this machine for a training room (cvmlib/classroom/hub.py). Participants sign
# in with a name and ROOM_PASSWORD, the instructor as "instructor" with INSTRUCTOR_PASSWORD (both required,
# different). ROOM_IP=0.0.0.0 (or the Wi-Fi address) opens it to the room's network; everything else (hub
# API, proxy API, the participants' servers, the live class report) stays on 127.0.0.1. Its state is
# $(ROOM_DIR): the hub's database and one home per participant (make clean keeps it).
ROOM_IP ?= 127.0.0.1
ROOM_PORT ?= 8000

classroom: $(STAMP)
	$(BIN)/python -m cvmlib.classroom serve --ip $(ROOM_IP) --port $(ROOM_PORT) --room-dir $(ROOM_DIR)

# The class report from the participants' progress logs: of the classroom server's homes (room/homes/), or
# of any folder of collected workbook folders or logs (make class-report ROOM_DIR=path/to/collected, whose
# subfolders are the participants). The HTML export is one self-contained file in each language;
# class-report-live serves it, refreshing every 5 s, on this machine only (the classroom server has it
# built in, for the instructor only). class-simulate replays a simulated class of 30 through the real checks.
ROOM_DIR ?= $(or $(CVM_ROOM_DIR),room)
REPORT_IP ?= 127.0.0.1
REPORT_PORT ?= 8100
REPORT := $(BIN)/python -m cvmlib.classroom.report

class-report: $(STAMP)
	$(REPORT) --logs $(ROOM_DIR) --out _build/class-report/index.html
	$(REPORT) --logs $(ROOM_DIR) --out _build/class-report/index-zh.html --lang zh

class-report-live: $(STAMP)
	$(BIN)/python -m cvmlib.classroom.service --logs $(ROOM_DIR) --ip $(REPORT_IP) --port $(REPORT_PORT)

class-simulate: $(STAMP)
	rm -rf _build/class-sim
	$(BIN)/python -m cvmlib.classroom.simulate --out _build/class-sim/homes --participants 30 --seed 11
	$(REPORT) --logs _build/class-sim/homes --out _build/class-sim/report.html
	$(REPORT) --logs _build/class-sim/homes --out _build/class-sim/report-zh.html --lang zh

# Printable material from both editions, English and Chinese, through headless chromium: role-play cards
# (one card per role, two per A4 sheet), case handouts and exercise sheets in _build/print/<lang>/, the model
# answers in _build/print-instructor/<lang>/ (apart, so that handing out _build/print/ never hands them out).
print: book-instructor
	$(BIN)/python tools/print_pdf.py

# Slides of every chapter workbook, English and Chinese: reveal.js decks that present offline from
# _build/slides/ (open _build/slides/index.html; S opens the speaker view with the instructor notes).
slides: $(STAMP) $(VENDOR)
	$(BIN)/python tools/build_slides.py
	@echo "Slides: _build/slides/index.html (English: _build/slides/en/, 中文: _build/slides/zh/)"

# 30 simulated participants on 127.0.0.1 (a few minutes): p50/p95 time to a first check result against one
# participant alone, memory per participant, the hub's start-up time
bench-classroom: $(STAMP)
	$(BIN)/python benchmarks/bench_classroom.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_rfm.py
	$(BIN)/python benchmarks/bench_clv.py
	$(BIN)/python benchmarks/bench_engines.py --sizes 5M,50M
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_widgets_rfm.py
	$(BIN)/python benchmarks/bench_widgets_segment.py
	$(BIN)/python benchmarks/bench_widgets_value.py
	$(BIN)/python benchmarks/bench_widgets_communication.py
	$(BIN)/python benchmarks/bench_widgets_clv.py
	$(BIN)/python benchmarks/bench_widgets_lifecycle.py
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/time_workbooks.py

# One simulated class in the micro-sandbox: three teams, three strategies, three rounds, then the debrief.
sandbox-class: $(STAMP)
	$(BIN)/python tools/sandbox_class.py

# Regenerate the synthetic retailer (byte-identical to the shipped files; see datasets/README.md).
data: $(STAMP)
	$(BIN)/python datasets/generate.py

# _build/ only: the participants' workspace/ is theirs and survives
clean:
	rm -rf _build
