"""Degeneration metrics: looping answers and distinct-2, on real answers.

The looped and clean answers are the offline smoke fine-tune's own (SmolLM2-135M-Instruct + its
adapter, greedy, plain decoding), from metrics/report.md's first measurement; the flashcards'
references must never count as loops.
"""

import json
from pathlib import Path

import pytest

from medassist.core import paths
from medassist.evaluation.degeneration import degeneration, distinct, is_loop, repeated_share

ANSWERS = json.loads((Path(__file__).parent / "fixtures" / "degeneration_answers.json").read_text())
LOOPED = ANSWERS["looped"]
CLEAN = ANSWERS["clean"] + ["Yes."]


def test_a_loop_is_a_loop_and_a_clean_answer_is_not():
    for text in LOOPED:
        assert is_loop(text) and repeated_share(text) > 0.4
    for text in CLEAN:
        assert not is_loop(text) and repeated_share(text) < 0.1


def test_no_flashcard_reference_counts_as_a_loop():
    rows = [json.loads(line) for line in (paths.SAMPLE / "flashcards.jsonl").read_text().splitlines()]
    answers = [r["output"] for r in rows if isinstance(r.get("output"), str)]  # the sample has broken rows
    assert len(answers) > 200
    assert not [a for a in answers if is_loop(a)]
    assert sum(repeated_share(a) for a in answers) / len(answers) < 0.02


@pytest.mark.parametrize(
    "text, share",
    [
        ("", 0.0),
        ("one two three", 0.0),  # no 4-gram at all
        ("a b c d a b c d", 1 / 5),  # 5 four-grams, "a b c d" once again
        ("x y z w " * 10, 1 - 4 / 37),  # 37 four-grams, 4 distinct
    ],
)
def test_repeated_share_counts_repeated_four_grams(text, share):
    assert repeated_share(text) == pytest.approx(share)


def test_short_answers_are_never_loops():
    assert not is_loop("no no no no no no no")  # 4 four-grams: too short to tell
    assert is_loop("no no no no no no no no")  # 5: and all but one repeat


def test_words_ignore_case_and_punctuation():
    assert repeated_share("Sleep apnea, sleep apnea. SLEEP APNEA; sleep apnea!") == pytest.approx(1 - 2 / 5)


def test_distinct_two():
    assert distinct("a b c d") == 1.0
    assert distinct("a b a b a b") == pytest.approx(2 / 5)
    assert distinct("word") == 1.0
    assert degeneration("a b a b a b a b a b") == {
        "loop": True,
        "repeated_4gram_share": pytest.approx(1 - 2 / 7, abs=1e-4),
        "distinct_2": pytest.approx(2 / 9, abs=1e-4),
    }


def test_summary_over_answers():
    from medassist.evaluation.degeneration import summary

    figures = summary(LOOPED + CLEAN)
    assert figures["loops"] == len(LOOPED)
    assert figures["loop_rate"] == pytest.approx(len(LOOPED) / (len(LOOPED) + len(CLEAN)))
    assert 0 < figures["distinct_2"] < 1 and 0 < figures["repeated_4gram_share"] < 1
