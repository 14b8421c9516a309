"""The evaluation in a few markdown lines, for the demo's panel and the export's model card.

Reads only what the pipeline writes, by the names it writes them under: metrics/eval_<side>.json
(each score with <score>_ci_low/_ci_high, eos_rate, loop_rate, n), metrics/compare.json (per score: delta,
delta_ci_low, delta_ci_high) and metrics/train.json (train_loss, eval_loss). A file that is
missing or unreadable reads as empty: the table then says what is missing.
"""

from __future__ import annotations

import json
from pathlib import Path

from medassist.core import paths
from medassist.core.paths import SCORES


def read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def score_cell(side: dict, key: str) -> str:
    """ "12.3 [10.0, 14.5]": a score with its bootstrap interval when recorded, "–" when absent."""
    value = _number(side.get(key))
    if value is None:
        return "–"
    low, high = _number(side.get(f"{key}_ci_low")), _number(side.get(f"{key}_ci_high"))
    return f"{value:.1f}" + (f" [{low:.1f}, {high:.1f}]" if low is not None and high is not None else "")


def delta_cell(compare: dict, key: str) -> str:
    entry = compare.get(key) if isinstance(compare.get(key), dict) else {}
    delta, low, high = (_number(entry.get(k)) for k in ("delta", "delta_ci_low", "delta_ci_high"))
    if delta is None:
        return "–"
    return f"{delta:+.1f}" + (f" [{low:+.1f}, {high:+.1f}]" if low is not None and high is not None else "")


def percent(side: dict, key: str) -> str:
    value = _number(side.get(key))
    return "–" if value is None else f"{value:.0%}"


def scores_table(metrics_dir: Path) -> list[str] | None:
    """Base vs fine-tuned, each score with its interval and the paired delta; None before `dvc repro`."""
    sides = {side: read_json(metrics_dir / paths.eval_metrics(side).name) for side in paths.SIDES}
    compare = read_json(metrics_dir / paths.COMPARE.name)
    base, finetuned = sides["base"], sides["finetuned"]
    if all(_number(finetuned.get(k)) is None for k in SCORES):
        return None
    n = _number(finetuned.get("n"))
    lines = [
        f"Greedy answers to {f'{n:,.0f} ' if n else ''}held-out flashcards, scored 0-100 against the "
        "reference answers (95% bootstrap interval in brackets).",
        "",
        "| metric | base | fine-tuned | fine-tuned - base |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {score_cell(base, k)} | {score_cell(finetuned, k)} | {delta_cell(compare, k)} |"
        for k in SCORES
    ]
    if _number(finetuned.get("eos_rate")) is not None:
        lines.append(
            f"| answers that end (EOS) | {percent(base, 'eos_rate')} | {percent(finetuned, 'eos_rate')} | |"
        )
    if _number(finetuned.get("loop_rate")) is not None:
        lines.append(
            f"| answers that loop | {percent(base, 'loop_rate')} | {percent(finetuned, 'loop_rate')} | |"
        )
    return lines


def training_line(metrics_dir: Path) -> str | None:
    train = read_json(metrics_dir / paths.TRAIN_METRICS.name)
    parts = [
        f"{label} {_number(train[k]):.3f}"
        for k, label in (("train_loss", "train loss"), ("eval_loss", "eval loss"))
        if _number(train.get(k)) is not None
    ]
    return "**Training:** " + ", ".join(parts) if parts else None
