"""The training recipe: dataset, LoRA config, SFTConfig and the SFTTrainer built from params.

Shared by the train stage and the benchmarks (which must time the real thing). Padding-free
batches: each batch of N examples is flattened into one row with position_ids, so there is no
padding at all and `train.batch_size` still means examples per step; the model runs with
use_cache=False, which keeps the flattened examples from attending to each other.
"""

from __future__ import annotations

import hashlib
import json
import resource
from pathlib import Path

import torch

from medassist.core import MedassistError
from medassist.model.chat import IGNORE_INDEX, encode_example


def tokenize(rows: list[dict], tokenizer, max_length: int):
    """A datasets.Dataset of encode_example() dicts, and how many were truncated (lost their EOS)."""
    from datasets import Dataset

    examples = [encode_example(tokenizer, r["question"], r["answer"], max_length) for r in rows]
    truncated = sum(ex["labels"][-1] != tokenizer.eos_token_id for ex in examples)
    return Dataset.from_list(examples), truncated


def check_target_modules(model, targets: list[str]) -> None:
    names = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    missing = [t for t in targets if t not in names]
    if missing:
        projections = sorted({n.rsplit(".", 1)[-1] for n, _ in model.named_modules() if n.endswith("proj")})
        raise MedassistError(
            f"lora.target_modules: {missing} not found in the model; its projection modules are {projections}"
        )


def lora_config(p_lora):
    from peft import LoraConfig

    return LoraConfig(
        r=p_lora.r,
        lora_alpha=p_lora.alpha,
        lora_dropout=p_lora.dropout,
        target_modules=list(p_lora.target_modules),
        bias="none",
        task_type="CAUSAL_LM",
    )


def hyperparameters(p_train) -> dict:
    """The train params as Trainer arguments (also used by the benchmark's notebook baseline)."""
    cuda = torch.cuda.is_available()
    return dict(
        per_device_train_batch_size=p_train.batch_size,
        gradient_accumulation_steps=p_train.grad_accum,
        num_train_epochs=p_train.epochs,
        learning_rate=p_train.learning_rate,
        lr_scheduler_type=p_train.scheduler,
        warmup_steps=p_train.warmup_steps,
        max_grad_norm=p_train.max_grad_norm,
        optim=p_train.optimizer,
        weight_decay=p_train.weight_decay,
        seed=p_train.seed,
        data_seed=p_train.seed,
        fp16=cuda,  # a T4 has no bf16; on a CPU train in fp32
        bf16=False,
        logging_steps=p_train.logging_steps,
        # NEFTune: uniform noise on the input embeddings while training, alpha / sqrt(length * dim).
        # With padding-free rows transformers' hook sees the whole flattened row as one sequence,
        # so the noise per example is about 1/sqrt(batch_size) of the paper's at the same alpha.
        neftune_noise_alpha=p_train.neftune_alpha or None,
        report_to="none",
        dataloader_pin_memory=cuda,
    )


def sft_config(p_train, output_dir: str | Path, **overrides):
    from trl import SFTConfig

    settings = dict(
        hyperparameters(p_train),
        output_dir=str(output_dir),
        per_device_eval_batch_size=p_train.batch_size,
        activation_checkpointing=p_train.gradient_checkpointing,  # off by default: not needed for 1.1B
        padding_free=True,
        max_length=None,  # examples are truncated upstream by encode_example
        save_strategy="steps",
        save_steps=p_train.save_steps,
        save_total_limit=2,
        eval_strategy="epoch",
        ddp_find_unused_parameters=False,
    )
    settings.update(overrides)
    return SFTConfig(**settings)


def build_trainer(params, model, tokenizer, train_ds, eval_ds, output_dir, callbacks=(), **overrides):
    """SFTTrainer for LoRA on `model` (a freshly loaded base: never one that was trained before)."""
    from trl import SFTTrainer

    from medassist.gpu.toolchain import configure_trl_loss

    check_target_modules(model, params.lora.target_modules)
    configure_trl_loss(model.device.type)  # Triton needs a C compiler and Python headers
    model.config.use_cache = False  # padding-free isolation needs it (and training does not use it)
    trainer = SFTTrainer(
        model=model,
        args=sft_config(params.train, output_dir, **overrides),
        train_dataset=train_ds,
        eval_dataset=eval_ds,
        processing_class=tokenizer,
        peft_config=lora_config(params.lora),
        callbacks=list(callbacks),
    )
    # TRL casts QLoRA adapter weights to bf16; a T4 has no bf16 and fp16 mixed precision needs
    # fp32 master weights, so keep the (few) trainable weights in fp32.
    for param in trainer.model.parameters():
        if param.requires_grad:
            param.data = param.data.float()
    return trainer


def config_hash(params, train_path: Path, eval_path: Path) -> str:
    """Checkpoints are only resumed by a run with the same params and the same data."""
    blob = (
        json.dumps({k: params.to_dict()[k] for k in ("model", "lora", "train")}, sort_keys=True).encode()
        + train_path.read_bytes()
        + eval_path.read_bytes()
    )
    return hashlib.sha256(blob).hexdigest()[:12]


def final_eval_loss(trainer) -> float:
    """The eval loss of the trained model: the end-of-epoch evaluation's, when it ran at the last step."""
    last = [log for log in trainer.state.log_history if "eval_loss" in log]
    if last and last[-1]["step"] == trainer.state.global_step:
        return last[-1]["eval_loss"]
    return trainer.evaluate()["eval_loss"]


def answer_tokens(dataset) -> int:
    """Tokens the loss is computed on (answers and their EOS; prompts are masked)."""
    return sum(sum(label != IGNORE_INDEX for label in labels) for labels in dataset["labels"])


def peak_memory_gb() -> float:
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 1e9
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # Linux: KiB -> GB
