#!/usr/bin/env bash
# The T4 path's proof on an offline CUDA machine in under 8 minutes: hard caps of 30 s (doctor), 60 s
# (attention), 150 s (T4 path) and 225 s (benchmark), plus ~15 s installing; not yet run on a GPU:
# `make doctor`'s checks, the packed-attention kernels against per-example SDPA, the train stage's
# path step by step on a random-init TinyLlama-1.1B-Chat (benchmarks/gpu/check_t4_path.py: the
# first batch's attention against the reference, one QLoRA step through the real SFTTrainer with
# fp16 + grad scaler + fp32 LoRA weights + TRL's Triton loss, eval NLL, batched vs one-at-a-time
# greedy, the export's dtype), then `make bench`'s notebook-vs-ours comparison. Writes log.txt,
# doctor.txt, attention.txt, t4_path.json and bench.json to $OUT.
#
# Prepare here (PyPI access):   bash benchmarks/gpu/fetch_wheels.sh
# On the device (repo root):    bash benchmarks/gpu/run_on_device.sh      (carry: benchmarks/gpu/wheels)
#
# Steps, each reported: the GPU and Python; the carried wheels installed into /tmp/medassist-site
# (nothing is fetched: the machine has no network); every import needed, with its version, or what
# is missing (then it stops, exit 3); the doctor; the attention check (60 s cap), whose fastest
# correct kernel is pinned for what follows; the T4 path (T4_TIMEOUT, default 150 s); the benchmark
# (BENCH_TIMEOUT, default 225 s: one repetition, 64 training examples, 16 prompts x 48 new tokens;
# a T4 takes longer than an H100/H200: raise it there). Exit status: the T4 path's, else the
# benchmark's. BENCH_ARGS adds benchmark options.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
PY=${PYTHON:-python3}
SITE=/tmp/medassist-site
WHEELS=benchmarks/gpu/wheels
started=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - started )) s)"; }

step "machine"
date -u +%Y-%m-%dT%H:%M:%SZ
nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap --format=csv,noheader || echo "nvidia-smi: not found"
"$PY" -c 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__, "CUDA", torch.version.cuda, "available:", torch.cuda.is_available())' \
    || { echo "no Python with torch: set PYTHON=/path/to/python"; exit 2; }

step "wheels"
if compgen -G "$WHEELS/*.whl" >/dev/null; then
    ls "$WHEELS"
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE" "$WHEELS"/*.whl \
        || { echo "installing the carried wheels failed"; exit 2; }
    export PYTHONPATH="$SITE${PYTHONPATH:+:$PYTHONPATH}"
else
    echo "no wheels in $WHEELS (run benchmarks/gpu/fetch_wheels.sh here and carry that folder); using what is installed"
fi

step "imports"
"$PY" - <<'PY' || exit 3
import importlib, importlib.metadata as md, sys
need = ["torch", "transformers", "trl", "peft", "bitsandbytes", "accelerate", "datasets", "tokenizers",
        "safetensors", "huggingface_hub", "jinja2", "regex", "numpy", "yaml", "pandas", "pyarrow", "tqdm"]
optional = ["triton", "flash_attn", "liger_kernel"]
missing = []
for name in need + optional:
    try:
        module = importlib.import_module(name)
        version = getattr(module, "__version__", None) or md.version(name.replace("_", "-"))
        print(f"  {name:14} {version}  {getattr(module, '__file__', '')}")
    except Exception as exc:
        print(f"  {name:14} MISSING ({type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''})")
        if name in need:
            missing.append(name)
import torch
if not torch.cuda.is_available():
    missing.append("a CUDA GPU visible to torch")
if missing:
    print("cannot run: missing " + ", ".join(missing)
          + ("" if missing == ["a CUDA GPU visible to torch"] else " (packages: add their wheels in fetch_wheels.sh)"))
    sys.exit(1)
import bitsandbytes.cextension as cext  # the native library bitsandbytes picked (fails here, not mid-benchmark)
print("  bitsandbytes library:", getattr(cext, "BNB_BACKEND", "?"), getattr(cext, "lib", "?"))
PY

step "doctor"
timeout 30 "$PY" -m medassist.gpu.doctor | tee "$OUT/doctor.txt"

step "packed attention on this GPU"
timeout 60 "$PY" -m benchmarks.gpu.check_attention | tee "$OUT/attention.txt"
backend=$(tail -1 "$OUT/attention.txt")
case "$backend" in flash_attn|torch_varlen|sdpa_expanded|sdpa) ;; *) backend=sdpa ;; esac
export MEDASSIST_PACKED_ATTENTION=$backend
echo "ours runs with packed attention: $backend"

step "T4 path"
timeout "${T4_TIMEOUT:-150}" "$PY" -m benchmarks.gpu.check_t4_path --out "$OUT/t4_path.json"
path_rc=$?
[ $path_rc -eq 124 ] && echo "T4 path stopped at T4_TIMEOUT=${T4_TIMEOUT:-150} s"

step "benchmark"
timeout "${BENCH_TIMEOUT:-225}" "$PY" -m benchmarks.run --size tinyllama --reps 1 --n 64 --prompts 16 \
    --max-new-tokens 48 --out "$OUT/bench.json" ${BENCH_ARGS:-}
rc=$?
[ $rc -eq 124 ] && echo "benchmark stopped at BENCH_TIMEOUT=${BENCH_TIMEOUT:-225} s (the log above shows how far it got)"
[ $path_rc -ne 0 ] && rc=$path_rc
step "done (exit $rc)"
exit $rc
