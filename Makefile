# medassist — every user-facing target sets itself up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
export PATH := $(abspath $(VENV))/bin:$(PATH)
PROFILE ?=
PORT ?= 7860

.PHONY: setup smoke repro experiments table demo push pull bench test fixtures

setup: $(VENV)/.setup-done

# torch is pinned in requirements.txt: on this CPU machine pip takes the local CPU wheel; on a
# CUDA machine the same pin installs the CUDA build from PyPI.
$(VENV)/.setup-done: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

# The whole pipeline on the bundled sample and the tiny local model (offline, CPU, minutes), as a
# temporary DVC experiment named `smoke`: params.yaml in the workspace is left untouched.
smoke: setup
	-dvc exp remove smoke >/dev/null 2>&1
	dvc exp run --temp -n smoke $$(python -m medassist.profile smoke --set-args)
	dvc exp show --only-changed --hide-workspace -n 1 --md

repro: setup
	dvc repro

test: setup
	python -m pytest -q tests

fixtures: setup
	python tests/fixtures/make_tiny_llama.py
