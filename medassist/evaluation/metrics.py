"""Text-overlap metrics with bootstrap confidence intervals.

BLEU comes from ``sacrebleu`` and ROUGE from ``rouge_score``; this module only
adds per-example bookkeeping and a vectorised percentile bootstrap on top.

Scale: every score returned here (BLEU, ROUGE-1/2/L, sentence or corpus level,
deltas and interval bounds) is on a 0..100 scale, so BLEU and ROUGE read alike.

* Corpus BLEU is sacrebleu's ``BLEU().corpus_score`` (13a tokenizer, ``exp``
  smoothing). Each example keeps its sufficient statistics
  ``[sys_len, ref_len, correct_1..4, total_1..4]``; summing the rows of a
  resample and calling ``BLEU.compute_bleu`` gives the corpus BLEU of that
  resample, the same way sacrebleu's own ``--paired-bs`` works.
* ROUGE is the mean over examples of the per-example F-measure from
  ``RougeScorer(['rouge1', 'rouge2', 'rougeL'], use_stemmer=True)``, times 100.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU
from sacrebleu.metrics.bleu import MAX_NGRAM_ORDER

from medassist.core.paths import SCORES

ROUGE_TYPES = tuple(name for name in SCORES if name.startswith("rouge"))
_ORDER = MAX_NGRAM_ORDER  # 4
_CORPUS_BLEU = BLEU()  # sacrebleu defaults for corpus BLEU
_SENT_BLEU = BLEU(effective_order=True)  # sacrebleu's recommended sentence BLEU


def _check(predictions: Sequence[str], *refs: Sequence[str]) -> int:
    """Validate inputs and return the number of examples."""
    n = len(predictions)
    if n == 0:
        raise ValueError("metrics need at least one prediction/reference pair; got empty input")
    for r in refs:
        if len(r) != n:
            raise ValueError(f"length mismatch: {n} predictions vs {len(r)} references/predictions")
    return n


def sentence_scores(predictions: Sequence[str], references: Sequence[str]) -> dict[str, np.ndarray]:
    """Score each (prediction, reference) pair on its own.

    Returns a dict of arrays of length ``n`` (scores on 0..100):

    * ``rouge1``, ``rouge2``, ``rougeL``: ROUGE F-measure of each example.
    * ``bleu``: sentence BLEU (sacrebleu, effective order, default ``exp`` smoothing).
    * ``bleu_stats``: int array of shape ``(n, 2 + 2*4)`` with columns
      ``[sys_len, ref_len, correct_1..4, total_1..4]``; any subset of rows
      summed and passed to :func:`bleu_from_stats` gives that subset's corpus BLEU.
    """
    n = _check(predictions, references)
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    out = {k: np.empty(n) for k in ROUGE_TYPES + ("bleu",)}
    stats = np.empty((n, 2 + 2 * _ORDER), dtype=np.int64)
    for i, (pred, ref) in enumerate(zip(predictions, references)):
        rouge = scorer.score(ref, pred)  # rouge_score takes (target, prediction)
        for k in ROUGE_TYPES:
            out[k][i] = 100.0 * rouge[k].fmeasure
        sb = _SENT_BLEU.sentence_score(pred, [ref])
        out["bleu"][i] = sb.score
        stats[i] = [sb.sys_len, sb.ref_len, *sb.counts, *sb.totals]
    out["bleu_stats"] = stats
    return out


def bleu_from_stats(stats: np.ndarray) -> float:
    """Corpus BLEU (0..100) from summed statistics ``[sys_len, ref_len, correct.., total..]``."""
    return BLEU.compute_bleu(
        correct=[int(x) for x in stats[2 : 2 + _ORDER]],
        total=[int(x) for x in stats[2 + _ORDER :]],
        sys_len=int(stats[0]),
        ref_len=int(stats[1]),
        smooth_method=_CORPUS_BLEU.smooth_method,
        smooth_value=_CORPUS_BLEU.smooth_value,
        effective_order=False,
        max_ngram_order=_ORDER,
    ).score


def _boot_indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    """Index matrix of shape ``(n_boot, n)``: each row is a resample with replacement."""
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def _boot_values(scores: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    """Corpus value of every metric on every resample (arrays of length ``n_boot``)."""
    out = {k: scores[k][idx].mean(axis=1) for k in ROUGE_TYPES}
    summed = scores["bleu_stats"][idx].sum(axis=1)  # (n_boot, 10)
    out["bleu"] = np.array([bleu_from_stats(row) for row in summed])
    return out


def _point_values(scores: dict[str, np.ndarray]) -> dict[str, float]:
    """Corpus value of every metric on the full set."""
    out = {k: float(scores[k].mean()) for k in ROUGE_TYPES}
    out["bleu"] = bleu_from_stats(scores["bleu_stats"].sum(axis=0))
    return out


def _ci(values: np.ndarray) -> list[float]:
    """Percentile 95% interval."""
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [float(lo), float(hi)]


def corpus_metrics(
    predictions: Sequence[str], references: Sequence[str], n_boot: int = 1000, seed: int = 0
) -> dict:
    """Corpus BLEU and mean ROUGE F1 (all 0..100), each with a bootstrap 95% CI.

    Returns ``{"bleu", "bleu_ci", "rouge1", "rouge1_ci", "rouge2", "rouge2_ci",
    "rougeL", "rougeL_ci"}``; ``*_ci`` is ``[lo, hi]`` from a percentile bootstrap
    over examples. Corpus BLEU equals ``sacrebleu.corpus_bleu(predictions, [references])``.
    Deterministic for a given ``seed``. Raises ``ValueError`` on empty input.
    """
    n = _check(predictions, references)
    scores = sentence_scores(predictions, references)
    point = _point_values(scores)
    boot = _boot_values(scores, _boot_indices(n, n_boot, seed))
    result: dict = {}
    for k in SCORES:
        result[k] = point[k]
        result[f"{k}_ci"] = _ci(boot[k])
    return result


def paired_comparison(
    preds_a: Sequence[str],
    preds_b: Sequence[str],
    references: Sequence[str],
    n_boot: int = 1000,
    seed: int = 0,
) -> dict:
    """Compare system a ("base") against system b ("finetuned") on the same references.

    For each metric in ``("bleu", "rouge1", "rouge2", "rougeL")`` returns::

        {"base": a, "finetuned": b, "delta": b - a, "delta_ci": [lo, hi],
         "p_better": share of resamples with b > a,
         "win_rate": share of examples where b's sentence score > a's (ties = 0.5)}

    The bootstrap is paired: both systems are scored on the same resampled
    indices. Sentence-level BLEU for ``win_rate`` is sacrebleu's sentence BLEU.
    """
    n = _check(preds_a, preds_b, references)
    sa, sb = sentence_scores(preds_a, references), sentence_scores(preds_b, references)
    pa, pb = _point_values(sa), _point_values(sb)
    idx = _boot_indices(n, n_boot, seed)
    ba, bb = _boot_values(sa, idx), _boot_values(sb, idx)
    result = {}
    for k in SCORES:
        diff = bb[k] - ba[k]
        wins = (sb[k] > sa[k]).astype(float) + 0.5 * (sb[k] == sa[k])
        result[k] = {
            "base": pa[k],
            "finetuned": pb[k],
            "delta": pb[k] - pa[k],
            "delta_ci": _ci(diff),
            "p_better": float(np.mean(diff > 0)),
            "win_rate": float(wins.mean()),
        }
    return result


def paired_stat_comparison(
    values_a: Sequence[float],
    values_b: Sequence[float],
    weights: Sequence[float] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    lower_is_better: bool = False,
    transform=None,
    wins: Sequence[float] | None = None,
) -> dict:
    """Paired bootstrap of a ratio statistic ``sum(values) / sum(weights)`` (a plain mean when
    ``weights`` is None), optionally passed through ``transform`` (e.g. ``np.exp`` for perplexity).

    Used for the non-text metrics (answer NLL, perplexity, EOS rate, lengths). Returns the same
    shape as :func:`paired_comparison`: ``base``, ``finetuned``, ``delta`` (finetuned - base),
    ``delta_ci``, ``p_better`` (share of resamples where b is better, in the direction given by
    ``lower_is_better``) and ``win_rate``: the share of examples where b is better than a (ties
    count 0.5), judged on ``values/weights`` per example, or on ``wins`` when given (an array of
    1 = b better, 0.5 = tie, 0 = a better). Same resample indices as :func:`paired_comparison`
    for the same ``seed`` and size.
    """
    a, b = np.asarray(values_a, dtype=float), np.asarray(values_b, dtype=float)
    n = _check(a, b)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    _check(a, w)
    if w.sum() <= 0:
        raise ValueError("weights must have a positive sum")
    transform = transform or (lambda x: x)
    stat = lambda v, idx: transform(v[idx].sum(axis=-1) / w[idx].sum(axis=-1))  # noqa: E731
    full = np.arange(n)
    pa, pb = float(stat(a, full)), float(stat(b, full))
    idx = _boot_indices(n, n_boot, seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = stat(b, idx) - stat(a, idx)
    diff = diff[np.isfinite(diff)]  # a resample whose weights sum to 0 has no value
    if wins is None:
        safe = np.where(w > 0, w, 1.0)
        per_a, per_b = a / safe, b / safe
        better = per_b < per_a if lower_is_better else per_b > per_a
        wins = np.where(w > 0, better + 0.5 * (per_b == per_a), 0.5)
    sign = -1.0 if lower_is_better else 1.0
    return {
        "base": pa,
        "finetuned": pb,
        "delta": pb - pa,
        "delta_ci": _ci(diff),
        "p_better": float(np.mean(sign * diff > 0)),
        "win_rate": float(np.mean(wins)),
    }
