"""Eval and compare stages on the tiny model: batching and likelihood are exact, the base score is
the base's, the verdict, the report and the plots, and clear errors on bad input."""

import json
import math
import shutil

import pytest
from conftest import ROOT, TINY, sh, write_params

from medassist.core.io import read_jsonl
from medassist.core.params import load_params
from medassist.core.paths import SCORES
from medassist.model.chat import IGNORE_INDEX, encode_example, encode_prompt
from medassist.model.generation import answer_nll, answer_nll_per_example, generate

SAMPLE = [json.loads(line) for line in (ROOT / "data/sample/flashcards.jsonl").read_text().splitlines()]
QUESTIONS = ["What is hypertension?"] + [r["input"] for r in SAMPLE if isinstance(r.get("input"), str)][:5]
TEXT_METRICS = SCORES


@pytest.fixture(scope="module")
def tiny():
    from medassist.model.loading import load_base, load_tokenizer

    # the offline profiles' path: NF4 on the CPU
    return load_tokenizer(str(TINY)), load_base(str(TINY), "nf4")


# --- generation and likelihood, in-process --------------------------------------------------------


def test_batched_generation_equals_one_at_a_time(tiny):
    tokenizer, model = tiny
    prompts = [encode_prompt(tokenizer, q) for q in QUESTIONS]
    assert len({len(p) for p in prompts}) > 3  # batches really mix lengths: left padding matters
    one_by_one = generate(model, tokenizer, prompts, max_new_tokens=24, batch_size=1, progress=False)
    batched = generate(model, tokenizer, prompts, max_new_tokens=24, batch_size=4, progress=False)
    assert batched == one_by_one  # same text, token count and EOS flag, in the order given
    assert all(g.tokens > 0 for g in batched)


def test_greedy_generation_is_deterministic(tiny):
    tokenizer, model = tiny
    prompts = [encode_prompt(tokenizer, q) for q in QUESTIONS[:4]]
    first = generate(model, tokenizer, prompts, max_new_tokens=16, batch_size=4, progress=False)
    assert generate(model, tokenizer, prompts, max_new_tokens=16, batch_size=4, progress=False) == first


def test_answer_nll_counts_answer_tokens_only_and_ignores_batching(tiny):
    tokenizer, model = tiny
    rows = [r for r in SAMPLE if isinstance(r.get("input"), str) and isinstance(r.get("output"), str)][:3]
    examples = [encode_example(tokenizer, r["input"], r["output"], 256) for r in rows]
    per_example = answer_nll_per_example(
        model, examples, tokenizer.pad_token_id, batch_size=3, progress=False
    )
    import torch

    for ex, (nll_sum, n_tokens) in zip(examples, per_example):
        assert n_tokens == sum(label != IGNORE_INDEX for label in ex["labels"])  # answer + EOS, no prompt
        with torch.inference_mode():  # the library's own causal-LM loss: the mean over label tokens
            loss = model(input_ids=torch.tensor([ex["input_ids"]]), labels=torch.tensor([ex["labels"]])).loss
        assert nll_sum / n_tokens == pytest.approx(loss.item(), rel=1e-4)
    mean, count = answer_nll(model, examples, tokenizer.pad_token_id, batch_size=2, progress=False)
    assert count == sum(n for _, n in per_example)
    assert mean == pytest.approx(sum(s for s, _ in per_example) / count, rel=1e-5)


# --- the pipeline on the offline profile ----------------------------------------------------------


@pytest.fixture(scope="module")
def evaluated(trained_project, tmp_path_factory):
    """The trained offline project with the rest of the pipeline (eval_base, eval_finetuned,
    compare) reproduced. Read-only: tests that change it work on a copy."""
    proj = tmp_path_factory.mktemp("evaluated") / "proj"
    shutil.copytree(trained_project, proj, symlinks=True)
    proc = sh("dvc repro", proj, timeout=1200)
    assert "Running stage 'eval_base'" in proc.stdout and "Running stage 'compare'" in proc.stdout
    return proj


def copy_of(proj, tmp_path):
    dest = tmp_path / "copy"
    shutil.copytree(proj, dest, symlinks=True)
    return dest


def stage(cmd, proj):
    return sh(f"python -m {cmd}", proj, check=False, timeout=600)


def load(proj, rel):
    return json.loads((proj / rel).read_text())


