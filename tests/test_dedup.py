"""The split at the paraphrase level: planted paraphrases group, planted near-misses stay apart,
no group straddles, leakage is measured by another similarity, and the same input gives the same bytes."""

import itertools
import json
import random
from pathlib import Path

import pytest

from medassist.core import MedassistError
from medassist.core.io import write_jsonl
from medassist.core.params import ParamsError, load_params, parse_params
from medassist.data import leakage
from medassist.data.dedup import content_words, group_rows, jaccard, lsh_pairs
from medassist.data.split import split_rows, thresholds
from medassist.evaluation.contamination import leakage_lines

ROOT = Path(__file__).resolve().parents[1]
PLANTED = json.loads((ROOT / "tests" / "fixtures" / "planted_duplicates.json").read_text())
PARAMS = load_params(ROOT / "params.yaml")
THRESHOLDS = thresholds(PARAMS.split)


def sample_rows():
    """The offline sample's cleaned cards: real flashcards, distinct facts apart from a few
    re-typed questions (which group by question key)."""
    from medassist.data.clean import clean_rows

    raw = [json.loads(line) for line in (ROOT / "data" / "sample" / "flashcards.jsonl").open()]
    return clean_rows(raw, 100, 300, "drop")[0]


def group_of(rows, groups):
    return {json.dumps(r, sort_keys=True): g for r, g in zip(rows, groups.group)}


def test_planted_paraphrases_group_and_near_misses_stay_apart():
    rows = [r for g in PLANTED["paraphrases"] for r in g] + [r for p in PLANTED["near_misses"] for r in p]
    groups = group_rows(rows, THRESHOLDS)
    where = group_of(rows, groups)
    key = lambda r: where[json.dumps(r, sort_keys=True)]  # noqa: E731
    split_groups = [g for g in PLANTED["paraphrases"] if len({key(r) for r in g}) > 1]
    assert not split_groups, [g[0]["question"] for g in split_groups]
    merged = [(a["question"], b["question"]) for a, b in PLANTED["near_misses"] if key(a) == key(b)]
    assert not merged
    # the largest planted group (3 rows) plus the near-misses' exact copy of one of its rows: no chaining
    assert max(groups.sizes().values()) == 4
    assert groups.pairs["question_and_answer"] >= 2  # the short-answer paraphrases need the embedding


@pytest.mark.parametrize(
    "a, b",
    [
        ("What is the mechanism of action of aspirin?", "What is the mechanism of action of metformin?"),
        ("What are the side effects of warfarin?", "How is warfarin reversed?"),
    ],
)
def test_same_template_different_fact_is_not_merged(a, b):
    pair = next(p for p in PLANTED["near_misses"] if (p[0]["question"], p[1]["question"]) == (a, b))
    groups = group_rows(pair, THRESHOLDS)
    assert groups.group[0] != groups.group[1]


def test_lsh_finds_overlapping_answers_and_skips_unrelated():
    base = content_words(PLANTED["paraphrases"][0][0]["answer"])
    para = content_words(PLANTED["paraphrases"][0][1]["answer"])
    assert jaccard(base, para) > 0.7
    sets = [base, para] + [content_words(r["answer"]) for r in sample_rows()]
    pairs = lsh_pairs(sets)
    assert (0, 1) in pairs
    assert len(pairs) < 0.01 * len(sets) ** 2 / 2  # candidates, not all pairs


def test_split_keeps_every_planted_group_on_one_side():
    # the case: 200 rows, planted paraphrase groups of 2-3 rows, eval fraction 0.3
    planted = PLANTED["paraphrases"]
    rows = [r for g in planted for r in g]
    rows += sample_rows()[: 200 - len(rows)]
    for seed in range(3):
        train, _, evaluation, groups = split_rows(rows, 0, 0.3, seed, THRESHOLDS)
        in_eval = {r["question"] for r in evaluation}
        straddling = [g[0]["question"] for g in planted if len({r["question"] in in_eval for r in g}) > 1]
        assert not straddling
        assert 57 <= len(evaluation) <= 60 and len(train) + len(evaluation) == 200
        assert groups.n_groups <= 200 - sum(len(g) - 1 for g in planted)
        # what the grouping cannot see, the independent measure reports: at most 3 of 60 eval rows, the
        # sample's own cards on the same facts with short answers (community-acquired pneumonia, the
        # most common thyroid cancer) and one template false alarm (serum sodium vs potassium range)
        assert leakage.measure(train, evaluation, PARAMS.split.leakage_threshold)["leaked_rows"] <= 3


