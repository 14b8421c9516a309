"""Degeneration: answers that loop, and how varied an answer's wording is.

Small models decoding greedily fall into repetition loops ("sleep apnea, sleep paralysis, sleep
apnea, ...") that n-gram overlap metrics do not see: a looping answer still shares words with the
reference. Two figures per answer, on lower-cased word tokens:

* **repeated 4-gram share**: the share of the answer's word 4-grams that already occurred earlier in
  it (``1 - distinct/total``). A clean answer repeats almost none (0.00-0.05 on the flashcards'
  references); a loop repeats most of them.
* **loop**: the repeated 4-gram share is above ``LOOP_THRESHOLD`` (0.2: more than one 4-gram in
  five is a repeat). Answers with fewer than ``MIN_NGRAMS`` 4-grams (under 8 words) never count as
  loops: too short to tell.
* **distinct-2**: distinct word bigrams / all word bigrams of the answer (1.0: no bigram repeats).
  Answers with no bigram (under two words) count 1.0.

The threshold was fixed before any decoding setting was compared, from looped and clean answers
of the first offline run (tests/test_degeneration.py holds them); every model, setting and split
is scored with the same definition.
"""

from __future__ import annotations

import re

LOOP_NGRAM = 4
LOOP_THRESHOLD = 0.2
MIN_NGRAMS = 5
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def repeated_share(text: str, n: int = LOOP_NGRAM) -> float:
    """Share of the word n-grams of ``text`` that repeat an earlier one (0.0 when there are none)."""
    grams = ngrams(words(text), n)
    return 1.0 - len(set(grams)) / len(grams) if grams else 0.0


def is_loop(text: str) -> bool:
    grams = ngrams(words(text), LOOP_NGRAM)
    return len(grams) >= MIN_NGRAMS and 1.0 - len(set(grams)) / len(grams) > LOOP_THRESHOLD


def distinct(text: str, n: int = 2) -> float:
    grams = ngrams(words(text), n)
    return len(set(grams)) / len(grams) if grams else 1.0


def degeneration(text: str) -> dict[str, float | bool]:
    """The per-answer figures, as stored beside each prediction."""
    return {
        "loop": is_loop(text),
        "repeated_4gram_share": round(repeated_share(text), 4),
        "distinct_2": round(distinct(text, 2), 4),
    }


def summary(texts: list[str]) -> dict[str, float | int]:
    """The figures over a set of answers: how many loop, their share, mean distinct-2 and mean
    repeated 4-gram share (what evaluation and `make decoding` both report)."""
    per_answer = [degeneration(t) for t in texts]
    n = max(len(per_answer), 1)
    loops = sum(d["loop"] for d in per_answer)
    return {
        "loops": loops,
        "loop_rate": loops / n,
        "distinct_2": sum(d["distinct_2"] for d in per_answer) / n,
        "repeated_4gram_share": sum(d["repeated_4gram_share"] for d in per_answer) / n,
    }
