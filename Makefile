# The course's commands. The first use creates .venv and installs requirements.txt into it
# (which compiles nonlin's C module); later uses reuse it until requirements.txt, the build
# files or the C sources change.
#
#   make book      build the website into _build/html
#   make test      run every test (unit, notebooks, book build, browser check)
#   make execute   re-run every notebook in place in a fresh kernel, refreshing its outputs
#   make lab       open the notebooks in JupyterLab
#   make bench     time nonlin's activations against torch and a memory copy (not a test)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The notebooks the book lists, in order (nbval runs exactly these; a test checks the toc).
NOTEBOOKS := $(shell sed -n 's|^ *- file: \(notebooks/[^ ]*\)|\1.ipynb|p' _toc.yml)

# Reproducible outputs: one thread, a fixed hash seed, the venv's own Jupyter kernel first.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export PYTHONHASHSEED := 0
export JUPYTER_PREFER_ENV_PATH := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: book test execute lab bench clean

$(INSTALLED): requirements.txt pyproject.toml setup.py src/nonlin/_kernels.c src/nonlin/_kernels_impl.h
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; set PYTHON=python3.x")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

book: $(INSTALLED)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(INSTALLED)
	$(BIN)/python -m pytest

execute: $(INSTALLED)
	$(BIN)/python tests/execute_notebooks.py $(NOTEBOOKS)

lab: $(INSTALLED)
	$(BIN)/jupyter lab notebooks

bench: $(INSTALLED)
	$(BIN)/python -m nonlin.benchmark

clean:
	rm -rf _build