def test_leakage_is_measured_by_another_similarity():
    # a paraphrase pair forced onto both sides is found, though no word-level rule is consulted
    planted = PLANTED["paraphrases"]
    sample = sample_rows()
    train = [g[0] for g in planted] + sample[:100]
    evaluation = [g[1] for g in planted[:5]] + sample[200:210]
    measured = leakage.measure(train, evaluation, PARAMS.split.leakage_threshold)
    assert measured["leaked_rows"] >= 4 and measured["leakage"] == round(measured["leaked_rows"] / 15, 4)
    top = measured["leakage_examples"][0]
    assert top["cosine"] >= 0.5 and top["eval_question"] in {g[1]["question"] for g in planted[:5]}
    _, where = leakage.nearest_train(train, evaluation)
    assert sum(train[w] is g[0] for w, g in zip(where[:5], planted[:5])) >= 4


def test_one_giant_group_fails_clearly():
    same = "Warfarin inhibits vitamin K epoxide reductase, blocking clotting factors II, VII, IX and X."
    rows = [{"question": f"Question {i} about anticoagulants?", "answer": same} for i in range(30)]
    with pytest.raises(MedassistError, match=r"30 rows in 1 near-duplicate groups \(largest: 30 rows\)"):
        split_rows(rows, 0, 0.2, 0, THRESHOLDS)


def test_same_input_gives_byte_identical_files(tmp_path):
    rows = [r for g in PLANTED["paraphrases"] for r in g] + sample_rows()[:80]
    outputs = []
    for run in range(2):
        train, _, evaluation, _ = split_rows(list(rows), 0, 0.2, 7, THRESHOLDS)
        write_jsonl(tmp_path / f"train{run}.jsonl", train)
        write_jsonl(tmp_path / f"eval{run}.jsonl", evaluation)
        outputs.append(tuple((tmp_path / f"{side}{run}.jsonl").read_bytes() for side in ("train", "eval")))
    assert outputs[0] == outputs[1]
    shuffled = list(rows)
    random.Random(3).shuffle(shuffled)  # the input order does not change the groups' number either
    assert (
        split_rows(shuffled, 0, 0.2, 7, THRESHOLDS)[3].n_groups
        == split_rows(rows, 0, 0.2, 7, THRESHOLDS)[3].n_groups
    )


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("answer_same", 1.5, r"split.answer_same: must be in \(0, 1\], got 1.5"),
        ("question_cosine", "high", "split.question_cosine: expected a number, got 'high'"),
        ("min_answer_words", 0, r"split.min_answer_words: must be > 0, got 0"),
        ("answer_related", 0.9, r"split.answer_related: must be <= split.answer_same \(0.4\), got 0.9"),
        ("leakage_warn", -0.1, r"split.leakage_warn: must be in \[0, 1\], got -0.1"),
        ("answer_similarity", 0.5, "unknown parameter 'split.answer_similarity'"),
    ],
)
def test_split_params_are_validated_with_the_key_named(key, value, message):
    import yaml

    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    raw["split"][key] = value
    with pytest.raises(ParamsError, match=message):
        parse_params(raw)


def test_report_states_leakage_and_warns_above_threshold(tmp_path):
    path = tmp_path / "split.json"
    base = {"leakage_threshold": 0.5, "leakage_warn": 0.05, "eval_rows": 300, "largest_group": 4}
    path.write_text(json.dumps({**base, "leakage": 0.02, "leaked_rows": 6}))
    lines = [line for line in leakage_lines(path) if line]
    assert len(lines) == 1 and "2.0% of eval rows (6 of 300)" in lines[0] and ">= 0.5" in lines[0]
    path.write_text(json.dumps({**base, "leakage": 0.12, "leaked_rows": 36}))
    lines = [line for line in leakage_lines(path) if line]
    assert len(lines) == 2 and lines[1].startswith(
        "**Warning: 12.0% of eval rows have a near-duplicate in train**"
    )
    assert "not measured" in leakage_lines(tmp_path / "missing.json")[1]


def test_pairwise_rules_match_the_threshold_procedure():
    # benchmarks/dedup_thresholds.py applies the same rules pairwise: every planted pair, both kinds
    from benchmarks.dedup_thresholds import merges, signals
    from medassist.model.embedding import get_encoder

    encode = get_encoder().encode
    positives = [p for g in PLANTED["paraphrases"] for p in itertools.combinations(g, 2)]
    t = THRESHOLDS
    args = (t.answer_same, t.answer_related, t.question_cosine, t.min_answer_words)
    assert all(merges(s, *args) for s in signals(positives, encode))
    assert not any(merges(s, *args) for s in signals([tuple(p) for p in PLANTED["near_misses"]], encode))


def test_the_scale_benchmarks_synthetic_file_is_deterministic_and_planted():
    from benchmarks.split_scale import synthetic_flashcards

    rows, planted = synthetic_flashcards(600, seed=1)
    assert (rows, planted) == synthetic_flashcards(600, seed=1) and len(rows) == 600
    assert planted and all(2 <= len(g) <= 4 for g in planted)
    clean = [{"question": r["input"], "answer": r["output"]} for r in rows]
    groups = group_rows(clean, THRESHOLDS)
    whole = sum(len({groups.group[i] for i in g}) == 1 for g in planted)
    assert whole >= 0.9 * len(planted) and max(groups.sizes().values()) <= 4
