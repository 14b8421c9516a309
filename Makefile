# medassist — every user-facing target sets itself up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
export PATH := $(abspath $(VENV))/bin:$(PATH)
PROFILE ?=
PORT ?= 7860

.PHONY: setup smoke repro experiments table demo export gguf gguf-tools push pull bench test test-fast lint fixtures safety-eval decoding bench-triage triage-cv

setup: $(VENV)/.setup-done

# torch is pinned in requirements.txt: on a CPU machine pip takes that pin as it is (here: the local
# CPU wheel). On a CUDA machine medassist.gpu.torch_wheel first installs the build that matches the
# NVIDIA driver, or stops saying which driver it needs (TORCH_INDEX=<url> overrides it).
$(VENV)/.setup-done: requirements.txt requirements-nodeps.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/python -m medassist.gpu.torch_wheel install
	$(VENV)/bin/pip install -q -r requirements.txt
	$(VENV)/bin/pip install -q --no-deps -r requirements-nodeps.txt
	touch $@

# Is this machine ready for `dvc repro` on its GPU? GPU, driver, CUDA, bitsandbytes' CUDA library,
# a Triton compile and a 4-bit matmul, one line each, in seconds (docs/gpu.md).
.PHONY: doctor
doctor: setup
	python -m medassist.gpu.doctor

# The whole pipeline on the bundled sample and SmolLM2-135M-Instruct (offline, CPU, about 8 minutes), as
# a temporary DVC experiment named `smoke`: params.yaml in the workspace is left untouched.
smoke: setup
	-dvc exp remove smoke >/dev/null 2>&1
	dvc exp run --temp -n smoke $$(python -m medassist.pipeline.profile smoke --set-args)
	python -m medassist.pipeline.experiments table --out metrics/smoke.md

repro: setup
	dvc repro

# The four reference experiments, queued and run one at a time; offline: PROFILE=smoke (SmolLM2) or PROFILE=tiny.
experiments: setup
	python -m medassist.pipeline.experiments run $(if $(PROFILE),--profile $(PROFILE))
	python -m medassist.pipeline.experiments table

table: setup
	python -m medassist.pipeline.experiments table

# Serve the trained adapter (pulled from the DVC remote if it is not here). PORT=..., SHARE=1.
demo: setup
	python -m medassist.serve

# The adapter merged into its base: fp16 safetensors + tokenizer + model card in models/export,
# for vLLM / TGI / transformers (docs/serving.md). Options: python -m medassist.share.export --help.
# FORMAT=gguf: the GGUF files for llama.cpp / Ollama instead (same as `make gguf`).
export: setup
ifeq ($(FORMAT),gguf)
	$(MAKE) gguf
else
	python -m medassist.share.export
endif

# The fine-tune as GGUF files (f16, Q8_0, Q4_K_M) with an Ollama Modelfile, converted and quantized
# by llama.cpp's own tools and gated against the adapter on the eval rows (docs/serving.md).
gguf: gguf-tools
	python -m medassist.share.gguf_export

# llama.cpp's tools (llama-cpp-python, built from source: about 5 minutes once; its converter).
gguf-tools: setup
	python -m medassist.share.gguf_tools install

push: setup
	python -m medassist.share.remote push

pull: setup
	python -m medassist.share.remote pull

bench: setup
	python -m benchmarks.run

# Emergency triage on the development set (every miss printed) and the held-out set (counts only).
safety-eval: setup
	python -m medassist.serve.safety_eval

# Time per message of the triage (p50/p95) on both sets.
bench-triage: setup
	python -m benchmarks.triage

# Grouped cross-validation of the triage's learned layer (by author, and k-fold): docs/safety.md.
triage-cv: setup
	python -m benchmarks.triage_cv

# The full suite (what CI runs); test-fast skips the tests marked slow (pipelines, servers, browser).
test: setup gguf-tools
	python -m pytest -q tests

test-fast: setup
	python -m pytest -q -m "not slow" tests

lint: setup
	ruff check .
	ruff format --check .

fixtures: setup
	python tests/fixtures/make_tiny_llama.py

# Choose the decoding settings on the dev slice (never the eval rows): prints each candidate's
# ROUGE-L, looping answers and EOS rate, and the winner to put in params.yaml (docs/pipeline.md).
decoding: setup
	python -m medassist.evaluation.decoding_search --json metrics/decoding_search.json
