"""`make setup`'s torch on a CUDA machine: the build that matches the NVIDIA driver, or a clear stop.

    python -m medassist.gpu.torch_wheel            # prints the decision; installs nothing
    python -m medassist.gpu.torch_wheel install    # what `make setup` runs before requirements.txt

Standard library only: it runs in the fresh venv before torch is there.

- No `nvidia-smi` (a CPU machine): nothing to do. requirements.txt's `torch==2.13.0` is installed as
  it always was (the local CPU wheel on this project's CI machine; PyPI's default build elsewhere).
- `nvidia-smi` runs: its header names the newest CUDA the driver supports. PyPI's torch 2.13.0 is a
  CUDA 13 build (`+cu130`), which needs a Linux driver >= 580: a CUDA 13 driver keeps it. With an
  older driver CUDA would simply be "unavailable", so a CUDA 12 driver (>= 525; Colab's and
  Kaggle's T4s have had 12.x drivers) gets torch from PyTorch's cu128 or cu126 index instead, the
  `+cuXYZ` label pinned so an installed `+cu130` is replaced; each is tried in turn (which CUDA 12
  builds PyTorch publishes for 2.13 was not checked here: no access to its index).
- An older driver, or an `nvidia-smi` that fails: stop, saying which driver is needed.
- `TORCH_INDEX=<url>` overrides the choice (e.g. https://download.pytorch.org/whl/cpu for a small
  CPU-only torch): `torch==2.13.0` from that index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

TORCH = "2.13.0"
PYTORCH_INDEX = "https://download.pytorch.org/whl"
CUDA13_DRIVER = 580  # the oldest Linux driver of CUDA 13.x (NVIDIA's CUDA compatibility table)
CUDA12_DRIVER = 525  # the oldest of CUDA 12.x with minor-version compatibility


@dataclass
class Choice:
    """What to install: ``installs`` is a list of pip argument lists, tried in order (empty: keep
    requirements.txt's torch); ``error`` stops setup."""

    reason: str
    installs: list[list[str]] = field(default_factory=list)
    error: str | None = None


def driver_info(smi_output: str) -> tuple[int, tuple[int, int]] | None:
    """(driver major version, (CUDA major, minor)) from `nvidia-smi`'s header, None if not found."""
    driver = re.search(r"Driver Version:\s*(\d+)\.", smi_output)
    cuda = re.search(r"CUDA Version:\s*(\d+)\.(\d+)", smi_output)
    if not driver or not cuda:
        return None
    return int(driver.group(1)), (int(cuda.group(1)), int(cuda.group(2)))


def index_install(build: str) -> list[str]:
    return [f"torch=={TORCH}+{build}", "--index-url", f"{PYTORCH_INDEX}/{build}"]


def choose(smi_output: str | None, smi_failed: bool = False, torch_index: str | None = None) -> Choice:
    """The decision, from `nvidia-smi`'s output (None: no nvidia-smi on PATH)."""
    if torch_index:
        return Choice(f"TORCH_INDEX={torch_index}", [[f"torch=={TORCH}", "--index-url", torch_index]])
    if smi_output is None:
        return Choice("no nvidia-smi: a CPU machine; requirements.txt's torch as it is")
    info = driver_info(smi_output) if not smi_failed else None
    if info is None:
        return Choice(
            "nvidia-smi failed",
            error="nvidia-smi is installed but reports no driver/GPU (is the NVIDIA driver loaded? on Colab: "
            "Runtime > Change runtime type > T4 GPU). Fix it and rerun `make setup`, or set "
            f"TORCH_INDEX={PYTORCH_INDEX}/cpu to install a CPU-only torch on purpose",
        )
    driver, cuda = info
    found = f"NVIDIA driver {driver} (CUDA {cuda[0]}.{cuda[1]})"
    if cuda[0] >= 13:
        return Choice(
            f"{found}: PyPI's torch {TORCH} (a CUDA 13 build) matches; requirements.txt's torch as it is"
        )
    if cuda[0] == 12:
        return Choice(
            f"{found}: PyPI's torch {TORCH} is a CUDA 13 build (driver >= {CUDA13_DRIVER}); a CUDA 12 build instead",
            [index_install("cu128"), index_install("cu126")],
        )
    return Choice(
        found,
        error=f"{found} is too old for torch {TORCH}: it needs CUDA 12 (driver >= {CUDA12_DRIVER}) or CUDA 13 "
        f"(driver >= {CUDA13_DRIVER}); update the NVIDIA driver",
    )


def probe() -> Choice:
    torch_index = os.environ.get("TORCH_INDEX") or None
    smi = shutil.which("nvidia-smi")
    if smi is None or torch_index:
        return choose(None, torch_index=torch_index)
    try:
        proc = subprocess.run([smi], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return choose("", smi_failed=True)
    return choose(proc.stdout, smi_failed=proc.returncode != 0)


def main(argv: list[str]) -> int:
    choice = probe()
    print(f"torch: {choice.reason}", file=sys.stderr)
    if choice.error:
        print(f"error: {choice.error}", file=sys.stderr)
        return 2
    if argv[:1] != ["install"]:
        for args in choice.installs:
            print("  pip install " + " ".join(args), file=sys.stderr)
        return 0
    for args in choice.installs:
        if subprocess.run([sys.executable, "-m", "pip", "install", "-q", *args]).returncode == 0:
            return 0
        print(f"torch: not available: pip install {' '.join(args)}", file=sys.stderr)
    if choice.installs:
        tried = ", ".join(args[-1] for args in choice.installs)
        print(
            f"error: no torch {TORCH} build for this driver could be installed (tried {tried}); update the NVIDIA "
            f"driver to >= {CUDA13_DRIVER} (then PyPI's CUDA 13 build works), or set TORCH_INDEX to a PyTorch "
            f"index that has torch {TORCH} for it, and rerun `make setup`",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
