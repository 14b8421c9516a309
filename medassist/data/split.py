"""Splitting without leakage: near-duplicate questions never straddle train and eval.

A seeded shuffle draws n_samples rows; questions equal after lower-casing and removing punctuation
and whitespace form groups, and whole groups go to eval until it holds eval_fraction of the rows.
"""

import random
import re
from collections import defaultdict

from medassist.core import MedassistError

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


def leakage(train: list[dict], evaluation: list[dict]) -> int:
    """Question groups found on both sides (0 for a split made by split_rows)."""
    return len(
        {question_key(r["question"]) for r in train} & {question_key(r["question"]) for r in evaluation}
    )
