"""`make export`: the adapter merged into its base, a model plain transformers (and vLLM/TGI) loads.

On an adapter trained on the tiny model (the session's `dvc repro train`). Greedy equality is
checked where it is exact: a float32 export against base + adapter in float32 (the same
computation up to the order of a few float additions). The default float16 export is checked
for its layout (every tensor float16, exactly the float32 merge rounded), for loading and
generating in float16 with plain transformers, and for picking base + adapter's greedy token at
nearly every position of its answers: fp16 rounding may flip a near tie, a wrong merge flips most.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys

import pytest
import torch
from conftest import TINY, run_env, sh
from safetensors import safe_open
from test_summary import META, write_metrics

from medassist.evaluation.summary import scores_table
from medassist.serve.safety import DISCLAIMER
from medassist.share.export import MARKER, model_card

QUESTIONS = [
    "What is hypertension?",
    "What are the symptoms of diabetes?",
    "How is pneumonia treated?",
    "What causes asthma?",
    "What is the function of the thyroid gland?",
    "What are the risk factors for stroke?",
]
MAX_NEW = 64

# Plain transformers, no medassist import: how a user of the export would run it.
PLAIN = r"""
import json, sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
path, questions, max_new = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
tok = AutoTokenizer.from_pretrained(path)
model = AutoModelForCausalLM.from_pretrained(path).eval()
out = {"class": type(model).__name__, "dtype": str(model.dtype), "prompts": [], "answers": []}
for q in questions:
    text = tok.apply_chat_template([{"role": "user", "content": q}], tokenize=False, add_generation_prompt=True)
    ids = tok(text, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        gen = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                             max_new_tokens=max_new, pad_token_id=tok.eos_token_id)
    out["prompts"].append(ids[0].tolist())
    out["answers"].append(gen[0, ids.shape[1]:].tolist())
