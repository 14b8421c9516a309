import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

from medassist.core.params import ParamsError, load_params, parse_params


def base_tree():
    return yaml.safe_load((ROOT / "params.yaml").read_text())


def with_value(dotted, value):
    tree = base_tree()
    group, key = dotted.split(".")
    tree[group][key] = value
    return tree


def test_reference_params_load_typed():
    params = load_params(ROOT / "params.yaml")
    assert params.train.learning_rate == pytest.approx(2e-4)
    assert isinstance(params.train.batch_size, int)
    assert params.lora.target_modules == ["q_proj", "k_proj", "v_proj", "o_proj"]
    assert params.data.n_samples == 3000 and params.data.eval_fraction == 0.1


@pytest.mark.parametrize("raw", ["2e-4", "2E-4", " 0.0002 ", 2e-4])
def test_numbers_given_as_strings_are_numbers(raw):
    # YAML 1.1 reads `2e-4` as a string; `dvc exp run -S` may hand one over too.
    assert parse_params(with_value("train.learning_rate", raw)).train.learning_rate == pytest.approx(2e-4)


def test_yaml_written_2e_4_is_a_number(tmp_path):
    text = (ROOT / "params.yaml").read_text().replace("learning_rate: 2.0e-4", "learning_rate: 2e-4")
    (tmp_path / "params.yaml").write_text(text)
    assert load_params(tmp_path / "params.yaml").train.learning_rate == pytest.approx(2e-4)


def test_unknown_key_lists_valid_keys():
    tree = base_tree()
    tree["train"]["learnig_rate"] = 1e-4
    with pytest.raises(ParamsError) as err:
        parse_params(tree)
    msg = str(err.value)
    assert "train.learnig_rate" in msg and "did you mean 'learning_rate'" in msg
    assert "train.batch_size" in msg and "train.epochs" in msg


def test_unknown_group():
    tree = base_tree()
    tree["trian"] = {}
    with pytest.raises(ParamsError, match="unknown parameter 'trian'.*valid keys: data, clean"):
        parse_params(tree)


@pytest.mark.parametrize(
    "dotted, value, fragment",
    [
        ("train.learning_rate", -1e-4, "train.learning_rate: must be in (0, 1), got -0.0001"),
        ("train.learning_rate", "fast", "train.learning_rate: expected a number, got 'fast'"),
        ("train.batch_size", 0, "train.batch_size: must be > 0, got 0"),
        ("train.batch_size", 2.5, "train.batch_size: expected an integer, got 2.5"),
        ("train.batch_size", True, "train.batch_size: expected a number, got True"),
        ("train.epochs", 0, "train.epochs: must be > 0"),
        ("lora.r", 0, "lora.r: must be > 0, got 0"),
        ("lora.dropout", 1.5, "lora.dropout: must be in [0, 1)"),
        ("lora.target_modules", [], "lora.target_modules: must list at least one module, got []"),
        ("lora.target_modules", [3], "lora.target_modules: expected a list of module names"),
        ("data.eval_fraction", 1.0, "data.eval_fraction: must be in (0, 1), got 1.0"),
        ("data.eval_fraction", 0, "data.eval_fraction: must be in (0, 1), got 0"),
        ("data.n_samples", -5, "data.n_samples: must be >= 0"),
        ("model.quantization", "int3", "model.quantization: must be one of nf4, none, got 'int3'"),
        ("clean.overlong", "ignore", "clean.overlong: must be one of drop, truncate"),
        ("train.optimizer", "sgd", "train.optimizer: must be one of"),
        ("train.gradient_checkpointing", "maybe", "train.gradient_checkpointing: expected true or false"),
        ("eval.max_new_tokens", 0, "eval.max_new_tokens: must be > 0"),
        ("eval.questions", ["What is asthma?", 7], "eval.questions: expected a list of non-empty strings"),
    ],
)
def test_bad_values_name_key_and_value(dotted, value, fragment):
    with pytest.raises(ParamsError) as err:
        parse_params(with_value(dotted, value))
    assert fragment in str(err.value)


def test_missing_key():
    tree = base_tree()
    del tree["lora"]["alpha"]
    with pytest.raises(ParamsError, match="missing parameter 'lora.alpha'"):
        parse_params(tree)


def test_stage_exits_cleanly_on_bad_params(tmp_path):
    tree = with_value("train.batch_size", 0)
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(tree))
    proc = subprocess.run(
        [sys.executable, "-m", "stages.split"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2
    assert "error: params.yaml: train.batch_size: must be > 0, got 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_profile_merges_and_validates():
    from medassist.pipeline.profile import load_profile, merged, set_args

    tree = merged("tiny", ROOT)
    assert tree["model"]["base"] == "tests/fixtures/tiny-llama"
    assert tree["lora"]["r"] == 16  # untouched keys keep params.yaml's values
    args = set_args(load_profile("tiny", ROOT))
    assert "model.base=tests/fixtures/tiny-llama" in args and args[0] == "-S"


def test_eval_questions_and_report_samples():
    params = load_params(ROOT / "params.yaml")
    assert "What is hypertension?" in params.eval.questions and len(params.eval.questions) == 5
    assert parse_params(with_value("eval.questions", [])).eval.questions == []
    assert parse_params(with_value("eval.questions", "What causes asthma?")).eval.questions == [
        "What causes asthma?"
    ]
    assert parse_params(with_value("eval.report_samples", "3")).eval.report_samples == 3
    with pytest.raises(ParamsError, match="eval.report_samples: must be >= 0, got -1"):
        parse_params(with_value("eval.report_samples", -1))
    with pytest.raises(ParamsError, match="eval.questions: expected a list"):
        parse_params(with_value("eval.questions", [3]))
