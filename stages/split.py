"""split: data/clean -> data/split/{train,eval}.jsonl + metrics/split.json.

A seeded shuffle draws data.n_samples rows; near-duplicate questions (equal after lower-casing and
removing punctuation and whitespace) form groups, and whole groups go to eval until it holds
data.eval_fraction of the rows, so no group straddles the split. The report states the leakage.
"""

import random
import re
from collections import defaultdict
from pathlib import Path

from medassist import MedassistError
from medassist.cli import run
from medassist.io import read_jsonl, write_json, write_jsonl
from medassist.params import load_params

CLEAN = Path("data/clean/flashcards.jsonl")
TRAIN = Path("data/split/train.jsonl")
EVAL = Path("data/split/eval.jsonl")
REPORT = Path("metrics/split.json")

NOT_WORD = re.compile(r"[\W_]+")


def question_key(question: str) -> str:
    return NOT_WORD.sub("", question.lower())


def split_rows(rows, n_samples, eval_fraction, seed):
    rng = random.Random(seed)
    rows = list(rows)
    rng.shuffle(rows)
    if n_samples:
        if n_samples > len(rows):
            raise MedassistError(
                f"data.n_samples={n_samples} but only {len(rows)} clean rows exist; "
                "lower data.n_samples (0 = all rows)"
            )
        rows = rows[:n_samples]
    groups = defaultdict(list)
    for row in rows:
        groups[question_key(row["question"])].append(row)
    keys = list(groups)
    rng.shuffle(keys)
    target = round(len(rows) * eval_fraction)
    train, evaluation = [], []
    for key in keys:
        (evaluation if len(evaluation) < target else train).extend(groups[key])
    if not train or not evaluation:
        raise MedassistError(
            f"split of {len(rows)} rows with eval_fraction={eval_fraction} leaves an empty side; "
            "use more rows or another data.eval_fraction"
        )
    return train, evaluation, len(groups)


def main() -> None:
    params = load_params().data
    train, evaluation, n_groups = split_rows(
        read_jsonl(CLEAN), params.n_samples, params.eval_fraction, params.seed
    )
    leaked = {question_key(r["question"]) for r in train} & {question_key(r["question"]) for r in evaluation}
    write_jsonl(TRAIN, train)
    write_jsonl(EVAL, evaluation)
    write_json(
        REPORT,
        {"train_rows": len(train), "eval_rows": len(evaluation), "question_groups": n_groups, "leakage": len(leaked)},
    )
    print(f"split: {len(train)} train / {len(evaluation)} eval, {n_groups} question groups, leakage {len(leaked)}")


if __name__ == "__main__":
    run(main)
