"""train: QLoRA fine-tune of model.base on data/split -> models/adapter + metrics/train.json.

TRL's SFTTrainer + PEFT LoRA on a 4-bit NF4 base. Examples come from the shared chat format
(medassist.chat): loss on answer tokens only, every answer ending in EOS. Batches are
padding-free (each batch flattened into one row with position_ids, use_cache off so examples
never attend to each other), so `train.batch_size` still means examples per step.

An interrupted run resumes from the last checkpoint of the same configuration
(models/checkpoints/<config hash>); another configuration starts from the base weights.
Runs unchanged under `torchrun --nproc_per_node N` (DDP).
"""

import hashlib
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import torch

from medassist import MedassistError
from medassist.chat import IGNORE_INDEX
from medassist.cli import run
from medassist.io import atomic_dir, read_jsonl, write_json
from medassist.modeling import ADAPTER_META, hub_id, load_base, load_tokenizer, warn_if_cpu
from medassist.training import build_trainer, tokenize
from medassist.params import load_params

TRAIN, EVAL = Path("data/split/train.jsonl"), Path("data/split/eval.jsonl")
ADAPTER = Path("models/adapter")
CHECKPOINTS = Path("models/checkpoints")
METRICS = Path("metrics/train.json")
LIVE_DIR = Path("metrics/train_live")


def config_hash(params, train_path, eval_path) -> str:
    """Checkpoints are only resumed by a run with the same params and the same data."""
    blob = json.dumps(
        {k: params.to_dict()[k] for k in ("model", "lora", "train")}, sort_keys=True
    ).encode() + train_path.read_bytes() + eval_path.read_bytes()
    return hashlib.sha256(blob).hexdigest()[:12]


def model_card(params) -> str:
    base = params.model.base
    hub_base = hub_id(base)
    header = ["---", "library_name: peft", "pipeline_tag: text-generation", "tags: [lora, qlora, medical]"]
    if hub_base:
        header.append(f"base_model: {hub_base}")
    if not Path(params.data.source).exists():
        header.append(f"datasets: [{params.data.source}]")
    header.append("---")
    trained_on = f"[{hub_base}](https://huggingface.co/{hub_base})" if hub_base else "a local base model"
    return "\n".join(header) + (
        f"\n\n# medassist LoRA adapter\n\nA LoRA adapter (r={params.lora.r}, alpha={params.lora.alpha}, "
        f"targets {', '.join(params.lora.target_modules)}) on {trained_on}, "
        f"{'4-bit NF4 (QLoRA)' if params.model.quantization == 'nf4' else 'unquantized'}, trained by "
        "medassist's `train` stage on medical flashcards. Educational use only: not medical advice.\n"
    )


def final_eval_loss(trainer) -> float:
    """The eval loss of the trained model: the end-of-epoch evaluation's, when it ran at the last step."""
    last = [log for log in trainer.state.log_history if "eval_loss" in log]
    if last and last[-1]["step"] == trainer.state.global_step:
        return last[-1]["eval_loss"]
    return trainer.evaluate()["eval_loss"]


def peak_memory_gb() -> float:
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 1e9
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # Linux: KiB -> GB


def main() -> None:
    params = load_params()
    p_model, p_lora, p_train = params.model, params.lora, params.train
    train_rows, eval_rows = read_jsonl(TRAIN), read_jsonl(EVAL)
    if not train_rows or not eval_rows:
        raise MedassistError(f"empty split ({len(train_rows)} train / {len(eval_rows)} eval rows): run `dvc repro split`")

    from dvclive import Live
    from transformers.integrations import DVCLiveCallback

    tokenizer = load_tokenizer(p_model.base)
    train_ds, truncated = tokenize(train_rows, tokenizer, p_model.max_length)
    eval_ds, _ = tokenize(eval_rows, tokenizer, p_model.max_length)
    warn_if_cpu("QLoRA training")
    model = load_base(p_model.base, p_model.quantization)

    rank0 = int(os.environ.get("RANK", 0)) == 0
    output_dir = CHECKPOINTS / config_hash(params, TRAIN, EVAL)
    done_steps = [int(c.name.split("-")[1]) for c in output_dir.glob("checkpoint-*")]
    resume = bool(done_steps)
    if resume and rank0:
        print(f"train: resuming from step {max(done_steps)} (checkpoint in {output_dir})", file=sys.stderr)

    live = Live(str(LIVE_DIR), dvcyaml=False, save_dvc_exp=False, resume=resume) if rank0 else None
    callbacks = [DVCLiveCallback(live=live)] if rank0 else []
    trainer = build_trainer(params, model, tokenizer, train_ds, eval_ds, output_dir, callbacks)

    start = time.perf_counter()
    result = trainer.train(resume_from_checkpoint=True if resume else None)
    runtime = time.perf_counter() - start
    eval_loss = final_eval_loss(trainer)
    if not rank0:
        return

    steps = trainer.state.global_step
    run_share = (steps - max(done_steps, default=0)) / steps  # the part of training this run did
    tokens = sum(len(ids) for ids in train_ds["input_ids"]) * p_train.epochs * run_share
    answer_tokens = sum(sum(l != IGNORE_INDEX for l in labels) for labels in train_ds["labels"])
    with atomic_dir(ADAPTER) as tmp:
        trainer.model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        config_path = tmp / "adapter_config.json"
        config = json.loads(config_path.read_text())
        config["base_model_name_or_path"] = p_model.base
        config_path.write_text(json.dumps(config, indent=2))
        (tmp / "README.md").write_text(model_card(params))
        (tmp / ADAPTER_META).write_text(
            json.dumps(
                {"base_model": p_model.base, "quantization": p_model.quantization,
                 "max_length": p_model.max_length, "lora": params.to_dict()["lora"], "train": params.to_dict()["train"]},
                indent=2,
            )
        )
    write_json(
        METRICS,
        {
            "train_runtime_s": round(runtime, 2),
            "train_loss": result.training_loss,
            "eval_loss": eval_loss,
            "train_tokens_per_s": round(tokens / runtime, 1),
            "answer_tokens": answer_tokens,
            "peak_memory_gb": round(peak_memory_gb(), 3),
            "trainable_params": trainer.model.get_nb_trainable_parameters()[0],
            "train_examples": len(train_ds),
            "truncated_examples": truncated,
            "steps": steps,
            "world_size": int(os.environ.get("WORLD_SIZE", 1)),
        },
    )
    shutil.rmtree(output_dir, ignore_errors=True)  # done: the checkpoints served their purpose
    print(f"train: {runtime:.1f}s, train_loss {result.training_loss:.4f}, eval_loss {eval_loss:.4f} -> {ADAPTER}")


if __name__ == "__main__":
    run(main)
