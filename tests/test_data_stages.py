import json

import pandas as pd
import pytest
from conftest import ROOT, sh

from medassist.core import MedassistError
from medassist.core.params import load_params
from medassist.data.clean import clean_rows, clean_text
from medassist.data.source import load_source
from medassist.data.split import question_key, split_rows, thresholds

GROUPING = thresholds(load_params(ROOT / "params.yaml").split)
ROWS = [
    {
        "instruction": "Answer this question truthfully",
        "input": "What is asthma?",
        "output": "A chronic airway disease.",
    },
    {
        "instruction": "Answer this question truthfully",
        "input": "What is gout?",
        "output": "Urate crystal arthritis.",
    },
]


# ---------------------------------------------------------------- clean


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Dose: 5\uff4d\uff47 daily", "Dose: 5mg daily"),  # NFKC (fullwidth)
        ("T\u00a0cells", "T cells"),  # NFKC (no-break space)
        ("ACE &amp; ARB &lt;50 &#39;ok&#39;", "ACE & ARB <50 'ok'"),  # entities
        ("<b>Aspirin</b> inhibits<br>COX", "Aspirin inhibits COX"),  # tags
        ("insu\u200blin\ufeff", "insulin"),  # zero-width
        ("  many \n\t spaces  ", "many spaces"),  # whitespace
        ("&lt;b&gt;x&lt;/b&gt;", "<b>x</b>"),  # escaped markup is text, kept
        ("eGFR <30 and >15 ml/min", "eGFR <30 and >15 ml/min"),  # comparisons are not tags
    ],
)
def test_clean_text_rules(raw, expected):
    assert clean_text(raw) == expected


def card(question, answer):
    return {"instruction": "Answer this question truthfully", "input": question, "output": answer}


def test_each_fault_lands_in_its_drop_reason():
    rows = [
        card("What is a fine row?", "It is fine."),
        card(None, "no question"),
        card("   \u200b ", "blank question"),
        card(17, "numeric question"),
        {"instruction": "x", "output": "question key missing"},
        card("Missing answer?", None),
        card("Empty answer?", ""),
        card("Tag-only answer?", "<br>"),
        card("Numeric answer?", 42),
        card("What is a fine row?", "It is fine."),  # exact duplicate
        card("What is a  fine row?", "It is <i>fine</i>."),  # duplicate once cleaned
        card("word " * 11, "answer"),  # overlong question
        card("Long answer?", "word " * 21),  # overlong answer
    ]
    kept, dropped, truncated = clean_rows(rows, max_question_words=10, max_answer_words=20, overlong="drop")
    assert kept == [{"question": "What is a fine row?", "answer": "It is fine."}]
    assert dict(dropped) == {
        "missing_question": 4,
        "missing_answer": 4,
        "exact_duplicate": 2,
        "overlong_question": 1,
        "overlong_answer": 1,
    }
    assert len(rows) == len(kept) + sum(dropped.values()) and truncated == 0


def test_overlong_answers_truncated_by_param():
    rows = [card("Long answer?", " ".join(f"w{i}" for i in range(30)))]
    kept, dropped, truncated = clean_rows(rows, 10, 20, overlong="truncate")
    assert truncated == 1 and not dropped
    assert kept[0]["answer"].split() == [f"w{i}" for i in range(20)]


# ---------------------------------------------------------------- split


def planted_rows(n=200):
    rows = [{"question": f"What is finding number {i}?", "answer": f"Answer {i}."} for i in range(n)]
    for i in range(0, n, 10):  # near-duplicates of every tenth question
        rows.append({"question": f"  what is FINDING number {i} ", "answer": f"Paraphrase {i}."})
        rows.append({"question": f"What is finding-number {i}??", "answer": f"Another {i}."})
    return rows


def test_question_key_groups_near_duplicates():
    assert question_key("What is  Finding, number 3?") == question_key("what is finding number 3")
    assert question_key("What is finding number 3?") != question_key("What is finding number 31?")


def test_split_is_deterministic_and_leak_free():
    rows = planted_rows()
    a = split_rows(rows, 0, 0.1, 7, GROUPING)
    b = split_rows(list(rows), 0, 0.1, 7, GROUPING)
    assert a == b
    c = split_rows(rows, 0, 0.1, 8, GROUPING)
    assert c[2] != a[2]
    train, dev, evaluation, groups = a
    assert dev == []  # no dev_fraction, no dev rows
    assert groups.n_groups == 200 and len(train) + len(evaluation) == len(rows)
    assert 0.1 * len(rows) - 3 <= len(evaluation) <= 0.1 * len(rows)  # whole groups, never over
    train_keys = {question_key(r["question"]) for r in train}
    assert not train_keys & {question_key(r["question"]) for r in evaluation}


