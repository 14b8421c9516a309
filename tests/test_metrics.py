"""Tests for medassist.evaluation.metrics: hand-computed values on fixed strings."""

import math

import numpy as np
import pytest
import sacrebleu

from medassist.core.paths import SCORES
from medassist.evaluation.metrics import (
    bleu_from_stats,
    corpus_metrics,
    paired_comparison,
    sentence_scores,
)

PRED = "the cat sat on the mat"
REF = "the cat is on the mat"

# A small, varied corpus of (reference, imperfect prediction) pairs.
REFS = [
    "Aspirin irreversibly inhibits cyclooxygenase and reduces platelet aggregation.",
    "Metformin lowers hepatic glucose production in type 2 diabetes.",
    "Beta blockers reduce heart rate and myocardial oxygen demand.",
    "Insulin promotes glucose uptake into muscle and adipose tissue.",
    "Warfarin inhibits vitamin K dependent clotting factors.",
    "Loop diuretics act on the thick ascending limb of the loop of Henle.",
    "Statins inhibit HMG-CoA reductase and lower LDL cholesterol.",
    "ACE inhibitors can cause a dry cough due to bradykinin accumulation.",
    "Penicillin inhibits bacterial cell wall synthesis.",
    "Levothyroxine is used to treat hypothyroidism.",
    "Heparin potentiates antithrombin III activity.",
    "Digoxin inhibits the sodium potassium ATPase pump.",
]
WEAK = [
    "Aspirin reduces pain.",
    "Metformin is a drug for diabetes.",
    "Beta blockers are used in heart disease.",
    "Insulin is a hormone.",
    "Warfarin is an anticoagulant.",
    "Loop diuretics increase urine output.",
    "Statins lower cholesterol.",
    "ACE inhibitors treat hypertension.",
    "Penicillin is an antibiotic.",
    "Levothyroxine is a thyroid hormone.",
    "Heparin is an anticoagulant.",
    "Digoxin is used in heart failure.",
]
STRONG = [
    "Aspirin irreversibly inhibits cyclooxygenase and reduces platelet function.",
    "Metformin lowers hepatic glucose production in diabetes.",
    "Beta blockers reduce heart rate and oxygen demand.",
    "Insulin promotes glucose uptake into muscle and fat tissue.",
    "Warfarin inhibits vitamin K dependent clotting factors.",
    "Loop diuretics act on the thick ascending limb of Henle.",
    "Statins inhibit HMG-CoA reductase and lower cholesterol.",
    "ACE inhibitors can cause a dry cough due to bradykinin.",
    "Penicillin inhibits bacterial cell wall synthesis.",
    "Levothyroxine is used to treat low thyroid function.",
    "Heparin potentiates antithrombin activity.",
    "Digoxin inhibits the sodium potassium pump.",
]


def test_identical_prediction_scores_100():
    m = corpus_metrics([REF, PRED], [REF, PRED], n_boot=50)
    for k in SCORES:
        assert m[k] == pytest.approx(100.0)
        assert m[f"{k}_ci"] == pytest.approx([100.0, 100.0])


def test_rouge_hand_computed():
    s = sentence_scores([PRED], [REF])
    # Unigrams  pred: the x2, cat, sat, on, mat (6)   ref: the x2, cat, is, on, mat (6)
    # overlap: the(2) + cat + on + mat = 5  ->  P = R = 5/6  ->  F1 = 5/6
    assert s["rouge1"][0] == pytest.approx(100 * 5 / 6)
    # Bigrams  pred: the-cat, cat-sat, sat-on, on-the, the-mat (5)
    #          ref:  the-cat, cat-is,  is-on,  on-the, the-mat (5)
    # overlap: the-cat, on-the, the-mat = 3  ->  P = R = 3/5  ->  F1 = 3/5
    assert s["rouge2"][0] == pytest.approx(100 * 3 / 5)
    # LCS: "the cat on the mat" = 5 tokens  ->  P = R = 5/6
    assert s["rougeL"][0] == pytest.approx(100 * 5 / 6)


