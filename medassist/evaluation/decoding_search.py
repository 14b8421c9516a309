"""`make decoding`: choose the decoding settings on the dev slice, never on the eval rows.

    python -m medassist.evaluation.decoding_search            # the trained adapter, data/split/dev.jsonl
    python -m medassist.evaluation.decoding_search --json metrics/decoding_search.json
    python -m medassist.evaluation.decoding_search --plain-only   # compare training settings

The split holds a dev slice out of the training rows (`data.dev_fraction`, whole near-duplicate
groups, never an eval row). The fine-tuned model, as served (model.base + models/adapter,
model.quantization), answers every dev row greedily under each candidate in CANDIDATES, and each
candidate is scored as evaluation scores answers: ROUGE-L against the reference, the share of
answers that loop (medassist.evaluation.degeneration), the share that end with the end-of-turn
token, distinct-2 and length. The rule, fixed before any candidate was run:

  1. eligible: at most MAX_LOOP_RATE of the answers loop and at least MIN_EOS_RATE end with the
     end-of-turn token;
  2. of the eligible, the highest ROUGE-L wins (none eligible: the fewest loops, then ROUGE-L).

It prints the table and the winner's `decoding` params, and writes them as JSON with --json. It
changes nothing: put the winner in params.yaml (or a profile) and commit it, so the evaluation on
the eval rows runs with settings that were frozen before it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from medassist.core import MedassistError, paths
from medassist.core.cli import parser, run
from medassist.core.io import write_json
from medassist.core.params import load_params
from medassist.evaluation import degeneration
from medassist.evaluation.metrics import sentence_scores
from medassist.model.decoding import Decoding

CANDIDATES = (
    Decoding(),
    Decoding(no_repeat_ngram_size=3),
    Decoding(no_repeat_ngram_size=4),
    Decoding(no_repeat_ngram_size=5),
    Decoding(repetition_penalty=1.1),
    Decoding(repetition_penalty=1.2),
    Decoding(repetition_penalty=1.3),
    Decoding(repetition_penalty=1.1, no_repeat_ngram_size=4),
)
MAX_LOOP_RATE = 0.05
MIN_EOS_RATE = 0.95


@dataclass(frozen=True)
class Outcome:
    decoding: Decoding
    rougeL: float
    loop_rate: float
    eos_rate: float
    distinct_2: float
    words: float
    seconds: float

    @property
    def eligible(self) -> bool:
        return self.loop_rate <= MAX_LOOP_RATE and self.eos_rate >= MIN_EOS_RATE

    def row(self) -> dict:
        return {
            **self.decoding.to_dict(),
            "rougeL": round(self.rougeL, 2),
            "loop_rate": round(self.loop_rate, 4),
            "eos_rate": round(self.eos_rate, 4),
            "distinct_2": round(self.distinct_2, 4),
            "answer_words": round(self.words, 1),
            "seconds": round(self.seconds, 1),
            "eligible": self.eligible,
        }


def score_answers(decoding: Decoding, answers, references: list[str], seconds: float) -> Outcome:
    texts = [a.text for a in answers]
    figures = degeneration.summary(texts)
    n = len(texts)
    return Outcome(
        decoding=decoding,
        rougeL=float(sentence_scores(texts, references)["rougeL"].mean()),
        loop_rate=figures["loop_rate"],
        eos_rate=sum(a.ended_with_eos for a in answers) / n,
        distinct_2=figures["distinct_2"],
        words=sum(len(t.split()) for t in texts) / n,
        seconds=seconds,
    )


def choose(outcomes: list[Outcome]) -> Outcome:
    eligible = [o for o in outcomes if o.eligible]
    if eligible:
        return max(eligible, key=lambda o: o.rougeL)
    return min(outcomes, key=lambda o: (o.loop_rate, -o.rougeL))


def table(outcomes: list[Outcome], winner: Outcome) -> str:
    lines = [
        "| repetition_penalty | no_repeat_ngram_size | ROUGE-L | loops | ends with EOS | distinct-2 | words | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        mark = "**chosen**" if o is winner else ("eligible" if o.eligible else "")
        lines.append(
            f"| {o.decoding.repetition_penalty:g} | {o.decoding.no_repeat_ngram_size} | {o.rougeL:.2f} | "
            f"{100 * o.loop_rate:.0f}% | {100 * o.eos_rate:.0f}% | {o.distinct_2:.3f} | {o.words:.0f} | {mark} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    cli = parser(__doc__)
    cli.add_argument("--json", type=Path, help="also write the table and the winner to this JSON file")
    cli.add_argument(
        "--plain-only",
        action="store_true",
        help="score plain greedy decoding only (to compare training settings by their loops and EOS rate)",
    )
    args = cli.parse_args(argv)

    from medassist.evaluation.scoring import load_model, read_eval_rows
    from medassist.model.chat import encode_prompt
    from medassist.model.generation import generate
    from medassist.model.loading import load_tokenizer

    params = load_params()
    if not paths.DEV.is_file():
        raise MedassistError(
            f"{paths.DEV} not found: the split writes it when data.dev_fraction > 0 (`dvc repro split`)"
        )
    rows = read_eval_rows(paths.DEV)
    model = load_model("finetuned", params.model)
    tokenizer = load_tokenizer(params.model.base)
    prompts = [encode_prompt(tokenizer, r["question"]) for r in rows]
    references = [r["answer"] for r in rows]
    outcomes = []
    for decoding in CANDIDATES[:1] if args.plain_only else CANDIDATES:
        start = time.perf_counter()
        answers = generate(
            model,
            tokenizer,
            prompts,
            params.eval.max_new_tokens,
            params.eval.batch_size,
            desc=decoding.describe(),
            decoding=decoding,
        )
        outcomes.append(score_answers(decoding, answers, references, time.perf_counter() - start))
        print(f"decoding: {decoding.describe()}: {outcomes[-1].row()}", file=sys.stderr)
    winner = choose(outcomes)
    print(f"{len(rows)} dev rows ({paths.DEV}), {params.model.base} + {paths.ADAPTER}, greedy:\n")
    print(table(outcomes, winner))
    print(
        f"\nchosen: {winner.decoding.describe()} -> params: "
        + " ".join(f"-S decoding.{k}={v}" for k, v in winner.decoding.to_dict().items())
    )
    if args.json:
        write_json(
            args.json,
            {
                "dev_rows": len(rows),
                "rule": {"max_loop_rate": MAX_LOOP_RATE, "min_eos_rate": MIN_EOS_RATE},
                "candidates": [o.row() for o in outcomes],
                "chosen": winner.decoding.to_dict(),
            },
        )


if __name__ == "__main__":
    run(main)
