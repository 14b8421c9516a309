#!/usr/bin/env bash
# Downloads, on a machine with PyPI access, every wheel run_on_device.sh installs on an offline GPU
# machine whose Python (3.12, x86-64) already has a CUDA torch (with triton), numpy, pandas and
# pyarrow: the training libraries at requirements.txt's pins, and the whole dependency closure
# of transformers, TRL, PEFT, bitsandbytes, datasets and accelerate at the versions this project's
# venv has (so transformers' own dependencies, huggingface-hub, tokenizers, safetensors, regex,
# ..., travel too, at versions the tests ran with). Left out, as too large to carry and part of any
# CUDA image: torch, triton, the nvidia-* libraries, numpy, pandas, pyarrow (the imports step of
# run_on_device.sh names any that is missing). bitsandbytes is slimmed to its CPU and CUDA 13
# libraries (43 -> 7 MB): the device tool carries at most 64 MiB with the repo.
#
#     bash benchmarks/gpu/fetch_wheels.sh            # -> benchmarks/gpu/wheels/ (git-ignored)
#     CUDA_LIBS='cuda12*' bash benchmarks/gpu/fetch_wheels.sh   # for a CUDA 12 torch instead
set -euo pipefail
cd "$(dirname "$0")/../.."
DEST=benchmarks/gpu/wheels
PY=${PYTHON:-.venv/bin/python}
mkdir -p "$DEST"
rm -f "$DEST"/*.whl
# name==version of every installed dependency of the roots, transitively (extras left out)
"$PY" - >"$DEST/closure.txt" <<'PY'
import importlib.metadata as md
import re

from packaging.requirements import Requirement

roots = ["transformers", "trl", "peft", "bitsandbytes", "datasets", "accelerate"]
skip = {"torch", "triton", "numpy", "pandas", "pyarrow"}
seen, todo = {}, list(roots)
while todo:
    name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
    if name in seen or name in skip or name.startswith("nvidia-"):
        continue
    dist = md.distribution(name)
    seen[name] = dist.version
    for line in dist.requires or []:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            todo.append(req.name)
for name, version in sorted(seen.items()):
    print(f"{name}=={version}")
PY
platforms=(--platform manylinux_2_28_x86_64 --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64
           --platform manylinux2014_x86_64 --platform any)
"$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${platforms[@]}" \
    -d "$DEST" -r "$DEST/closure.txt" liger-kernel
# Liger's layer kernels are an optional variant of our recipe (TRL 1.16 applies them with use_liger_kernel).
keep=${CUDA_LIBS:-cuda13*}
for whl in "$DEST"/bitsandbytes-*.whl; do
    drop=$(unzip -Z1 "$whl" | grep -E 'libbitsandbytes_(cuda|rocm|xpu)' | grep -v -E "libbitsandbytes_${keep//\*/.*}\.so" || true)
    [ -n "$drop" ] && zip -q -d "$whl" $drop
done
cat "$DEST/closure.txt"
du -sh "$DEST"
