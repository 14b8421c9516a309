"""`make doctor`: is this machine ready to QLoRA-train on its GPU? One line per check, in seconds.

    python -m medassist.gpu.doctor

Checks: torch and its CUDA build; the GPU, its compute capability and the driver; bitsandbytes and
the CUDA library it loaded; Triton (installed, a C compiler, the Python headers, a kernel compiled
and run); a 4-bit NF4 matmul against the same weights dequantized; the packed-row attention kernel
training will use. Exit status 0 when every check passes, 1 otherwise (on a machine with no GPU:
the offline profiles run there, `dvc repro` with TinyLlama does not).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable

OK, FAIL = "ok", "FAIL"


def line(status: str, what: str, detail: str) -> str:
    return f"{status:4} {what:12} {detail}"


def driver() -> str:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return "no nvidia-smi"
    proc = subprocess.run(
        [smi, "--query-gpu=driver_version", "--format=csv,noheader"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return f"driver {proc.stdout.strip().splitlines()[0]}" if proc.returncode == 0 else "nvidia-smi failed"


def check_triton(device) -> str:
    """Compile and run a one-line Triton kernel (what TRL's fused loss needs on the first step)."""
    import torch
    import triton
    import triton.language as tl

    from medassist.gpu.toolchain import triton_missing

    missing = triton_missing()
    if missing:
        raise RuntimeError(
            f"{missing}; training turns TRL's Triton loss off (slower), MEDASSIST_TRITON=0 does it on purpose"
        )

    @triton.jit
    def add_one(x_ptr, n, BLOCK: tl.constexpr):
        offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        keep = offsets < n
        tl.store(x_ptr + offsets, tl.load(x_ptr + offsets, mask=keep) + 1, mask=keep)

    x = torch.zeros(1000, device=device)
    add_one[(triton.cdiv(1000, 256),)](x, 1000, BLOCK=256)
    torch.cuda.synchronize(device)
    if not bool((x == 1).all()):
        raise RuntimeError("the compiled kernel computed a wrong result")
    return f"triton {triton.__version__}: a kernel compiled and ran"


def check_4bit(device) -> str:
    """A NF4 (double-quant, fp16 compute) Linear4bit against its own weights dequantized."""
    import bitsandbytes as bnb
    import bitsandbytes.functional as F
    import torch

    torch.manual_seed(0)
    dense = torch.nn.Linear(2048, 2048, bias=False, dtype=torch.float16)
    layer = bnb.nn.Linear4bit(
        2048, 2048, bias=False, compute_dtype=torch.float16, quant_type="nf4", compress_statistics=True
    )
    layer.weight = bnb.nn.Params4bit(
        dense.weight.data, requires_grad=False, quant_type="nf4", compress_statistics=True
    )
    layer = layer.to(device)
    x = torch.randn(8, 2048, dtype=torch.float16, device=device)
    out = layer(x)
    weight = F.dequantize_4bit(layer.weight.data, layer.weight.quant_state)
    error = (out.float() - (x @ weight.t()).float()).abs().max().item()
    if not torch.isfinite(out).all() or error > 0.05:
        raise RuntimeError(f"NF4 matmul differs from the dequantized weights' by {error:.3g}")
    return f"NF4 double-quant fp16 matmul matches its dequantized weights (max |diff| {error:.1e})"


def run_check(what: str, check: Callable[[], str]) -> tuple[bool, str]:
    try:
        return True, line(OK, what, check())
    except Exception as exc:  # a doctor reports, it does not crash
        detail = str(exc).splitlines()[0][:300] if str(exc) else ""
        return False, line(FAIL, what, f"{type(exc).__name__}: {detail}")


def main() -> int:
    import torch

    cuda = torch.cuda.is_available()
    print(
        line(
            OK if cuda else FAIL,
            "torch",
            f"{torch.__version__}, CUDA build {torch.version.cuda}, available: {cuda}",
        )
    )
    if not cuda:
        print(line(FAIL, "GPU", f"{driver()}; torch sees no CUDA GPU"))
        if torch.version.cuda is None:
            hint = "a CPU-only torch: on a GPU machine rerun `make setup` (medassist/gpu/torch_wheel.py)"
        else:
            hint = (
                f"torch's CUDA {torch.version.cuda} build needs a driver that supports it: "
                "update the driver or rerun `make setup`"
            )
        print(
            f"not ready: {hint}. Without a GPU the offline profiles run (`make smoke`); the train and eval "
            "stages refuse TinyLlama (MEDASSIST_ALLOW_CPU=1 runs it on the CPU anyway, for hours)"
        )
        return 1
    device = torch.device("cuda", torch.cuda.current_device())
    props = torch.cuda.get_device_properties(device)
    major, minor = torch.cuda.get_device_capability(device)
    print(
        line(
            OK,
            "GPU",
            f"{props.name}, sm{major}{minor}, {props.total_memory / 2**30:.1f} GiB, {driver()}, "
            f"bf16: {'yes' if torch.cuda.is_bf16_supported() else 'no (fp16 training, as on a T4)'}",
        )
    )
    results = []

    def bnb_library() -> str:
        import bitsandbytes
        import bitsandbytes.cextension as cext

        lib = str(getattr(getattr(cext, "lib", None), "_name", None) or getattr(cext, "lib", "?"))
        if "cuda" not in lib.rsplit("/", 1)[-1].lower():
            raise RuntimeError(
                f"bitsandbytes loaded {lib}, not a CUDA library (torch CUDA {torch.version.cuda})"
            )
        return f"bitsandbytes {bitsandbytes.__version__}, library {lib}"

    def attention_kernel() -> str:
        from medassist.model import attention

        return f"packed rows on {attention.backend(device)} (available here: {attention.available(device)})"

    for what, check in (
        ("bitsandbytes", bnb_library),
        ("triton", lambda: check_triton(device)),
        ("4-bit", lambda: check_4bit(device)),
        ("attention", attention_kernel),
    ):
        ok, text = run_check(what, check)
        results.append(ok)
        print(text)
    if all(results):
        print(f"ready: `dvc repro` trains on {props.name}")
        return 0
    print("not ready: see the FAIL lines above (docs/gpu.md)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
