"""The train stage on the tiny model: a real SFTTrainer, a real QLoRA (4-bit NF4 on the CPU) run."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import torch
from conftest import BIN, ROOT, SMOLLM2, TINY, run_env, sh, write_params
from safetensors.torch import load_file

from medassist.core.params import load_params, parse_params
from medassist.model.chat import IGNORE_INDEX, encode_example, encode_prompt
from medassist.model.loading import load_base, load_finetuned, load_tokenizer
from medassist.model.training import build_trainer, tokenize


@pytest.fixture(scope="module")
def tok():
    return load_tokenizer(str(TINY))


@pytest.fixture(scope="module", params=[str(TINY), SMOLLM2], ids=["tiny-zephyr", "smollm2-chatml"])
def base(request):
    """Both chat formats: the tiny fixture's TinyLlama (Zephyr-style) template and SmolLM2's ChatML."""
    return request.param


def tiny_params(**overrides):
    from medassist.pipeline.profile import merged

    tree = merged("tiny", ROOT)
    tree["model"]["base"] = str(TINY)
    for dotted, value in overrides.items():
        group, key = dotted.split(".")
        tree[group][key] = value
    return parse_params(tree)


ROWS = [
    {
        "question": "What is the first-line treatment of anaphylaxis?",
        "answer": "Intramuscular adrenaline 0.5 mg.",
    },
    {"question": "Which nerve is damaged in wrist drop?", "answer": "The radial nerve."},
    {
        "question": "What does the thyroid gland make?",
        "answer": "Thyroxine and triiodothyronine, and calcitonin.",
    },
    {"question": "Name a loop diuretic.", "answer": "Furosemide."},
]


def test_labels_mask_prompt_and_keep_eos(base, tmp_path):
    """What the real SFTTrainer feeds the model (4-bit NF4 base): prompt labels masked, each answer
    ending with the template's end-of-turn token, which is learned (it carries a label)."""
    tok = load_tokenizer(base)
    assert tok.eos_token == {str(TINY): "</s>", SMOLLM2: "<|im_end|>"}[base]
    params = tiny_params(**{"train.batch_size": 4, "model.base": base})
    train_ds, truncated = tokenize(ROWS, tok, 256)
    assert truncated == 0
    trainer = build_trainer(params, load_base(base), tok, train_ds, train_ds, tmp_path / "out")
    batch = next(iter(trainer.get_train_dataloader()))
    assert batch["input_ids"].shape[0] == 1, "padding-free: the batch is flattened into one row"
    assert "attention_mask" not in batch
    ids, labels, pos = (
        batch["input_ids"][0].tolist(),
        batch["labels"][0].tolist(),
        batch["position_ids"][0].tolist(),
    )
    starts = [i for i, p in enumerate(pos) if p == 0] + [len(ids)]
    assert len(starts) - 1 == 4 and pad_free(ids, starts)
    seen = set()
    for a, b in zip(starts, starts[1:]):
        ex_ids, ex_labels = ids[a:b], labels[a:b]
        row = next(
            r for r in ROWS if encode_example(tok, r["question"], r["answer"], 256)["input_ids"] == ex_ids
        )
        seen.add(row["question"])
        n_prompt = len(encode_prompt(tok, row["question"]))
        assert all(label == IGNORE_INDEX for label in ex_labels[:n_prompt]), "a prompt token carries a label"
        assert ex_labels[n_prompt:] == ex_ids[n_prompt:], "an answer token lost its label"
        assert ex_ids[-1] == tok.eos_token_id and ex_labels[-1] == tok.eos_token_id, "EOS not learned"
    assert len(seen) == 4


def pad_free(ids, starts):
    return len(ids) == starts[-1]


def test_flattened_examples_do_not_attend_to_each_other(tok):
    """An example's logits alone equal its logits inside a padding-free (flattened) batch."""
    model = load_base(str(TINY), "none")
    model.config.use_cache = False
    a = encode_example(tok, ROWS[0]["question"], ROWS[0]["answer"], 256)["input_ids"]
    b = encode_example(tok, ROWS[1]["question"], ROWS[1]["answer"], 256)["input_ids"]
    with torch.no_grad():
        alone = model(input_ids=torch.tensor([b]), use_cache=False).logits[0]
        flat = model(
            input_ids=torch.tensor([a + b]),
            position_ids=torch.tensor([list(range(len(a))) + list(range(len(b)))]),
            use_cache=False,
        ).logits[0, len(a) :]
    torch.testing.assert_close(flat, alone, atol=1e-4, rtol=1e-4)


