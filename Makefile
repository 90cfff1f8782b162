# The course's commands. The first use creates .venv and installs requirements.txt into it;
# later uses reuse it until requirements.txt or pyproject.toml change.
#
#   make book      build the website into _build/html
#   make test      run every test: the linter (ruff); the unit tests, every notebook (nbval),
#                  the book build and the browser check, on every core; the chapter on speed
#                  alone; then every notebook again on generic CPU code paths (test-other-cpu)
#   make execute   re-run every notebook in place in a fresh kernel, refreshing its outputs
#   make lab       open the notebooks in JupyterLab
#   make bench     chapter 7's implementations timed on this machine, as tables (not a test; no eviction)
#   make seed-sets chapter 6's code with seeds 5-9 and 10-14, failed asserts printed (not a test)
#   make chapter6-outside  the other runs chapter 6 quotes as checked outside it (minutes; not a test)
#   make audit     Lighthouse on every page of _build/html, mobile and desktop (not a test)
#
# Threads and the hash seed are pinned by nonlin.reproducible, the one place that sets them:
# conftest.py for the tests, tools/execute_notebooks.py, and `python -m nonlin.reproducible`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PINNED := $(BIN)/python -m nonlin.reproducible
# The notebooks the book lists, in order (nbval runs exactly these; a test checks the toc).
NOTEBOOKS := $(shell sed -n 's|^ *- file: \(notebooks/[^ ]*\)|\1.ipynb|p' _toc.yml)
# The chapter that times code runs alone, after the others, so that no other test shares the
# machine with its measurements.
TIMED := notebooks/07_speed.ipynb
# Another CPU, emulated: torch's kernels without AVX2 or AVX-512 and MKL on its reproducible
# code path; on x86-64 also numpy's loops without AVX and OpenBLAS's kernels for an older core.
OTHER_CPU := ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE
ifeq ($(shell uname -m),x86_64)
OTHER_CPU += OPENBLAS_CORETYPE=Prescott \
	NPY_DISABLE_CPU_FEATURES="AVX AVX2 FMA3 F16C AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"
endif

export JUPYTER_PREFER_ENV_PATH := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: book test lint test-other-cpu execute lab bench seed-sets chapter6-outside audit clean

# What the book build takes from npm, pinned by tools/npm/package-lock.json: KaTeX (math typeset
# at build time) and plotly.js's basic bundle (book/_ext/course_perf.py, course_html.py).
# Lighthouse, for `make audit` only, is pinned by tools/audit/package-lock.json.
NODE_TOOLS := tools/npm/node_modules/.installed
AUDIT_TOOLS := tools/audit/node_modules/.installed

$(INSTALLED): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; set PYTHON=python3.x")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# pip byte-compiles every module on one core (a minute here); compileall uses them all.
	# Its errors are files for other Python versions (torch's tests), as pip would skip.
	$(BIN)/python -m pip install --quiet --no-compile -r requirements.txt
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib > /dev/null || true
	touch $@

%/node_modules/.installed: %/package.json %/package-lock.json
	@command -v npm >/dev/null || { echo "Node 18+ and npm are needed (Debian: apt-get install nodejs npm)"; exit 1; }
	cd $* && npm ci --no-audit --no-fund --loglevel=error
	touch $@

book: $(INSTALLED) $(NODE_TOOLS)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: lint $(INSTALLED) $(NODE_TOOLS)
	$(BIN)/python -m pytest --ignore=$(TIMED)
	$(BIN)/python -m pytest -n 0 $(TIMED)
	$(MAKE) --no-print-directory test-other-cpu

lint: $(INSTALLED)
	$(BIN)/ruff check src tests tools notebooks book/_ext conftest.py

test-other-cpu: $(INSTALLED)
	$(OTHER_CPU) $(BIN)/python -m pytest $(filter-out $(TIMED),$(NOTEBOOKS))
	$(OTHER_CPU) $(BIN)/python -m pytest -n 0 $(TIMED)

execute: $(INSTALLED)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

lab: $(INSTALLED)
	$(PINNED) $(BIN)/jupyter lab notebooks

bench: $(INSTALLED)
	$(PINNED) $(BIN)/python -m nonlin.benchmark

seed-sets: $(INSTALLED)
	$(PINNED) $(BIN)/python tools/seed_sets.py 5 10

chapter6-outside: $(INSTALLED)
	$(PINNED) $(BIN)/python tools/chapter6_outside.py

# Builds the book if _build/html is missing, serves it with gzip over loopback, and prints
# Lighthouse's four scores per page (tools/audit.py; CHROME_PATH defaults to /usr/bin/chromium).
audit: $(INSTALLED) $(NODE_TOOLS) $(AUDIT_TOOLS)
	test -f _build/html/index.html || $(MAKE) --no-print-directory book
	$(BIN)/python tools/audit.py _build/html

clean:
	rm -rf _build
