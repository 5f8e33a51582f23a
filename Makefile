# Two commands for a fresh machine: `make run` and `make test`.
# Everything they need is installed here: the Python environment in .venv/
# and, when run as root, the Debian packages in tools/install-system-deps.sh.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test install install-test system-deps bench package screenshot clean

install: $(RUN_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(RUN_STAMP)

install-test: $(TEST_STAMP)

system-deps:
	bash tools/install-system-deps.sh

run: install system-deps
	$(VENV)/bin/naltrexone-kiosk $(ARGS)

test: install-test system-deps
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-test system-deps
	$(PY) bench/run.py

package: install-test system-deps
	$(PY) -m pip install -q 'pyinstaller>=6.10,<7'
	$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/naltrexone-kiosk.spec

screenshot: install-test system-deps
	$(PY) tools/screenshot.py docs/wizard.png

clean:
	rm -rf build dist .pytest_cache