def test_eval_metrics_and_predictions(evaluated):
    rows = read_jsonl(evaluated / "data/split/eval.jsonl")
    params = load_params(evaluated / "params.yaml")
    for side in ("base", "finetuned"):
        m = load(evaluated, f"metrics/eval_{side}.json")
        assert m["n"] == len(rows)
        for key in TEXT_METRICS:
            assert 0 <= m[f"{key}_ci_low"] <= m[key] <= m[f"{key}_ci_high"] <= 100
        assert m["perplexity"] == pytest.approx(math.exp(m["nll"]))
        assert 0 <= m["eos_rate"] <= 1
        assert m["ref_words_mean"] == pytest.approx(sum(len(r["answer"].split()) for r in rows) / len(rows))
        predictions = read_jsonl(evaluated / f"eval/{side}/predictions.jsonl")
        assert [(p["question"], p["reference"]) for p in predictions] == [
            (r["question"], r["answer"]) for r in rows
        ]
        assert all(p["gen_tokens"] <= params.eval.max_new_tokens for p in predictions)
        assert m["eos_rate"] == pytest.approx(sum(p["ended_with_eos"] for p in predictions) / len(rows))
        qualitative = read_jsonl(evaluated / f"eval/{side}/qualitative.jsonl")
        assert [q["question"] for q in qualitative] == params.eval.questions
    combined = read_jsonl(evaluated / "eval/predictions.jsonl")
    assert len(combined) == len(rows)
    assert {"question", "reference", "base", "finetuned"} <= set(combined[0])


def test_base_score_is_a_fresh_base(evaluated, tiny):
    """The base predictions are exactly what a freshly loaded base (no adapter) answers."""
    tokenizer, model = tiny
    params = load_params(evaluated / "params.yaml")
    base = read_jsonl(evaluated / "eval/base/predictions.jsonl")[:8]
    finetuned = read_jsonl(evaluated / "eval/finetuned/predictions.jsonl")[:8]
    fresh = generate(
        model,
        tokenizer,
        [encode_prompt(tokenizer, r["question"]) for r in base],
        params.eval.max_new_tokens,
        params.eval.batch_size,
        progress=False,
    )
    assert [g.text for g in fresh] == [r["answer"] for r in base]
    assert [g.ended_with_eos for g in fresh] == [r["ended_with_eos"] for r in base]
    # the adapter does change answers
    assert sum(b["answer"] != f["answer"] for b, f in zip(base, finetuned)) >= 6


def test_finetuned_beats_base_on_rougeL(evaluated):
    compare = load(evaluated, "metrics/compare.json")
    rouge_l = compare["rougeL"]
    assert rouge_l["delta"] == pytest.approx(rouge_l["finetuned"] - rouge_l["base"])
    assert rouge_l["delta_ci_low"] > 0, rouge_l  # not by a hair: the paired 95% interval excludes 0
    assert rouge_l["win_rate"] > 0.5
    words, ref = compare["gen_words_mean"], compare["ref_words_mean"]
    # answers closer to the references' length
    assert abs(words["finetuned"] - ref) < abs(words["base"] - ref), words
    assert compare["nll"]["delta"] < 0  # the reference answers became more likely


