"""evaluate: score one model on every row of data/split/eval.jsonl.

    python -m stages.evaluate base        # model.base, freshly loaded, no adapter
    python -m stages.evaluate finetuned   # model.base + the adapter in models/adapter

-> eval/<model>/predictions.jsonl (every eval row: question, reference, answer, ...),
   eval/<model>/qualitative.jsonl (answers to eval.questions) and metrics/eval_<model>.json.

Answers are greedy (medassist.generation: prompts from the shared chat format, sorted by length,
batches of eval.batch_size left-padded, stop at EOS, at most eval.max_new_tokens new tokens).
Metrics: corpus BLEU and ROUGE-1/2/L F1 (0..100) with bootstrap 95% intervals; the answer-only
negative log-likelihood of the reference answers under teacher forcing (and its perplexity); the
share of answers that end with EOS; mean generated vs reference length.

The base is scored by its own stage from a fresh load, so no adapter can leak into its score and
DVC's run-cache reuses it across experiments that change only training params.
"""

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

from medassist import MedassistError
from medassist.chat import encode_example, encode_prompt
from medassist.cli import run
from medassist.generation import answer_nll_per_example, generate
from medassist.io import atomic_dir, read_jsonl, write_json, write_jsonl
from medassist.metrics import METRICS, corpus_metrics
from medassist.modeling import load_base, load_finetuned, load_tokenizer, read_adapter_meta, warn_if_cpu
from medassist.params import load_params

MODELS = ("base", "finetuned")
EVAL = Path("data/split/eval.jsonl")
ADAPTER = Path("models/adapter")


def predictions_dir(which: str) -> Path:
    return Path("eval") / which


def metrics_path(which: str) -> Path:
    return Path("metrics") / f"eval_{which}.json"


def read_eval_rows(path: Path) -> list[dict]:
    rows = read_jsonl(path)
    if not rows:
        raise MedassistError(f"{path} has no rows: nothing to evaluate; check data.eval_fraction and re-run `dvc repro split`")
    for lineno, row in enumerate(rows, 1):
        if not all(isinstance(row.get(k), str) and row[k].strip() for k in ("question", "answer")):
            raise MedassistError(f"{path}:{lineno}: a row needs a non-empty 'question' and 'answer'")
    return rows


def check_writable(*paths: Path) -> None:
    """Fail before minutes of generation, not after, when an output cannot be written."""
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=path.parent):
                pass
        except OSError as exc:
            raise MedassistError(f"cannot write {path}: {exc.strerror or exc}") from None


def load_model(which: str, p_model):
    if which == "base":
        return load_base(p_model.base, p_model.quantization)  # fresh: no adapter anywhere near it
    meta = read_adapter_meta(ADAPTER)  # a clear error when there is no adapter
    if meta.get("quantization") != p_model.quantization:
        print(f"warning: the adapter was trained on a '{meta.get('quantization')}' base; scoring it on "
              f"model.quantization='{p_model.quantization}' like the base", file=sys.stderr)
    model, _ = load_finetuned(ADAPTER, base=p_model.base, quantization=p_model.quantization)
    return model


def score(rows, generations, nll, n_boot: int, seed: int) -> dict:
    predictions = [g.text for g in generations]
    references = [r["answer"] for r in rows]
    text = corpus_metrics(predictions, references, n_boot=n_boot, seed=seed)
    out: dict = {"n": len(rows)}
    for key in METRICS:
        out[key] = text[key]
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = text[f"{key}_ci"]
    nll_sum, nll_tokens = sum(s for s, _ in nll), sum(n for _, n in nll)
    if not nll_tokens:
        raise MedassistError("no answer tokens left to score: model.max_length cuts every eval example inside its prompt")
    out["nll"] = nll_sum / nll_tokens
    out["perplexity"] = math.exp(out["nll"])
    out["answer_tokens"] = nll_tokens
    out["eos_rate"] = sum(g.ended_with_eos for g in generations) / len(generations)
    out["gen_words_mean"] = sum(len(p.split()) for p in predictions) / len(predictions)
    out["ref_words_mean"] = sum(len(r.split()) for r in references) / len(references)
    out["gen_tokens_mean"] = sum(g.tokens for g in generations) / len(generations)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Score one model on the eval split.")
    parser.add_argument("model", choices=MODELS)
    which = parser.parse_args().model

    params = load_params()
    p_model, p_eval = params.model, params.eval
    rows = read_eval_rows(EVAL)
    out_dir, out_metrics = predictions_dir(which), metrics_path(which)
    check_writable(out_dir, out_metrics)

    warn_if_cpu("evaluation")
    model = load_model(which, p_model)  # first: a missing or mismatched adapter fails before anything loads
    tokenizer = load_tokenizer(p_model.base)

    start = time.perf_counter()
    questions = [r["question"] for r in rows] + list(p_eval.questions)
    prompts = [encode_prompt(tokenizer, q) for q in questions]
    generations = generate(model, tokenizer, prompts, p_eval.max_new_tokens, p_eval.batch_size,
                           desc=f"{which}: generate")
    generate_s = time.perf_counter() - start
    examples = [encode_example(tokenizer, r["question"], r["answer"], p_model.max_length) for r in rows]
    nll = answer_nll_per_example(model, examples, tokenizer.pad_token_id, p_eval.batch_size,
                                 desc=f"{which}: likelihood")
    runtime = time.perf_counter() - start

    metrics = score(rows, generations[: len(rows)], nll, p_eval.n_boot, p_eval.seed)
    metrics["generate_s"] = round(generate_s, 2)
    metrics["eval_runtime_s"] = round(runtime, 2)
    predictions = [
        {"question": r["question"], "reference": r["answer"], "answer": g.text, "ended_with_eos": g.ended_with_eos,
         "gen_tokens": g.tokens, "nll_sum": s, "nll_tokens": n}
        for r, g, (s, n) in zip(rows, generations, nll)
    ]
    qualitative = [
        {"question": q, "answer": g.text, "ended_with_eos": g.ended_with_eos, "gen_tokens": g.tokens}
        for q, g in zip(p_eval.questions, generations[len(rows):])
    ]
    try:
        with atomic_dir(out_dir) as tmp:
            write_jsonl(tmp / "predictions.jsonl", predictions)
            write_jsonl(tmp / "qualitative.jsonl", qualitative)
        write_json(out_metrics, metrics)
    except OSError as exc:
        raise MedassistError(f"cannot write the {which} evaluation: {exc}") from None

    print(
        f"evaluate {which}: {len(rows)} rows in {runtime:.1f}s; ROUGE-L {metrics['rougeL']:.2f} "
        f"[{metrics['rougeL_ci_low']:.2f}, {metrics['rougeL_ci_high']:.2f}], BLEU {metrics['bleu']:.2f}, "
        f"answer NLL {metrics['nll']:.3f} (perplexity {metrics['perplexity']:.1f}), "
        f"EOS {100 * metrics['eos_rate']:.0f}% -> {out_metrics}, {out_dir}/"
    )


if __name__ == "__main__":
    run(main)