def test_dev_rows_are_whole_groups_held_out_of_train_and_eval():
    rows = planted_rows()
    train, dev, evaluation, groups = split_rows(rows, 0, 0.1, 7, GROUPING, dev_fraction=0.15)
    assert len(train) + len(dev) + len(evaluation) == len(rows)
    assert 0.15 * len(rows) - 3 <= len(dev) <= 0.15 * len(rows)
    keys = [{question_key(r["question"]) for r in side} for side in (train, dev, evaluation)]
    assert not keys[0] & keys[1] and not keys[1] & keys[2] and not keys[0] & keys[2]
    # eval is chosen first and does not move when a dev slice is carved from the train side
    assert evaluation == split_rows(rows, 0, 0.1, 7, GROUPING)[2]


def test_split_draws_n_samples_and_checks_size():
    train, _, evaluation, _ = split_rows(planted_rows(), 100, 0.2, 1, GROUPING)
    assert len(train) + len(evaluation) == 100
    with pytest.raises(MedassistError, match="n_samples=1000 but only 240 clean rows"):
        split_rows(planted_rows(), 1000, 0.1, 1, GROUPING)


# ---------------------------------------------------------------- fetch


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "parquet"])
def test_fetch_reads_each_local_format(tmp_path, fmt):
    path = tmp_path / f"cards.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(ROWS))
    elif fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n")
    elif fmt == "csv":
        pd.DataFrame(ROWS).to_csv(path, index=False)
    else:
        pd.DataFrame(ROWS).to_parquet(path)
    rows, origin = load_source(str(path), "main")
    assert rows == ROWS and origin["kind"] == "local"


def test_fetch_rejects_wrong_schema_and_missing_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"q": "x", "a": "y"}) + "\n")
    with pytest.raises(MedassistError, match="no 'input'/'output' columns"):
        load_source(str(bad), "main")
    with pytest.raises(MedassistError, match="local file .*missing.csv not found"):
        load_source(str(tmp_path / "missing.csv"), "main")


def test_fetch_hub_unreachable_points_to_offline_profile(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    (tmp_path / "params.yaml").write_text((ROOT / "params.yaml").read_text())
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "stages.fetch"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 2, proc.stderr
    assert "cannot reach the Hugging Face Hub" in proc.stderr and "make smoke" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "data" / "raw").exists()


def test_fetch_unknown_revision_is_named_not_reported_unreachable(monkeypatch):
    """RevisionNotFoundError is an HfHubHTTPError: it must not read as "cannot reach the Hub"."""
    import httpx2
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RevisionNotFoundError

    def dataset_info(self, repo_id, revision=None, **kwargs):
        url = f"https://huggingface.co/api/datasets/{repo_id}/revision/{revision}"
        response = httpx2.Response(404, request=httpx2.Request("GET", url))
        raise RevisionNotFoundError("404 Client Error. Revision Not Found", response=response)

    monkeypatch.setattr(HfApi, "dataset_info", dataset_info)
    with pytest.raises(MedassistError) as error:
        load_source("medalpaca/medical_meadow_medical_flashcards", "no-such-branch")
    assert str(error.value).startswith(
        "revision 'no-such-branch' not found in dataset 'medalpaca/medical_meadow_medical_flashcards'"
    )
    assert "cannot reach" not in str(error.value)


# ---------------------------------------------------------------- end to end


def test_repro_split_on_sample_in_fresh_clone(project):
    sh("dvc repro split", project)
    report = json.loads((project / "metrics" / "clean.json").read_text())
    assert report["rows_in"] == report["rows_kept"] + sum(report["dropped"].values())
    assert report["dropped"]["missing_answer"] > 0 and report["dropped"]["exact_duplicate"] > 0
    split = json.loads((project / "metrics" / "split.json").read_text())
    assert split["eval_rows"] > 0 and split["largest_group"] >= 2 and split["multi_row_groups"] > 0
    # measured by TF-IDF, independently of the grouping: the sample's split leaves nothing above it
    assert split["leakage"] == 0 and split["leakage_threshold"] == 0.5 and len(split["leakage_examples"]) == 5
    fetch = json.loads((project / "metrics" / "fetch.json").read_text())
    assert fetch["kind"] == "local" and len(fetch["sha256"]) == 64
    status = sh("dvc status split", project).stdout
    assert "up to date" in status.lower(), status
    again = sh("dvc repro split", project).stdout
    assert "didn't change, skipping" in again and "Running stage" not in again
