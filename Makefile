# Quick start: `make run` serves the dashboard on the demo data; `make test` runs every test.
# Both create the virtual environment (.venv) and install the pinned packages when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test check lint bench demo-data venv

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

run: venv
	$(PY) app.py

test: venv
	$(PY) -m pytest -n 2 --dist loadfile

check: venv
	$(PY) app.py check

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: venv
	$(PY) bench/bench_drill.py
	$(PY) bench/bench_coverage.py
	$(PY) bench/bench_planner.py
	$(PY) bench/bench_incidents.py
	$(PY) bench/bench_incident_map.py
	$(PY) bench/bench_coverage_incidents.py
	$(PY) bench/bench_load.py
	$(PY) bench/bench_browser.py

demo-data: venv
	$(PY) scripts/build_demo_data.py --out data/geo
