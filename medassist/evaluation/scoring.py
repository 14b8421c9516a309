"""Scoring one model on the eval split: its rows checked, its model loaded, its answers scored.

Metrics: corpus BLEU and ROUGE-1/2/L F1 (0..100) with bootstrap 95% intervals; the answer-only
negative log-likelihood of the reference answers under teacher forcing (and its perplexity); the
share of answers that end with EOS; mean generated vs reference length; degeneration (the share of
answers that loop, mean distinct-2: medassist.evaluation.degeneration).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from medassist.core import MedassistError, paths
from medassist.core.io import read_jsonl
from medassist.core.paths import SCORES
from medassist.evaluation import degeneration
from medassist.evaluation.metrics import corpus_metrics
from medassist.model.adapter import read_adapter_meta
from medassist.model.loading import load_base, load_finetuned


def read_eval_rows(path: Path) -> list[dict]:
    rows = read_jsonl(path)
    if not rows:
        raise MedassistError(
            f"{path} has no rows: nothing to evaluate; check data.eval_fraction and re-run `dvc repro split`"
        )
    for lineno, row in enumerate(rows, 1):
        if not all(isinstance(row.get(k), str) and row[k].strip() for k in ("question", "answer")):
            raise MedassistError(f"{path}:{lineno}: a row needs a non-empty 'question' and 'answer'")
    return rows


def load_model(side: str, p_model):
    if side == "base":
        return load_base(p_model.base, p_model.quantization)  # fresh: no adapter anywhere near it
    meta = read_adapter_meta(paths.ADAPTER)  # a clear error when there is no adapter
    if meta.get("quantization") != p_model.quantization:
        print(
            f"warning: the adapter was trained on a '{meta.get('quantization')}' base; scoring it on "
            f"model.quantization='{p_model.quantization}' like the base",
            file=sys.stderr,
        )
    model, _ = load_finetuned(paths.ADAPTER, base=p_model.base, quantization=p_model.quantization)
    return model


def score(rows, generations, nll, n_boot: int, seed: int) -> dict:
    predictions = [g.text for g in generations]
    references = [r["answer"] for r in rows]
    text = corpus_metrics(predictions, references, n_boot=n_boot, seed=seed)
    out: dict = {"n": len(rows)}
    for key in SCORES:
        out[key] = text[key]
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = text[f"{key}_ci"]
    nll_sum, nll_tokens = sum(s for s, _ in nll), sum(n for _, n in nll)
    if not nll_tokens:
        raise MedassistError(
            "no answer tokens left to score: model.max_length cuts every eval example inside its prompt"
        )
    out["nll"] = nll_sum / nll_tokens
    out["perplexity"] = math.exp(out["nll"])
    out["answer_tokens"] = nll_tokens
    out["eos_rate"] = sum(g.ended_with_eos for g in generations) / len(generations)
    out["gen_words_mean"] = sum(len(p.split()) for p in predictions) / len(predictions)
    out["ref_words_mean"] = sum(len(r.split()) for r in references) / len(references)
    out["gen_tokens_mean"] = sum(g.tokens for g in generations) / len(generations)
    out.update(degeneration.summary(predictions))
    return out
