"""Triton on the machine: TRL 1.16's fused LM-head loss compiles a Triton kernel on CUDA the first
time it runs, and Triton's launcher needs a C compiler and the Python headers. A minimal CUDA image
(no gcc, no python3-dev) fails on the first training step. Where they are missing, the train stage
turns TRL's Triton path off (its PyTorch path computes the same loss, scoring every position
instead of only the answer tokens: slower, not different) and says so; MEDASSIST_TRITON=0 turns it
off on purpose.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import sysconfig
from pathlib import Path

TRITON_ENV = "MEDASSIST_TRITON"


def c_compiler() -> str | None:
    """The compiler Triton would use: $CC, else the first of cc, gcc, clang on PATH."""
    if os.environ.get("CC"):
        return shutil.which(os.environ["CC"])
    return next((path for name in ("cc", "gcc", "clang") if (path := shutil.which(name))), None)


def python_headers() -> Path | None:
    header = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return header if header.is_file() else None


def triton_missing() -> str | None:
    """Why Triton cannot compile a kernel on this machine, or None when it has what it needs."""
    if importlib.util.find_spec("triton") is None:
        return "the triton package is not installed"
    if c_compiler() is None:
        return "no C compiler (apt-get install gcc, or set CC)"
    if python_headers() is None:
        v = sys.version_info
        where = sysconfig.get_paths()["include"]
        return f"no Python headers ({where}/Python.h: apt-get install python{v.major}.{v.minor}-dev)"
    return None


def disable_trl_triton() -> None:
    """TRL's chunked LM-head loss on its PyTorch path (trl.kernels.chunked_logprob reads this flag
    at every call)."""
    from trl.kernels import chunked_logprob

    chunked_logprob._TRITON_AVAILABLE = False


def configure_trl_loss(device_type: str) -> str:
    """Which path TRL's loss takes on this machine ("triton" or "pytorch"), turning Triton off where
    it cannot compile or MEDASSIST_TRITON=0; prints why when it does."""
    from trl.kernels import chunked_logprob

    if device_type not in ("cuda", "xpu") or not chunked_logprob._TRITON_AVAILABLE:
        return "pytorch"
    reason = "MEDASSIST_TRITON=0" if os.environ.get(TRITON_ENV) == "0" else triton_missing()
    if reason is None:
        return "triton"
    disable_trl_triton()
    print(
        f"warning: TRL's fused LM-head loss runs without Triton ({reason}): slower, same loss",
        file=sys.stderr,
    )
    return "pytorch"