def test_bleu_hand_computed():
    s = sentence_scores([PRED], [REF])
    # [sys_len, ref_len, correct_1..4, total_1..4]
    # 1-grams 5/6, 2-grams 3/5, 3-grams: only "on the mat" matches -> 1/4,
    # 4-grams: none of "the cat sat on", "cat sat on the", "sat on the mat" -> 0/3
    assert s["bleu_stats"][0].tolist() == [6, 6, 5, 3, 1, 0, 6, 5, 4, 3]
    # sacrebleu's default 'exp' smoothing replaces the first zero precision by 1/(2*total)
    precisions = [5 / 6, 3 / 5, 1 / 4, 1 / (2 * 3)]
    expected = 100 * math.exp(sum(math.log(p) for p in precisions) / 4)  # BP = 1 (6 == 6)
    assert corpus_metrics([PRED], [REF], n_boot=10)["bleu"] == pytest.approx(expected)


def test_bleu_from_stats_equals_sacrebleu_corpus_bleu():
    s = sentence_scores(WEAK, REFS)
    expected = sacrebleu.corpus_bleu(WEAK, [REFS]).score
    assert bleu_from_stats(s["bleu_stats"].sum(axis=0)) == expected
    assert corpus_metrics(WEAK, REFS, n_boot=10)["bleu"] == expected
    # and on a subset (what a resample does)
    sub = [0, 3, 3, 7]
    assert (
        bleu_from_stats(s["bleu_stats"][sub].sum(axis=0))
        == sacrebleu.corpus_bleu([WEAK[i] for i in sub], [[REFS[i] for i in sub]]).score
    )


def test_rouge_corpus_is_mean_of_sentence_scores():
    s = sentence_scores(STRONG, REFS)
    m = corpus_metrics(STRONG, REFS, n_boot=10)
    for k in ("rouge1", "rouge2", "rougeL"):
        assert m[k] == pytest.approx(s[k].mean())


def test_bootstrap_ci_contains_point_and_is_deterministic():
    m1 = corpus_metrics(STRONG, REFS, n_boot=500, seed=3)
    m2 = corpus_metrics(STRONG, REFS, n_boot=500, seed=3)
    m3 = corpus_metrics(STRONG, REFS, n_boot=500, seed=4)
    assert m1 == m2
    assert m1 != m3
    for k in SCORES:
        lo, hi = m1[f"{k}_ci"]
        assert lo <= m1[k] <= hi
        assert lo < hi


def test_bootstrap_ci_narrows_with_more_examples():
    # STRONG has matches at every n-gram order, so corpus BLEU is unchanged by
    # replication (with a zero count, 'exp' smoothing would depend on the totals).
    small = corpus_metrics(STRONG, REFS, n_boot=500)
    big = corpus_metrics(STRONG * 10, REFS * 10, n_boot=500)
    for k in SCORES:
        assert big[k] == pytest.approx(small[k])
        assert big[f"{k}_ci"][1] - big[f"{k}_ci"][0] < small[f"{k}_ci"][1] - small[f"{k}_ci"][0]


def test_paired_comparison_with_itself():
    r = paired_comparison(WEAK, WEAK, REFS, n_boot=200)
    for k in SCORES:
        assert r[k]["base"] == r[k]["finetuned"]
        assert r[k]["delta"] == 0.0
        assert r[k]["delta_ci"] == [0.0, 0.0]
        assert r[k]["p_better"] == 0.0
        assert r[k]["win_rate"] == 0.5


def test_paired_comparison_strictly_better_system():
    r = paired_comparison(WEAK, STRONG, REFS, n_boot=500, seed=1)
    base = corpus_metrics(WEAK, REFS, n_boot=10)
    for k in SCORES:
        assert r[k]["base"] == pytest.approx(base[k])
        assert r[k]["delta"] == pytest.approx(r[k]["finetuned"] - r[k]["base"])
        assert r[k]["delta"] > 0
        assert r[k]["delta_ci"][0] > 0
        assert r[k]["p_better"] == 1.0
        assert r[k]["win_rate"] == 1.0
    # swapping the systems flips the sign
    rev = paired_comparison(STRONG, WEAK, REFS, n_boot=500, seed=1)
    assert rev["bleu"]["delta"] == pytest.approx(-r["bleu"]["delta"])
    assert rev["rouge1"]["win_rate"] == 0.0


