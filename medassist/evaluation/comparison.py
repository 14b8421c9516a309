"""Base vs fine-tuned on the same eval rows: each metric's delta with a paired-bootstrap interval.

The bootstrap is paired: both models are scored on the same resampled rows, so the interval of
the delta is much tighter than the two separate intervals suggest.
"""

from __future__ import annotations

import numpy as np

from medassist.core import MedassistError
from medassist.core.paths import SIDES
from medassist.evaluation.metrics import paired_comparison, paired_stat_comparison

LOWER_IS_BETTER = {"nll", "perplexity", "loop_rate"}


def check_aligned(base: list[dict], finetuned: list[dict]) -> None:
    if not base:
        raise MedassistError(
            "the eval predictions are empty: nothing to compare (is data/split/eval.jsonl empty?)"
        )
    key = lambda r: (r["question"], r["reference"])  # noqa: E731
    if len(base) != len(finetuned) or any(key(a) != key(b) for a, b in zip(base, finetuned)):
        raise MedassistError(
            f"the base ({len(base)} rows) and fine-tuned ({len(finetuned)} rows) predictions are not for the "
            "same eval rows: re-run both evaluations (`dvc repro compare`)"
        )


def compare(base: list[dict], finetuned: list[dict], n_boot: int, seed: int) -> dict:
    refs = [r["reference"] for r in base]
    col = lambda rows, k: np.array([r[k] for r in rows], dtype=float)  # noqa: E731
    out = paired_comparison([r["answer"] for r in base], [r["answer"] for r in finetuned], refs, n_boot, seed)
    tokens = col(base, "nll_tokens")
    if not np.array_equal(tokens, col(finetuned, "nll_tokens")):
        raise MedassistError(
            "the base and fine-tuned likelihoods were computed on different tokens: re-run both evaluations"
        )
    nll = dict(weights=tokens, n_boot=n_boot, seed=seed, lower_is_better=True)
    out["nll"] = paired_stat_comparison(col(base, "nll_sum"), col(finetuned, "nll_sum"), **nll)
    out["perplexity"] = paired_stat_comparison(
        col(base, "nll_sum"), col(finetuned, "nll_sum"), transform=np.exp, **nll
    )
    out["eos_rate"] = paired_stat_comparison(
        col(base, "ended_with_eos"), col(finetuned, "ended_with_eos"), n_boot=n_boot, seed=seed
    )
    out["loop_rate"] = paired_stat_comparison(
        col(base, "loop"), col(finetuned, "loop"), n_boot=n_boot, seed=seed, lower_is_better=True
    )
    out["distinct_2"] = paired_stat_comparison(
        col(base, "distinct_2"), col(finetuned, "distinct_2"), n_boot=n_boot, seed=seed
    )
    # Length: a "win" is an answer whose length is closer to the reference's.
    ref_words = np.array([len(r.split()) for r in refs], dtype=float)
    words = {
        side: np.array([len(r["answer"].split()) for r in rows], dtype=float)
        for side, rows in zip(SIDES, (base, finetuned))
    }
    gap_a, gap_b = np.abs(words["base"] - ref_words), np.abs(words["finetuned"] - ref_words)
    out["gen_words_mean"] = paired_stat_comparison(
        words["base"],
        words["finetuned"],
        n_boot=n_boot,
        seed=seed,
        wins=(gap_b < gap_a) + 0.5 * (gap_b == gap_a),
    )
    flat = {}
    for metric, r in out.items():
        lo, hi = r.pop("delta_ci")
        flat[metric] = {**r, "delta_ci_low": lo, "delta_ci_high": hi}
    flat["ref_words_mean"] = float(ref_words.mean())
    flat["n"] = len(base)
    return flat


def verdict(metric: str, r: dict) -> str:
    lower = metric in LOWER_IS_BETTER
    if r["delta_ci_low"] > 0:
        return "worse" if lower else "better"
    if r["delta_ci_high"] < 0:
        return "better" if lower else "worse"
    return "no clear difference"
