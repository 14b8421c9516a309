#!/usr/bin/env bash
# Downloads, on a machine with PyPI access, the wheels run_on_device.sh installs on an offline GPU
# machine whose Python (3.12, x86-64) already has torch (CUDA), accelerate, tokenizers, safetensors,
# pandas, pyarrow and the rest of the scientific stack, but not this project's training libraries.
# Pins are requirements.txt's; bitsandbytes is slimmed to its CPU and CUDA 13 libraries (43 -> 7 MB)
# so that everything travels in ~25 MB (the device tool carries at most 64 MiB with the repo).
#
#     bash benchmarks/gpu/fetch_wheels.sh            # -> benchmarks/gpu/wheels/ (git-ignored)
#     CUDA_LIBS='cuda12*' bash benchmarks/gpu/fetch_wheels.sh   # for a CUDA 12 torch instead
set -euo pipefail
cd "$(dirname "$0")/../.."
DEST=benchmarks/gpu/wheels
PY=${PYTHON:-.venv/bin/python}
pin() { grep -E "^$1==" requirements.txt | head -1; }
mkdir -p "$DEST"
rm -f "$DEST"/*.whl
platforms=(--platform manylinux_2_28_x86_64 --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64
           --platform manylinux2014_x86_64 --platform any)
"$PY" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${platforms[@]}" \
    -d "$DEST" "$(pin transformers)" "$(pin trl)" "$(pin peft)" "$(pin bitsandbytes)" "$(pin datasets)" \
    "dill<0.4.2" "multiprocess<0.70.20" "regex>=2025.10.22" liger-kernel
# Liger's layer kernels are an optional variant of our recipe (TRL 1.16 applies them with use_liger_kernel).
keep=${CUDA_LIBS:-cuda13*}
for whl in "$DEST"/bitsandbytes-*.whl; do
    drop=$(unzip -Z1 "$whl" | grep -E 'libbitsandbytes_(cuda|rocm|xpu)' | grep -v -E "libbitsandbytes_${keep//\*/.*}\.so" || true)
    [ -n "$drop" ] && zip -q -d "$whl" $drop
done
ls -la "$DEST"
du -sh "$DEST"
