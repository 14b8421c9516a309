"""evaluate: score one model on every row of data/split/eval.jsonl.

    python -m stages.evaluate base        # model.base, freshly loaded, no adapter
    python -m stages.evaluate finetuned   # model.base + the adapter in models/adapter

-> eval/<model>/predictions.jsonl (every eval row: question, reference, answer, ...),
   eval/<model>/qualitative.jsonl (answers to eval.questions) and metrics/eval_<model>.json.

Answers are greedy (medassist.model.generation: prompts from the shared chat format, sorted by
length, batches of eval.batch_size left-padded, stop at EOS, at most eval.max_new_tokens new
tokens, the `decoding` params' anti-repetition settings, the same for both models), scored by
medassist.evaluation.scoring (BLEU, ROUGE, answer NLL, EOS rate, lengths, looping answers).

The base is scored by its own stage from a fresh load, so no adapter can leak into its score and
DVC's run-cache reuses it across experiments that change only training params.
"""

import time

from medassist.core import MedassistError, paths
from medassist.core.cli import parser, run
from medassist.core.io import atomic_dir, check_writable, write_json, write_jsonl
from medassist.core.params import load_params
from medassist.evaluation.degeneration import degeneration
from medassist.evaluation.scoring import load_model, read_eval_rows, score
from medassist.model.chat import encode_example, encode_prompt
from medassist.model.decoding import Decoding
from medassist.model.generation import answer_nll_per_example, generate
from medassist.model.loading import load_tokenizer, require_gpu


def main() -> None:
    cli = parser(__doc__)
    cli.add_argument("model", choices=paths.SIDES)
    which = cli.parse_args().model

    params = load_params()
    p_model, p_eval = params.model, params.eval
    rows = read_eval_rows(paths.EVAL)
    out_dir, out_metrics = paths.eval_dir(which), paths.eval_metrics(which)
    check_writable(out_dir, out_metrics)

    require_gpu(p_model.base, "evaluation")
    model = load_model(which, p_model)  # first: a missing or mismatched adapter fails before anything loads
    tokenizer = load_tokenizer(p_model.base)

    start = time.perf_counter()
    questions = [r["question"] for r in rows] + list(p_eval.questions)
    prompts = [encode_prompt(tokenizer, q) for q in questions]
    decoding = Decoding.from_mapping(params.to_dict()["decoding"])  # the same for both models
    generations = generate(
        model,
        tokenizer,
        prompts,
        p_eval.max_new_tokens,
        p_eval.batch_size,
        desc=f"{which}: generate",
        decoding=decoding,
    )
    generate_s = time.perf_counter() - start
    examples = [encode_example(tokenizer, r["question"], r["answer"], p_model.max_length) for r in rows]
    nll = answer_nll_per_example(
        model, examples, tokenizer.pad_token_id, p_eval.batch_size, desc=f"{which}: likelihood"
    )
    runtime = time.perf_counter() - start

    metrics = score(rows, generations[: len(rows)], nll, p_eval.n_boot, p_eval.seed)
    metrics["generate_s"] = round(generate_s, 2)
    metrics["eval_runtime_s"] = round(runtime, 2)
    predictions = [
        {
            "question": r["question"],
            "reference": r["answer"],
            "answer": g.text,
            "ended_with_eos": g.ended_with_eos,
            "gen_tokens": g.tokens,
            "nll_sum": s,
            "nll_tokens": n,
            **degeneration(g.text),
        }
        for r, g, (s, n) in zip(rows, generations, nll)
    ]
    qualitative = [
        {
            "question": q,
            "answer": g.text,
            "ended_with_eos": g.ended_with_eos,
            "gen_tokens": g.tokens,
            **degeneration(g.text),
        }
        for q, g in zip(p_eval.questions, generations[len(rows) :])
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
        f"EOS {100 * metrics['eos_rate']:.0f}%, {metrics['loops']} looping answers ({decoding.describe()}) "
        f"-> {out_metrics}, {out_dir}/"
    )


if __name__ == "__main__":
    run(main)
