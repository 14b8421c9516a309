"""Splitting without leakage: a group of near-duplicate flashcards never straddles train and eval.

A seeded shuffle draws n_samples rows; near-duplicates among them form groups (medassist.data.dedup:
same question, near-identical answers, or related answers to questions that mean the same), and whole
groups, in a seeded order, go to eval while they fit in eval_fraction of the rows; the rest is train.
"""

from __future__ import annotations

import random

from medassist.core import MedassistError
from medassist.data.dedup import Thresholds, group_rows, question_key

__all__ = ["question_key", "split_rows", "thresholds"]


def thresholds(split_params) -> Thresholds:
    """The grouping thresholds from params.yaml's `split` group (medassist.core.params.SplitParams)."""
    return Thresholds(
        split_params.answer_same,
        split_params.answer_related,
        split_params.question_cosine,
        split_params.min_answer_words,
    )


def split_rows(rows, n_samples, eval_fraction, seed, grouping: Thresholds, encode=None, dev_fraction=0.0):
    """Return (train, dev, eval, groups): the medassist.data.dedup.Groups of the drawn rows.

    Whole groups in a seeded order fill eval up to eval_fraction of the rows, then dev (held out of
    training too: where decoding is chosen, never on eval rows) up to dev_fraction; the rest is train."""
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
    groups = group_rows(rows, grouping, encode=encode, seed=seed)
    members: dict[int, list[dict]] = {}
    for row, gid in zip(rows, groups.group):
        members.setdefault(gid, []).append(row)
    order = list(members)
    rng.shuffle(order)
    target, dev_target = round(len(rows) * eval_fraction), round(len(rows) * dev_fraction)
    train, dev, evaluation = [], [], []
    for gid in order:  # a group goes to eval (then dev) only whole, and only while it fits
        if len(evaluation) + len(members[gid]) <= target:
            evaluation.extend(members[gid])
        elif len(dev) + len(members[gid]) <= dev_target:
            dev.extend(members[gid])
        else:
            train.extend(members[gid])
    largest = max(len(m) for m in members.values()) if members else 0
    if not train or not evaluation:
        raise MedassistError(
            f"split of {len(rows)} rows in {len(members)} near-duplicate groups (largest: {largest} rows) "
            f"with eval_fraction={eval_fraction} leaves an empty side; use more rows, another "
            "data.eval_fraction, or stricter split.* thresholds if one group swallowed the data"
        )
    return train, dev, evaluation, groups