def lora_state(model):
    return {n: p.detach().clone() for n, p in model.named_parameters() if "lora_" in n}


def test_experiments_back_to_back_start_from_base_weights(tok, tmp_path):
    """Two runs in one process: the second starts from fresh LoRA weights on a fresh base."""
    train_ds, _ = tokenize(ROWS * 4, tok, 256)
    first = build_trainer(
        tiny_params(),
        load_base(str(TINY)),
        tok,
        train_ds,
        train_ds,
        tmp_path / "a",
        max_steps=4,
        save_strategy="no",
        eval_strategy="no",
    )
    first.train()
    trained = lora_state(first.model)
    assert any(n.endswith("lora_B.default.weight") and t.abs().sum() > 0 for n, t in trained.items())
    second = build_trainer(
        tiny_params(**{"train.learning_rate": 1e-3}),
        load_base(str(TINY)),
        tok,
        train_ds,
        train_ds,
        tmp_path / "b",
        max_steps=4,
        save_strategy="no",
        eval_strategy="no",
    )
    fresh = lora_state(second.model)
    assert all(t.abs().sum() == 0 for n, t in fresh.items() if "lora_B" in n), (
        "second run inherited trained LoRA"
    )
    assert first.model is not second.model


# ------------------------------------------------------------------ the stage, end to end


def test_stage_trains_and_adapter_reloads_identically(trained_project, tok):
    proj = trained_project
    metrics = json.loads((proj / "metrics" / "train.json").read_text())
    for key in (
        "train_runtime_s",
        "train_loss",
        "eval_loss",
        "train_tokens_per_s",
        "peak_memory_gb",
        "trainable_params",
    ):
        assert metrics[key] > 0, key
    # loss falls: DVCLive's logged training loss, first vs last logging step
    lines = (proj / "metrics/train_live/plots/metrics/loss.tsv").read_text().splitlines()[1:]
    losses = [float(line.split("\t")[-1]) for line in lines]
    assert len(losses) >= 5 and sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.05, losses
    adapter = proj / "models" / "adapter"
    for name in (
        "adapter_model.safetensors",
        "adapter_config.json",
        "tokenizer.json",
        "README.md",
        "medassist.json",
    ):
        assert (adapter / name).is_file(), name
    card = (adapter / "README.md").read_text()
    assert "base_model:" not in card or "tests/fixtures" not in card  # never a local path in the card
    # the saved adapter reloads to identical logits (and differs from the base: it learned)
    model, meta = load_finetuned(adapter)
    ids = torch.tensor([encode_prompt(tok, "What causes asthma?")])
    with torch.no_grad():
        logits = model(input_ids=ids).logits
        again = load_finetuned(adapter)[0](input_ids=ids).logits
        with model.disable_adapter():
            base_logits = model(input_ids=ids).logits
    torch.testing.assert_close(logits, again, atol=0, rtol=0)
    assert not torch.allclose(logits, base_logits)
    # DVC: dvc.lock records it, plots are declared and render
    assert "models/adapter" in (proj / "dvc.lock").read_text()


def test_hub_card_names_hub_id_not_path():
    from medassist.model.adapter import model_card

    params = load_params(ROOT / "params.yaml")
    card = model_card(params)
    assert "base_model: TinyLlama/TinyLlama-1.1B-Chat-v1.0" in card
    assert "datasets: [medalpaca/medical_meadow_medical_flashcards]" in card
    gguf_card = model_card(tiny_params(**{"model.base": SMOLLM2}))  # a GGUF file is no hub id
    assert "base_model:" not in gguf_card and "a local base model" in gguf_card


def adapter_shapes(path):
    return {k: tuple(v.shape) for k, v in load_file(str(path / "adapter_model.safetensors")).items()}


def copy_project(src, dest):
    shutil.copytree(src, dest, symlinks=True)
    return dest


def test_lora_rank_changes_adapter_shape(trained_project, tmp_path):
    proj = copy_project(trained_project, tmp_path / "r4")
    before = adapter_shapes(proj / "models" / "adapter")
    assert all(16 in shape for shape in before.values())  # the tiny profile's r=16
    write_params(proj, **{"lora.r": 4, "train.epochs": 1})
    sh("dvc repro train", proj)
    after = adapter_shapes(proj / "models" / "adapter")
    assert before.keys() == after.keys()
    a_key = next(k for k in after if "lora_A" in k)
    assert after[a_key][0] == 4 and before[a_key][0] == 16


