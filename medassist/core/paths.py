"""Every path and name the project shares, defined once.

Paths are relative to the repository root, where DVC runs every stage (dvc.yaml names the same
files). A stage, the demo, the remote and the export read them from here, never from their own copy.
"""

from __future__ import annotations

from pathlib import Path

PARAMS = Path("params.yaml")
PROFILES = Path("profiles")
SAMPLE = Path("data/sample")

# data: fetch -> clean -> split
RAW = Path("data/raw/flashcards.jsonl")
CLEAN = Path("data/clean/flashcards.jsonl")
TRAIN = Path("data/split/train.jsonl")
EVAL = Path("data/split/eval.jsonl")
DEV = Path("data/split/dev.jsonl")  # held out of training and of eval: where decoding is chosen

# models: train -> adapter (-> export)
ADAPTER = Path("models/adapter")
ADAPTER_META = "medassist.json"  # medassist's record beside PEFT's adapter_config.json
CHECKPOINTS = Path("models/checkpoints")
EXPORT = Path("models/export")

# metrics and evaluation outputs
METRICS = Path("metrics")
FETCH_METRICS = METRICS / "fetch.json"
CLEAN_METRICS = METRICS / "clean.json"
SPLIT_METRICS = METRICS / "split.json"
TRAIN_METRICS = METRICS / "train.json"
TRAIN_LIVE = METRICS / "train_live"
SIDES = ("base", "finetuned")  # the two models every evaluation scores
COMPARE = METRICS / "compare.json"
REPORT = METRICS / "report.md"
CHART = METRICS / "compare.png"
PLOT_DATA = METRICS / "compare_plot.json"
PREDICTIONS = Path("eval/predictions.jsonl")
EXPERIMENTS_TABLE = METRICS / "experiments.md"

# The text-overlap scores every evaluation reports (0..100), in display order.
SCORES = ("bleu", "rouge1", "rouge2", "rougeL")


def eval_metrics(side: str) -> Path:
    """metrics/eval_<side>.json: one model's scores on the eval split."""
    return METRICS / f"eval_{side}.json"


def eval_dir(side: str) -> Path:
    """eval/<side>/: one model's answers (predictions.jsonl, qualitative.jsonl)."""
    return Path("eval") / side
