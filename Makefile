# The README's two commands: `make book` and `make test`. Each sets up what it needs from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PYTHON := $(VENV)/bin/python
# The data directory: one parameter (TWOTRACKS_DATA in the environment is the same one). `make validate` checks any
# directory; execute, book and pdf build the project's own data/ and refuse another (see check-data below).
DATA ?= $(or $(TWOTRACKS_DATA),data)
unexport TWOTRACKS_DATA
LAB_VENV ?= .venv-lab
BOOTSTRAP_PYTHON ?= python3
# pytest workers for the test suite; nbval splits by file (a notebook's cells share one kernel: splitting them
# breaks it), so the costly browser checks are split into files of their own.
JOBS ?= 2
# Python's bytecode cache, in one folder inside the venv: uv installs without compiling (pip compiles), and with
# PYTHONDONTWRITEBYTECODE set every process recompiled its ~2,000 modules (20 of a clean build's 36 s).
# Kept out of the source tree, and discarded with the venv; not used while the venv is made (it would create
# .venv before the venv exists).
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(abspath $(VENV))/.pycache

.PHONY: help setup recover check-data validate execute book pdf test lint lab bench screenshots datadict lock clean FORCE

help:
	@echo "make book      set up, validate the data, execute stale notebooks, build _build/html"
	@echo "make pdf       make book, then print each chapter and the whole book to _build/pdf/ (installs chromium)"
	@echo "make test      set up and run every test (nbval included)"
	@echo "make lab       open the chapters in JupyterLab on the project's kernel (LAB_ARGS='--no-browser' etc.)"
	@echo "make validate  validate a data directory: make validate DATA=path (default: data)"
	@echo "make execute   re-execute the notebooks whose inputs changed"
	@echo "make screenshots  whole-page screenshots of the chapters (1400 and 390 px, light and dark) in _build/screenshots/"
	@echo "make bench     time the build and the tests in a temporary copy; BENCH_ARGS='--repeat 5' for more runs"
	@echo "make datadict  regenerate the data dictionary in data/README.md from data/datapackage.json"
	@echo "make lock      regenerate requirements.lock from requirements.in (and requirements-lab.lock)"
	@echo "make clean     remove _build (keeps .venv)"

# The environment: uv (pinned, bootstrapped from PyPI into .tools/ by the system pip) creates the venv and
# installs requirements.lock, then the project with the lock as constraints (its dependencies are declared in
# pyproject.toml); plain pip does the same where uv cannot be installed. It is rebuilt when the lock or the
# package metadata changes, and from scratch when the venv's python cannot find a key package (a partly
# deleted venv: the stamp alone never blocks a reinstall; find_spec looks without importing: cheap).
# cffconvert is there only for its CFF 1.2.0 schema (the tests validate CITATION.cff with the pinned jsonschema);
# its own pin (jsonschema<4) would downgrade frictionless, so it is installed without its dependencies.
UV_VERSION := 0.13.9
UV := .tools/uv-$(UV_VERSION)/bin/uv
KEY_PACKAGES := jupyter_book myst_nb nbclient ipykernel pandas matplotlib frictionless pytest twotracks bookbuild
VENV_BROKEN := $(shell $(PYTHON) -c 'import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in sys.argv[1:]))' $(KEY_PACKAGES) >/dev/null 2>&1 || echo yes)

$(VENV)/.installed: requirements.lock pyproject.toml $(if $(VENV_BROKEN),FORCE)
	@if [ -n "$(VENV_BROKEN)" ] && [ -e $(VENV) ]; then echo "setup: $(VENV) is incomplete; reinstalling it"; rm -rf $(VENV); fi
	@unset PYTHONPYCACHEPREFIX; \
	if [ -x $(UV) ] || $(BOOTSTRAP_PYTHON) -m pip install --quiet --disable-pip-version-check \
	    --target $(UV:/bin/uv=) uv==$(UV_VERSION) 2>/dev/null; then \
	  test -x $(PYTHON) || $(UV) venv --quiet --seed --python $(BOOTSTRAP_PYTHON) $(VENV); \
	  install="$(UV) pip install --quiet --python $(PYTHON)"; \
	else \
	  echo "setup: uv unavailable; installing with pip"; \
	  test -x $(PYTHON) || $(BOOTSTRAP_PYTHON) -m venv $(VENV); \
	  install="$(PYTHON) -m pip install --quiet --disable-pip-version-check"; \
	fi; set -e; \
	$$install -r requirements.lock; \
	$$install --no-build-isolation -c requirements.lock -e .; \
	$$install --no-deps cffconvert==2.0.0
	@touch $@

