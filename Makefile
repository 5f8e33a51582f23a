# Two commands for a fresh machine: `make run` and `make test`.
# Everything they need is installed here: the Python environment in .venv/
# and, when run as root, the Debian packages in tools/install-system-deps.sh.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
BUNDLE := dist/naltrexone-kiosk
# What the bundle is built from: a change to any of these rebuilds it, otherwise `make test` reuses it.
BUNDLE_INPUTS = $(shell find kiosk ui resources packaging -type f ! -name '*.pyc' ! -path '*/__pycache__/*') \
                pyproject.toml setup.py

.PHONY: run test format-check install install-test system-deps bench package package-check screenshot screenshots clean

install: $(RUN_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test,package]'
	touch $@ $(RUN_STAMP)

install-test: $(TEST_STAMP)

system-deps:
	bash tools/install-system-deps.sh

run: install system-deps
	$(VENV)/bin/naltrexone-kiosk $(ARGS)

test: install-test system-deps
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory package-check

# Not yet part of `test`: most files predate the formatter; one `ruff format .` when no branch is open, then add it.
format-check: install-test
	$(VENV)/bin/ruff format --check .

bench: install-test system-deps
	$(PY) bench/run.py

# PyInstaller one-folder bundle (packaging/naltrexone-kiosk.spec); bounded in time so CI cannot hang on it.
$(BUNDLE)/naltrexone-kiosk: $(BUNDLE_INPUTS) | $(TEST_STAMP)
	rm -rf $(BUNDLE)
	timeout 1800 $(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	    --workpath build/pyinstaller packaging/naltrexone-kiosk.spec
	touch $@

package: install-test system-deps $(BUNDLE)/naltrexone-kiosk
	@du -sh $(BUNDLE)

# The built program as a clinic gets it: parts, size budget, --version, check-content, --smoke.
package-check: package
	$(PY) packaging/check_bundle.py $(BUNDLE)

# A picture tour of the patient path (EN/ES, 1280x800 and 800x1280) in docs/tour/, the README picture, and page 1
# of a return visit's PDF (Since last visit).
screenshots: install-test system-deps
	$(PY) tools/tour.py docs/tour
	$(PY) tools/screenshot.py docs/wizard.png
	$(PY) tools/trend_page.py docs/tour/report-since-last-visit.png

screenshot: screenshots

clean:
	rm -rf build dist .pytest_cache