def test_compare_outputs_and_report(evaluated):
    compare = load(evaluated, "metrics/compare.json")
    for key in (*TEXT_METRICS, "nll", "perplexity", "eos_rate", "gen_words_mean"):
        r = compare[key]
        assert r["delta_ci_low"] <= r["delta"] <= r["delta_ci_high"]
        assert 0 <= r["win_rate"] <= 1 and 0 <= r["p_better"] <= 1
    report = (evaluated / "metrics/report.md").read_text()
    assert "| ROUGE-L |" in report and "**Verdict (ROUGE-L):**" in report
    assert "**Leakage:** " in report and "of eval rows" in report  # the split's independent measure
    for question in load_params(evaluated / "params.yaml").eval.questions:
        assert f"### {question}" in report
    assert "## Sample of eval rows" in report and "![Base vs fine-tuned](compare.png)" in report
    assert (evaluated / "metrics/compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dvc_plots_show_renders(evaluated, tmp_path):
    proc = sh(f"dvc plots show --json -o {tmp_path / 'plots'}", evaluated)
    shown = json.loads(proc.stdout)
    assert not shown.get("errors"), shown.get("errors")
    bars = shown["data"]["Base vs fine-tuned (eval split, 0-100)"][0]
    assert len(bars["content"]["data"]["values"]) == 10  # BLEU, ROUGE-1/2/L, EOS % for both models
    assert any("compare.png" in name for name in shown["data"])
    sh(f"dvc plots show -o {tmp_path / 'html'}", evaluated)
    assert (tmp_path / "html" / "index.html").exists()


def test_exp_show_lists_both_models_and_the_deltas(evaluated):
    table = sh("dvc exp show --md --no-pager", evaluated).stdout.splitlines()[0]
    for key in TEXT_METRICS:
        assert f"metrics/eval_base.json:{key} " in table and f"metrics/eval_finetuned.json:{key} " in table
        assert f" {key}.delta " in table
    columns = {c.strip() for c in table.split("|")}
    assert columns & {"leakage", "metrics/split.json:leakage"}, table  # the split's measured leakage


def test_base_eval_does_not_depend_on_training(evaluated, tmp_path):
    proj = copy_of(evaluated, tmp_path)
    write_params(proj, **{"train.epochs": 1, "train.learning_rate": 1e-4, "lora.r": 4})
    proc = sh("dvc repro eval_base", proj)  # would re-train first if eval_base were downstream of train
    assert "Running stage" not in proc.stdout
    status = json.loads(sh("dvc status --json", proj).stdout)
    assert "train" in status and "eval_base" not in status


def test_eval_is_deterministic(evaluated, tmp_path):
    proj = copy_of(evaluated, tmp_path)
    before = (proj / "eval/finetuned/predictions.jsonl").read_text()
    metrics_before = load(proj, "metrics/eval_finetuned.json")
    proc = stage("stages.evaluate finetuned", proj)
    assert proc.returncode == 0, proc.stderr
    assert "finetuned: generate" in proc.stderr  # the progress bar
    assert (proj / "eval/finetuned/predictions.jsonl").read_text() == before
    metrics_after = load(proj, "metrics/eval_finetuned.json")
    timing = {"generate_s", "eval_runtime_s"}
    assert {k: v for k, v in metrics_after.items() if k not in timing} == {
        k: v for k, v in metrics_before.items() if k not in timing
    }


# --- bad input: one clear line, exit status 2, no traceback ---------------------------------------


def assert_clean_error(proc, fragment):
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert fragment in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


def test_missing_adapter(trained_project, tmp_path):
    proj = copy_of(trained_project, tmp_path)
    shutil.rmtree(proj / "models/adapter")
    assert_clean_error(stage("stages.evaluate finetuned", proj), "no trained adapter in models/adapter")


def test_adapter_trained_on_another_base(trained_project, tmp_path):
    proj = copy_of(trained_project, tmp_path)
    meta_path = proj / "models/adapter/medassist.json"
    meta = json.loads(meta_path.read_text())
    meta_path.unlink()  # a DVC-checked-out file may be a link into the cache: replace, never edit in place
    meta_path.write_text(json.dumps({**meta, "base_model": "some-org/another-base"}))
    assert_clean_error(stage("stages.evaluate finetuned", proj), "was trained on 'some-org/another-base'")


def test_empty_eval_split(trained_project, tmp_path):
    proj = copy_of(trained_project, tmp_path)
    (proj / "data/split/eval.jsonl").unlink()
    (proj / "data/split/eval.jsonl").write_text("")
    assert_clean_error(stage("stages.evaluate base", proj), "data/split/eval.jsonl has no rows")


def test_unwritable_output(trained_project, tmp_path):
    proj = copy_of(trained_project, tmp_path)
    shutil.rmtree(proj / "eval", ignore_errors=True)
    (proj / "eval").write_text("a file where the predictions folder should go")
    proc = stage("stages.evaluate base", proj)
    assert_clean_error(proc, "cannot write eval/base")
    assert "base: generate" not in proc.stderr  # it failed before spending time on generation


def test_compare_refuses_predictions_for_different_rows(evaluated, tmp_path):
    proj = copy_of(evaluated, tmp_path)
    path = proj / "eval/finetuned/predictions.jsonl"
    lines = path.read_text().splitlines()
    path.unlink()
    path.write_text("\n".join(lines[1:]) + "\n")
    assert_clean_error(stage("stages.compare", proj), "not for the same eval rows")
