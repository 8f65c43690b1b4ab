# MPP Planner — the two commands of the README contract, plus helpers.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP_APP := $(VENV)/.installed-app
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test bench demo lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_APP): pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP_APP) $@

## make run: set up .venv if needed and start the app (the demo the first time)
run: $(STAMP_APP)
	$(PY) -m mpp_planner

## make test: set up .venv with the test extras, run the linters and the whole suite headless
test: $(STAMP_TEST)
	$(VENV)/bin/ruff check mpp_planner tests benchmarks build_installer.py setup.py
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

## make bench: speed benchmarks (numbers, not assertions)
bench: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.budget_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.dxf_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.survey_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.walking_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.walls_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.plan_paint_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.agencies_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.drag_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.xlsx_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.tabs_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.exports_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.rollup_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.server_bench
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.server_live_bench

demo: $(STAMP_APP)
	$(PY) -m mpp_planner demo demo.mpplan

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
