"""What the benchmark workers share: the flashcard data, peak-memory probes, machine facts."""

from __future__ import annotations

import json
import os
import platform
import random
import resource
from importlib import metadata
from pathlib import Path

import torch

from medassist.core.io import read_jsonl
from medassist.core.params import load_params

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "flashcards.jsonl"
TINY_TOKENIZER = ROOT / "tests" / "fixtures" / "tiny-llama"
PARAMS = ROOT / "params.yaml"


def params():
    return load_params(PARAMS)


def flashcards(source: str | Path = SAMPLE, seed: int = 0) -> list[dict]:
    """Cleaned {question, answer} rows of the sample (the clean stage's own rules), in a fixed
    shuffled order: the first rows are the training examples, the last rows' questions the prompts."""
    from medassist.data.clean import clean_rows

    clean = params().clean
    rows, _, _ = clean_rows(
        read_jsonl(source), clean.max_question_words, clean.max_answer_words, clean.overlong
    )
    random.Random(seed).shuffle(rows)
    return rows


def take(rows: list[dict], n: int) -> list[dict]:
    """n rows, cycling through the sample when n is larger than it."""
    return [rows[i % len(rows)] for i in range(n)]


# -- memory ----------------------------------------------------------------------------------


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def rss_mb() -> float:
    kib = _status_kib("VmRSS")
    return (kib if kib is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


class PeakMemory:
    """Peak memory over a `with` block: on CUDA the allocator's peak, on a CPU the process's peak
    RSS (Linux: VmHWM, reset at the start of the block through /proc/self/clear_refs; where that
    is not allowed, the peak of the whole worker process, which loaded nothing bigger)."""

    def __enter__(self):
        self.cuda = torch.cuda.is_available()
        if self.cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self.start_mb = torch.cuda.memory_allocated() / 2**20
            self.scope = "cuda max_memory_allocated over the measurement"
            return self
        self.start_mb = rss_mb()
        try:
            Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
            self.scope = "peak RSS over the measurement (VmHWM after clear_refs)"
        except OSError:
            self.scope = "peak RSS of the worker process (ru_maxrss)"
        return self

    def __exit__(self, *exc):
        if self.cuda:
            torch.cuda.synchronize()
            self.peak_mb = torch.cuda.max_memory_allocated() / 2**20
        else:
            hwm = _status_kib("VmHWM") if "VmHWM" in self.scope else None
            self.peak_mb = (
                hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            ) / 1024
        return False

    def record(self) -> dict:
        return {"peak_mem_mb": round(self.peak_mb, 1), "mem_delta_mb": round(self.peak_mb - self.start_mb, 1)}


# -- machine -----------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    info = {
        "cpu": _cpu_model(),
        "cpu_cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cuda": torch.cuda.is_available(),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "versions": {p: _version(p) for p in ("torch", "transformers", "trl", "peft", "bitsandbytes")},
    }
    try:
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        info["ram_gb"] = round(kib / 2**20, 1)
    except (OSError, StopIteration):
        pass
    if torch.cuda.is_available():
        info["gpu_memory_gb"] = round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1)
    return info


def write_result(path: str | Path, result: dict) -> None:
    Path(path).write_text(json.dumps(result, indent=2) + "\n")
