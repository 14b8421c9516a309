"""`make experiments PROFILE=tiny`: real DVC experiments on the tiny model."""

import json

import pytest
from conftest import BIN, make_project, sh

from medassist.pipeline.experiments import GRID, KNOBS


def make(target, proj, **kw):
    # The project copy has no .venv of its own: point the Makefile at the running one.
    return sh(f"make {target} VENV={BIN.parent}", proj, **kw)


@pytest.mark.slow
def test_make_experiments_tiny_gives_four_distinct_rows(tmp_path):
    proj = make_project(tmp_path / "proj", profile=None)
    make("experiments PROFILE=tiny", proj, timeout=2400)
    shown = json.loads(sh("dvc exp show --json --hide-workspace", proj).stdout)
    rows = {}
    for commit in shown:
        for exp in commit.get("experiments") or []:
            rev = exp["revs"][0]
            if rev.get("name", "").startswith("tiny-exp"):
                rows[rev["name"]] = rev["data"]
    assert sorted(rows) == [f"tiny-{n}" for n in GRID]
    knobs, metrics = set(), set()
    for name, data in rows.items():
        params = data["params"]["params.yaml"]["data"]
        expected = GRID[name.removeprefix("tiny-")]
        got = {k: params[k.split(".")[0]][k.split(".")[1]] for k in KNOBS}
        assert {k: float(v) for k, v in got.items()} == {k: float(v) for k, v in expected.items()}
        assert params["model"]["base"] == "tests/fixtures/tiny-llama"  # the profile applied
        train = data["metrics"]["metrics/train.json"]["data"]
        assert train["train_runtime_s"] > 0
        knobs.add(tuple(got.values()))
        metrics.add((train["train_loss"], train["eval_loss"]))
    assert len(knobs) == 4 and len(metrics) == 4
    table = make("table", proj).stdout
    assert "learning_rate" in table and "train_loss" in table and "tiny-exp4" in table
    assert "metrics/eval_finetuned.json:rougeL" in table and "rougeL.delta" in table
    assert (proj / "metrics" / "experiments.md").read_text().count("tiny-exp") == 4
    # the workspace's params.yaml is untouched by the experiments
    assert "TinyLlama/TinyLlama-1.1B-Chat-v1.0" in (proj / "params.yaml").read_text()
