# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    start the dashboard on the bundled sample workbook at http://localhost:8501
#   make test   run the whole test suite
#   make serve  the production path: the dashboard behind nginx at http://127.0.0.1:8080 (PORT=… to change)
#   make lint   ruff (lint and format) over the project, mypy over lib/
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)

PORT ?= 8080

.PHONY: run test lint sample bench serve

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(VENV)/bin/streamlit run app.py --server.port 8501 --server.headless true

serve: $(STAMP)
	$(VENV)/bin/python -m deploy.serve --port $(PORT)

test: $(STAMP)
	$(VENV)/bin/python -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy lib

sample: $(STAMP)
	$(VENV)/bin/python -m lib sample data/sample_son_giang.xlsx

bench: $(STAMP)
	$(VENV)/bin/python -m benchmarks.run