# The site's JavaScript (Vega, Vega-Lite, vega-embed for the interactive figures), pinned in package.json and
# package-lock.json and installed with `npm ci` from the npm registry; the Sphinx extension copies the builds
# into the site's _static. Without npm the book still builds, with a note where the interactive charts would be.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund; \
	else echo "npm not found: the figure pages are built without their interactive charts"; fi

setup: $(VENV)/.installed node_modules/.package-lock.json

FORCE:

validate: setup
	$(PYTHON) -m twotracks.validate "$(DATA)"

# The notebooks, their stamps and the site are committed from data/: building them from another directory would
# publish, or commit, what was not asked for. So a DATA other than data/ is refused here, never ignored.
check-data:
	@if [ "$$(realpath -m -- "$(DATA)")" != "$$(realpath -m -- data)" ]; then \
	  echo "error: DATA=$(DATA): make execute, book and pdf build the project's data/ only; use make validate DATA=\"$(DATA)\" to check another directory" >&2; \
	  exit 2; fi

execute: check-data validate
	$(PYTHON) -m bookbuild.execute

book: recover execute
	$(PYTHON) -m bookbuild.publish

# Before anything can fail: undo a swap that a killed build left half done, so a failed build leaves a site.
recover: setup
	@$(PYTHON) -m bookbuild.publish --recover

# Debian's chromium prints the site's pages; bookbuild.browser installs it (and a CJK font) if missing.
pdf: book
	$(PYTHON) -m bookbuild.pdf

# The Debian packages the browser, PDF and BibTeX tests use are installed first (as root), not by whichever
# test happens to run first.
test: lint $(LAB_VENV)/.installed
	@$(PYTHON) -m bookbuild.browser --for-tests
	$(PYTHON) -m pytest -n $(JOBS) --dist loadfile

# ruff, pinned in the lock and configured in pyproject.toml (notebooks/ excluded): lint and format check.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .


# JupyterLab runs from its own pinned environment (requirements-lab.lock, resolved against requirements.lock) and
# opens the chapters on the project's kernel: the python3 kernel it is given is $(VENV)'s Python, the pinned
# environment that `make book` executes the notebooks with. Kept apart because JupyterLab's dependencies make
# every `import jsonschema` in the build environment compile a grammar (1.5 s per process, Sphinx included).
# Loopback only; --allow-root only for root (e.g. in a container); a chapter saved there is stale to `make book`.
$(LAB_VENV)/.installed: requirements-lab.lock
	@if [ -x $(UV) ]; then \
	  test -x $(LAB_VENV)/bin/python || $(UV) venv --quiet --seed --python $(BOOTSTRAP_PYTHON) $(LAB_VENV); \
	  $(UV) pip install --quiet --python $(LAB_VENV)/bin/python -r requirements-lab.lock; \
	else \
	  test -x $(LAB_VENV)/bin/python || $(BOOTSTRAP_PYTHON) -m venv $(LAB_VENV); \
	  $(LAB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.lock; \
	fi
	@touch $@

lab: setup $(LAB_VENV)/.installed
	$(PYTHON) -m ipykernel install --prefix "$(abspath $(LAB_VENV))" --name python3 \
		--display-name "Python 3 (twotracks, pinned)" > /dev/null
	$(LAB_VENV)/bin/python -m jupyterlab --ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/notebooks \
		--ServerApp.ip=127.0.0.1 --MappingKernelManager.default_kernel_name=python3 \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Times clean, no-op and incremental builds, the tests, the site's weight and the data at 10x and 100x, in a
# temporary copy of the project; writes _build/bench/results.json. BENCH_ARGS="--repeat 5 --test-repeat 3".
bench: setup
	$(PYTHON) tools/bench.py $(BENCH_ARGS)

# Whole-page screenshots of the chapters at 1400 and 390 px, light and dark, for a reviewer (SHOTS='book/intro.html'
# for other pages).
screenshots: book
	$(PYTHON) tools/screenshots.py $(SHOTS)

datadict: setup
	TWOTRACKS_DATA="$(DATA)" $(PYTHON) -m bookbuild.datadict

lock:
	rm -rf .lock-venv && $(BOOTSTRAP_PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	.lock-venv/bin/pip freeze --all | grep -v -e '^pip==' -e '^twotracks' > requirements.lock
	rm -rf .lock-venv && $(BOOTSTRAP_PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements-lab.in -c requirements.lock
	.lock-venv/bin/pip freeze --all | grep -v '^pip==' > requirements-lab.lock
	rm -rf .lock-venv

clean:
	rm -rf _build
