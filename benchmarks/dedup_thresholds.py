"""How the split's near-duplicate thresholds were chosen: signals of planted pairs, and a grid.

    python -m benchmarks.dedup_thresholds [--fixture tests/fixtures/planted_duplicates.json]

Reads the planted paraphrase groups (every pair inside a group must merge) and planted near-misses
(distinct facts with the same template or subject: must stay apart), prints each pair's signals
(answer content-word Jaccard, the shorter answer's content words, MiniLM question cosine), then for
a grid of thresholds how many paraphrase pairs merge and how many near-misses wrongly merge, by the
rules of medassist.data.dedup (pairwise, before union-find). params.yaml `split` holds the chosen
values; tests/test_dedup.py checks them on the same fixture, grouped end to end.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from medassist.data.dedup import content_words, jaccard

FIXTURE = Path("tests/fixtures/planted_duplicates.json")


def signals(pairs, encode):
    vectors = encode([row["question"] for pair in pairs for row in pair])
    out = []
    for k, (a, b) in enumerate(pairs):
        answers = content_words(a["answer"]), content_words(b["answer"])
        out.append(
            {
                "answer_jaccard": jaccard(*answers),
                "min_answer_words": min(map(len, answers)),
                "question_cosine": float(vectors[2 * k] @ vectors[2 * k + 1]),
                "questions": (a["question"], b["question"]),
            }
        )
    return out


def merges(s, answer_same, answer_related, question_cosine, min_answer_words):
    if s["answer_jaccard"] >= answer_same and s["min_answer_words"] >= min_answer_words:
        return True
    return s["answer_jaccard"] >= answer_related and s["question_cosine"] >= question_cosine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", type=Path, default=FIXTURE)
    args = parser.parse_args()
    from medassist.model.embedding import get_encoder

    planted = json.loads(args.fixture.read_text())
    positives = [p for group in planted["paraphrases"] for p in itertools.combinations(group, 2)]
    negatives = [tuple(p) for p in planted["near_misses"]]
    encode = get_encoder().encode
    pos, neg = signals(positives, encode), signals(negatives, encode)
    for name, rows in (("paraphrase pairs (must merge)", pos), ("near-miss pairs (must not)", neg)):
        print(f"{name}: {len(rows)}")
        for s in sorted(rows, key=lambda s: s["answer_jaccard"]):
            q1, q2 = s["questions"]
            print(
                f"  answer J {s['answer_jaccard']:.2f}  words {s['min_answer_words']:2d}  "
                f"question cos {s['question_cosine']:.2f}  | {q1[:45]} | {q2[:45]}"
            )
    print(
        "\nanswer_same answer_related question_cosine min_answer_words: paraphrases merged, near-misses merged"
    )
    grid = itertools.product((0.35, 0.4, 0.45), (0.3, 0.35), (0.65, 0.7, 0.75, 0.8), (4, 6, 8))
    for same, related, cosine, words in grid:
        if related > same:
            continue
        hit = sum(merges(s, same, related, cosine, words) for s in pos)
        bad = sum(merges(s, same, related, cosine, words) for s in neg)
        print(f"  {same:.2f} {related:.2f} {cosine:.2f} {words:2d}: {hit}/{len(pos)}, {bad}/{len(neg)}")


if __name__ == "__main__":
    main()
