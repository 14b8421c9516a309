"""What still leaks, measured independently of the grouping that made the split.

For every eval row, its nearest train row by TF-IDF cosine over character 4-grams (within word
boundaries, sublinear term frequency, IDF over train + eval) of "question answer". This is a different similarity
from the grouping's (content-word Jaccard and MiniLM question embeddings, medassist.data.dedup):
character n-grams see inflections and spelling variants ("clot"/"clotting", "anaemia"/"anemia")
that whole words do not, and weigh rare n-grams up. It cannot see synonyms it has no letters for
(warfarin/Coumadin) any more than the grouping can: the measure is a lower bound on leakage, not a
proof of its absence.

The search is exact: the sparse product eval x train, in blocks of eval rows, so memory stays at one
block of dense similarities. Its work grows with eval rows x train rows sharing n-grams, i.e. it is
the one part of the split stage that grows faster than linearly (docs/benchmarks.md measures it:
3-5-grams cost ~3x more for the same verdict on the planted pairs, hence 4-grams).

Calibration (tests/fixtures/planted_duplicates.json among the sample's cards): planted paraphrase
pairs score 0.43-0.89 (24 of 26 >= 0.5), planted near-misses 0.06-0.65 (3 of 16 >= 0.5, all with
short, templated answers): at the default threshold 0.5 the measure errs towards reporting leakage.
"""

from __future__ import annotations

import numpy as np

BLOCK = 256  # eval rows per sparse product block


def card_text(row: dict) -> str:
    return f"{row['question']} {row['answer']}"


def nearest_train(train: list[dict], evaluation: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """(similarity, index of the nearest train row) for every eval row."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not train or not evaluation:
        return np.zeros(len(evaluation)), np.zeros(len(evaluation), dtype=np.int64)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True, lowercase=True, dtype=np.float32
    )
    matrix = vectorizer.fit_transform([card_text(r) for r in train] + [card_text(r) for r in evaluation])
    train_m, eval_m = matrix[: len(train)], matrix[len(train) :]
    train_t = train_m.T.tocsr()
    best = np.zeros(len(evaluation), dtype=np.float64)
    where = np.zeros(len(evaluation), dtype=np.int64)
    for lo in range(0, len(evaluation), BLOCK):
        sims = (eval_m[lo : lo + BLOCK] @ train_t).toarray()
        where[lo : lo + BLOCK] = sims.argmax(axis=1)  # the first on ties: deterministic
        best[lo : lo + BLOCK] = sims[np.arange(len(sims)), where[lo : lo + BLOCK]]
    return best, where


def measure(train: list[dict], evaluation: list[dict], threshold: float, examples: int = 5) -> dict:
    """The share of eval rows whose nearest train row has cosine >= threshold, and the closest pairs."""
    best, where = nearest_train(train, evaluation)
    above = best >= threshold
    order = np.argsort(-best, kind="stable")[:examples]
    return {
        "leakage": round(float(above.mean()) if len(best) else 0.0, 4),
        "leaked_rows": int(above.sum()),
        "leakage_threshold": threshold,
        "nearest_train_cosine_median": round(float(np.median(best)) if len(best) else 0.0, 4),
        "leakage_examples": [
            {
                "cosine": round(float(best[i]), 4),
                "eval_question": evaluation[i]["question"],
                "train_question": train[where[i]]["question"],
            }
            for i in order
        ],
    }