def test_win_rate_counts_ties_half():
    refs = ["a b c d", "e f g h"]
    a = ["a b c d", "x y z w"]
    b = ["a b c d", "e f g h"]  # tie on example 0, win on example 1
    assert paired_comparison(a, b, refs, n_boot=20)["rouge1"]["win_rate"] == 0.75


def test_empty_input_raises():
    with pytest.raises(ValueError, match="empty"):
        corpus_metrics([], [])
    with pytest.raises(ValueError, match="empty"):
        paired_comparison([], [], [])
    with pytest.raises(ValueError, match="empty"):
        sentence_scores([], [])


def test_length_mismatch_raises():
    with pytest.raises(ValueError, match="mismatch"):
        corpus_metrics(["a"], ["a", "b"])
    with pytest.raises(ValueError, match="mismatch"):
        paired_comparison(["a"], ["a", "b"], ["a"])


# --- paired_stat_comparison: the non-text metrics (NLL, perplexity, EOS rate, lengths) ---------

from medassist.evaluation.metrics import paired_stat_comparison  # noqa: E402


def test_paired_stat_plain_mean_hand_computed():
    a, b = [1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 5.0, 3.0]
    r = paired_stat_comparison(a, b, n_boot=300, seed=0)
    assert r["base"] == pytest.approx(2.5)
    assert r["finetuned"] == pytest.approx(3.0)
    assert r["delta"] == pytest.approx(0.5)
    # per example: b wins, tie, b wins, a wins -> (1 + 0.5 + 1 + 0) / 4
    assert r["win_rate"] == pytest.approx(2.5 / 4)
    lo, hi = r["delta_ci"]
    assert lo <= 0.5 <= hi
    assert 0 < r["p_better"] < 1


def test_paired_stat_token_weighted_ratio_lower_is_better():
    # NLL: per-example summed NLL over answer tokens; the corpus value is sum(nll) / sum(tokens).
    nll_a, nll_b, tokens = [8.0, 30.0], [6.0, 27.0], [4, 10]
    r = paired_stat_comparison(nll_a, nll_b, weights=tokens, n_boot=200, lower_is_better=True)
    assert r["base"] == pytest.approx(38 / 14)
    assert r["finetuned"] == pytest.approx(33 / 14)
    assert r["delta"] == pytest.approx(-5 / 14)
    assert r["win_rate"] == 1.0  # 1.5 < 2.0 and 2.7 < 3.0 per token
    assert r["p_better"] == 1.0  # b is lower on every example, so on every resample
    assert r["delta_ci"][1] < 0
    ppl = paired_stat_comparison(
        nll_a, nll_b, weights=tokens, n_boot=200, lower_is_better=True, transform=np.exp
    )
    assert ppl["base"] == pytest.approx(math.exp(38 / 14))
    assert ppl["delta"] == pytest.approx(math.exp(33 / 14) - math.exp(38 / 14))


def test_paired_stat_explicit_wins_and_same_resamples_as_text_metrics():
    a, b = [0, 0, 1, 1], [1, 0, 1, 0]
    r = paired_stat_comparison(a, b, n_boot=100, seed=5, wins=[1, 0.5, 0.5, 0])
    assert r["delta"] == 0.0 and r["win_rate"] == 0.5
    assert r == paired_stat_comparison(a, b, n_boot=100, seed=5, wins=[1, 0.5, 0.5, 0])


def test_paired_stat_rejects_bad_input():
    with pytest.raises(ValueError, match="empty"):
        paired_stat_comparison([], [])
    with pytest.raises(ValueError, match="mismatch"):
        paired_stat_comparison([1.0], [1.0, 2.0])