print(json.dumps(out))
"""


def plain_transformers(path, questions=QUESTIONS) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PLAIN, str(path), json.dumps(questions), str(MAX_NEW)],
        capture_output=True,
        text=True,
        env=run_env(),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def export(project, *args, check=True):
    return sh(
        f"python -m medassist.share.export {' '.join(map(str, args))}", project, check=check, timeout=600
    )


def strip_eos(ids: list[int], eos: int) -> list[int]:
    return ids[: ids.index(eos) + 1] if eos in ids else ids


@pytest.fixture(scope="module")
def exports(trained_project, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    export(trained_project, "--out", out / "fp16")  # the default: float16
    export(trained_project, "--out", out / "fp32", "--dtype", "float32")
    export(trained_project, "--out", out / "full", "--dtype", "float32", "--base-weights", "full")
    return {"fp16": out / "fp16", "fp32": out / "fp32", "full": out / "full"}


@pytest.fixture(scope="module")
def reference(trained_project):
    """Greedy answers (token ids, EOS excluded) of the adapter on its base as trained and evaluated (4-bit
    NF4), of the adapter on the unquantized base, and of the bare base."""
    from medassist.model.chat import encode_prompt
    from medassist.model.loading import load_base, load_finetuned, load_tokenizer

    with contextlib.chdir(trained_project):
        tokenizer = load_tokenizer("tests/fixtures/tiny-llama")
        model, _ = load_finetuned("models/adapter")  # as evaluated: the 4-bit base it was trained on
        unquantized, _ = load_finetuned("models/adapter", quantization="none", dtype=torch.float32)
        base = load_base("tests/fixtures/tiny-llama", "none")
    prompts = [encode_prompt(tokenizer, q) for q in QUESTIONS]

    def greedy(m):
        answers = []
        for p in prompts:
            ids = torch.tensor([p])
            with torch.inference_mode():
                out = m.generate(
                    input_ids=ids,
                    attention_mask=torch.ones_like(ids),
                    do_sample=False,
                    max_new_tokens=MAX_NEW,
                    pad_token_id=tokenizer.eos_token_id,
                )
            answers.append(strip_eos(out[0, len(p) :].tolist(), tokenizer.eos_token_id))
        return answers

    return {
        "prompts": prompts,
        "answers": greedy(model),
        "unquantized_answers": greedy(unquantized),
        "base_answers": greedy(base),
        "model": model,
        "eos": tokenizer.eos_token_id,
    }


def test_float32_export_answers_exactly_as_the_adapter_on_its_4bit_base(exports, reference):
    plain = plain_transformers(exports["fp32"])
    assert plain["class"] == "LlamaForCausalLM" and plain["dtype"] == "torch.float32"
    assert plain["prompts"] == reference["prompts"]  # chat template carried: the training format
    answers = [strip_eos(a, reference["eos"]) for a in plain["answers"]]
    assert answers == reference["answers"]
    assert answers != reference["base_answers"]  # the adapter is in there: not the bare base
    assert sum(a != b for a, b in zip(answers, reference["base_answers"])) >= len(QUESTIONS) // 2


def test_full_precision_merge_is_the_adapter_on_the_unquantized_base(exports, reference):
    plain = plain_transformers(exports["full"])
    answers = [strip_eos(a, reference["eos"]) for a in plain["answers"]]
    assert answers == reference["unquantized_answers"]
    marker = json.loads((exports["full"] / MARKER).read_text())
    assert (
        marker["base_weights"] == "full"
        and "unquantized base (not the 4-bit" in (exports["full"] / "README.md").read_text()
    )


def test_float16_export_layout_and_answers(exports, reference):
    out = exports["fp16"]
    for name in (
        "config.json",
        "generation_config.json",
        "model.safetensors",
        "tokenizer.json",
        "README.md",
        MARKER,
    ):
        assert (out / name).is_file(), name
    assert (out / "chat_template.jinja").is_file() or "chat_template" in json.loads(
        (out / "tokenizer_config.json").read_text()
    )
    # merged; no temp left
    assert not (out / "adapter_config.json").exists() and not list(out.parent.glob(".fp16.*"))
    config = json.loads((out / "config.json").read_text())
    assert config["dtype"] == "float16" and "quantization_config" not in config
    assert "sdpa_packed" not in json.dumps(config)  # medassist's attention is not needed to load it
    with (
        safe_open(out / "model.safetensors", "pt") as f16,
        safe_open(exports["fp32"] / "model.safetensors", "pt") as f32,
    ):
        assert set(f16.keys()) == set(f32.keys()) and not any("lora" in k for k in f16.keys())
        for key in f16.keys():
            t16 = f16.get_tensor(key)
            assert t16.dtype == torch.float16, key
            assert torch.equal(t16, f32.get_tensor(key).to(torch.float16)), key  # the fp32 merge, rounded
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)  # readable by a serving container

    plain = plain_transformers(out)
    assert plain["dtype"] == "torch.float16" and plain["prompts"] == reference["prompts"]
    assert all(plain["answers"])

    # Teacher-forced: does the fp16 export pick base + adapter's greedy token at each position?
    from transformers import AutoModelForCausalLM

    fp16 = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32).eval()  # fp16 weights, fp32 compute
    base_like = AutoModelForCausalLM.from_pretrained(str(TINY), dtype=torch.float32).eval()

    def agreement(model) -> float:
        same = total = 0
        for prompt, answer in zip(reference["prompts"], reference["answers"]):
            ids = torch.tensor([prompt + answer])
            with torch.inference_mode():
                picks = model(input_ids=ids).logits[0, len(prompt) - 1 : -1].argmax(-1).tolist()
            same += sum(p == a for p, a in zip(picks, answer))
            total += len(answer)
        return same / total

    assert agreement(fp16) >= 0.97
    assert agreement(base_like) < 0.9  # the check can tell a missing merge


def test_model_card_carries_metrics_and_notice(tmp_path):
    write_metrics(tmp_path)
    meta = META
    card = model_card(meta, tmp_path / "adapter", "float16", tmp_path)
    assert card.startswith("---\n") and "base_model: TinyLlama/TinyLlama-1.1B-Chat-v1.0" in card
    assert DISCLAIMER in card and "Educational use only" in card
    assert "\n".join(scores_table(tmp_path)) in card
    assert "r=16" in card and "float16" in card
    assert "No evaluation metrics yet" in model_card(meta, tmp_path, "float16", tmp_path / "none")
    assert "Metrics not included" in model_card(meta, tmp_path, "float16", None)


def test_missing_adapter_is_refused_in_one_line(trained_project, tmp_path):
    proc = export(trained_project, "--adapter", tmp_path / "nowhere", "--out", tmp_path / "out", check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no trained adapter in"), proc.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.*"))


def test_mismatched_adapters_are_refused_and_leave_the_old_export(trained_project, exports, tmp_path):
    from transformers import LlamaConfig, LlamaForCausalLM

    out = tmp_path / "export"
    shutil.copytree(exports["fp32"], out)
    before = (out / "model.safetensors").read_bytes()

    # 1. Its two records name different bases.
    records = tmp_path / "records"
    shutil.copytree(trained_project / "models" / "adapter", records)
    meta = json.loads((records / "medassist.json").read_text())
    (records / "medassist.json").write_text(
        json.dumps({**meta, "base_model": "TinyLlama/TinyLlama-1.1B-Chat-v1.0"})
    )
    # 2. A base its weights do not fit (another hidden size), named by both records.
    other_base = tmp_path / "other-base"
    config = LlamaConfig.from_pretrained(TINY)
    config.hidden_size, config.intermediate_size, config.head_dim = 64, 192, 16
    LlamaForCausalLM(config).save_pretrained(other_base)
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
        shutil.copy(TINY / name, other_base / name)
    shapes = tmp_path / "shapes"
    shutil.copytree(trained_project / "models" / "adapter", shapes)
    (shapes / "medassist.json").write_text(json.dumps({**meta, "base_model": str(other_base)}))
    adapter_config = json.loads((shapes / "adapter_config.json").read_text())
    (shapes / "adapter_config.json").write_text(
        json.dumps({**adapter_config, "base_model_name_or_path": str(other_base)})
    )

    for adapter, why in ((records, "mismatched adapter"), (shapes, "cannot load the adapter")):
        proc = export(trained_project, "--adapter", adapter, "--out", out, check=False)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().splitlines()[-1].startswith("error: ") and why in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
        assert (out / "model.safetensors").read_bytes() == before  # the old export untouched
        assert not list(tmp_path.glob(".export.*"))  # no half-written one left


def test_export_refuses_to_overwrite_the_adapter_or_a_foreign_directory(trained_project, tmp_path):
    proc = export(trained_project, "--out", "models/adapter", check=False)
    assert proc.returncode == 2 and "overlaps the adapter" in proc.stderr
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    proc = export(trained_project, "--out", foreign, check=False)
    assert proc.returncode == 2 and "not a medassist export" in proc.stderr
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_a_failure_while_writing_leaves_nothing(trained_project, tmp_path, monkeypatch):
    from transformers import PreTrainedModel

    from medassist.core import MedassistError
    from medassist.share.export import export as run_export

    def disk_full(self, *args, **kwargs):
        (args[0] / "model.safetensors").write_bytes(b"half")
        raise OSError("No space left on device")

    monkeypatch.chdir(trained_project)
    monkeypatch.setattr(PreTrainedModel, "save_pretrained", disk_full)
    with pytest.raises(OSError):
        run_export(trained_project / "models" / "adapter", tmp_path / "out", "float16", None)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(MedassistError, match="--dtype"):
        run_export(trained_project / "models" / "adapter", tmp_path / "out", "int4", None)