def test_interrupted_run_resumes_at_the_step_it_reached(trained_project, tmp_path):
    proj = copy_project(trained_project, tmp_path / "resume")
    write_params(proj, **{"train.save_steps": 10, "train.epochs": 3, "train.seed": 7})
    env = run_env()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stages.train"],
        cwd=proj,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.time() + 300
    checkpoints = []
    while time.time() < deadline and proc.poll() is None:
        checkpoints = [
            int(c.name.split("-")[1])
            for c in (proj / "models/checkpoints").glob("*/checkpoint-*")
            if (c / "trainer_state.json").exists()
        ]
        if checkpoints and max(checkpoints) >= 20:
            break
        time.sleep(0.5)
    assert proc.poll() is None, "training finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(1)
    reached = max(
        int(c.name.split("-")[1])
        for c in (proj / "models/checkpoints").glob("*/checkpoint-*")
        if (c / "trainer_state.json").exists()
    )
    again = sh(f"{sys.executable} -m stages.train", proj)
    assert f"resuming from step {reached}" in again.stderr
    metrics = json.loads((proj / "metrics/train.json").read_text())
    assert metrics["steps"] > reached
    assert not any((proj / "models/checkpoints").iterdir()), "finished runs clean up their checkpoints"


def test_other_configuration_never_resumes_a_stale_checkpoint(trained_project, tmp_path):
    proj = copy_project(trained_project, tmp_path / "stale")
    stale = proj / "models/checkpoints/0123456789ab/checkpoint-5"
    stale.mkdir(parents=True)
    write_params(proj, **{"train.epochs": 1})
    out = sh(f"{sys.executable} -m stages.train", proj)
    assert "resuming" not in out.stderr
    assert stale.exists(), "another configuration's checkpoints are left alone"


def test_torchrun_two_processes_gloo(trained_project, tmp_path):
    proj = copy_project(trained_project, tmp_path / "ddp")
    write_params(proj, **{"train.epochs": 1})
    shutil.rmtree(proj / "models" / "adapter")
    sh(f"{BIN}/torchrun --nproc_per_node 2 --master_port 29533 -m stages.train", proj, timeout=900)
    metrics = json.loads((proj / "metrics/train.json").read_text())
    assert metrics["world_size"] == 2
    model, _ = load_finetuned(proj / "models" / "adapter")
    assert any("lora_A" in n for n, _ in model.named_parameters())


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"lora.target_modules": ["q_proj", "qkv_proj"]},
            "lora.target_modules: ['qkv_proj'] not found in the model",
        ),
        ({"train.batch_size": 0}, "train.batch_size: must be > 0"),
    ],
)
def test_bad_input_gives_clear_message(trained_project, tmp_path, change, message):
    proj = copy_project(trained_project, tmp_path / "bad")
    write_params(proj, **change)
    out = sh(f"{sys.executable} -m stages.train", proj, check=False)
    assert out.returncode == 2 and message in out.stderr, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    assert (proj / "models/adapter/adapter_model.safetensors").exists(), "the old adapter is untouched"


@pytest.mark.skipif(torch.cuda.is_available(), reason="the refusal is for machines with no GPU")
def test_no_gpu_refuses_a_hub_base_in_one_line(trained_project, tmp_path):
    proj = copy_project(trained_project, tmp_path / "hub")
    write_params(proj, **{"model.base": "no-such-org/no-such-model"})
    out = sh(f"{sys.executable} -m stages.train", proj, check=False)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr[-2000:]
    assert "no usable CUDA GPU" in out.stderr and "MEDASSIST_ALLOW_CPU=1" in out.stderr
    # opted in, it goes on to load the model (and here, offline, cannot)
    out = sh(
        f"{sys.executable} -m stages.train", proj, check=False, env={**run_env(), "MEDASSIST_ALLOW_CPU": "1"}
    )
    assert out.returncode == 2 and "cannot load model 'no-such-org/no-such-model'" in out.stderr
    assert "Traceback" not in out.stderr


def test_empty_train_split(trained_project, tmp_path):
    proj = copy_project(trained_project, tmp_path / "empty")
    (proj / "data/split/train.jsonl").write_text("")
    out = sh(f"{sys.executable} -m stages.train", proj, check=False)
    assert out.returncode == 2 and "empty split (0 train" in out.stderr
