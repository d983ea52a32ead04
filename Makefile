# The README's two commands: `make book` and `make test`. Each sets up what it needs from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PYTHON := $(VENV)/bin/python
DATA ?= data
BOOTSTRAP_PYTHON ?= python3
# pytest workers for the test suite; nbval splits by file (splitting one notebook's cells breaks it).
JOBS ?= 2

.PHONY: help setup validate execute book pdf test bench datadict lock clean lab

help:
	@echo "make book      set up, validate the data, execute stale notebooks, build _build/html"
	@echo "make pdf       make book, then print each chapter and the whole book to _build/pdf/ (installs chromium)"
	@echo "make test      set up and run every test (nbval included)"
	@echo "make lab       open the chapters in JupyterLab on the project's kernel (LAB_ARGS='--no-browser' etc.)"
	@echo "make validate  validate a data directory: make validate DATA=path (default: data)"
	@echo "make execute   re-execute the notebooks whose inputs changed"
	@echo "make bench     time the build and the tests in a temporary copy; BENCH_ARGS='--repeat 5' for more runs"
	@echo "make datadict  regenerate the data dictionary in data/README.md from data/datapackage.json"
	@echo "make lock      regenerate requirements.lock from requirements.in"
	@echo "make clean     remove _build (keeps .venv)"

# The environment is rebuilt when the lock or the package metadata changes. cffconvert is there only for its
# CFF 1.2.0 schema (the tests validate CITATION.cff with the pinned jsonschema); its own pin (jsonschema<4)
# would downgrade frictionless, so it is installed without its dependencies.
$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PYTHON) || $(BOOTSTRAP_PYTHON) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps cffconvert==2.0.0
	@touch $@

# The site's JavaScript (Vega, Vega-Lite, vega-embed for the interactive figures), pinned in package.json and
# package-lock.json and installed with `npm ci` from the npm registry; the Sphinx extension copies the builds
# into the site's _static. Without npm the book still builds, with a note where the interactive charts would be.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund; \
	else echo "npm not found: the figure pages are built without their interactive charts"; fi

setup: $(VENV)/.installed node_modules/.package-lock.json

validate: setup
	$(PYTHON) -m twotracks.validate $(DATA)

execute: validate
	$(PYTHON) -m bookbuild.execute

book: execute
	$(PYTHON) -m bookbuild.publish

# Debian's chromium prints the site's pages; bookbuild.browser installs it (and a CJK font) if missing.
pdf: book
	$(PYTHON) -m bookbuild.pdf

test: setup
	$(PYTHON) -m pytest -n $(JOBS) --dist loadfile

# JupyterLab from the pinned environment, on its python3 kernel (the venv's, with twotracks installed), opened
# on notebooks/, on loopback only (--allow-root only for root, e.g. in a container); a chapter saved there is
# stale to `make book` like any other edit.
lab: setup
	$(PYTHON) -m jupyterlab --ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/notebooks \
		--ServerApp.ip=127.0.0.1 --MappingKernelManager.default_kernel_name=python3 \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Times clean, no-op and incremental builds, the tests, the site's weight and the data at 10x and 100x, in a
# temporary copy of the project; writes _build/bench/results.json. BENCH_ARGS="--repeat 5 --test-repeat 3".
bench: setup
	$(PYTHON) -m bookbuild.bench $(BENCH_ARGS)

datadict: setup
	$(PYTHON) -m bookbuild.datadict

lock:
	rm -rf .lock-venv && $(BOOTSTRAP_PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	.lock-venv/bin/pip freeze --all | grep -v '^pip==' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf _build
