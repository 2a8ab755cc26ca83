# Lead Scoring Workbook — developer entry points.
#
#   make run    create .venv if missing, install requirements.txt, start the app
#   make test   install requirements-test.txt, run the whole test suite
#
# Installs are skipped when the requirements files have not changed since the
# last install (stamp files inside .venv).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
WORKBOOK ?= scenarios/sales_automation.yaml
STREAMLIT_ARGS ?=
PYTEST_ARGS ?=

RUN_STAMP := $(VENV)/.requirements.stamp
TEST_STAMP := $(VENV)/.requirements-test.stamp

.DEFAULT_GOAL := help
.PHONY: help run test lint bench clean distclean

help:
	@echo "make run        start the app on WORKBOOK ($(WORKBOOK))"
	@echo "make test       run the whole test suite (PYTEST_ARGS=... to pass options)"
	@echo "make lint       ruff check"
	@echo "make bench      run every benchmarks/*.py"
	@echo "make clean      remove caches; make distclean also removes $(VENV)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt
	@touch $@

# requirements-test.txt includes requirements.txt, so it depends on both files.
$(TEST_STAMP): requirements-test.txt requirements.txt | $(BIN)/python
	$(PIP) install -r requirements-test.txt
	@touch $@

run: $(RUN_STAMP)
	$(BIN)/python -m streamlit run serve.py $(STREAMLIT_ARGS) -- $(WORKBOOK)

test: $(TEST_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/python -m ruff check .

# Benchmarks are scripts that print figures; run from the repository root so
# that `import workbook` works.
bench: $(RUN_STAMP)
	@set -e; for f in benchmarks/*.py; do \
		[ -e "$$f" ] || { echo "no benchmarks yet"; break; }; \
		echo "== $$f"; PYTHONPATH=. $(BIN)/python "$$f"; \
	done

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
