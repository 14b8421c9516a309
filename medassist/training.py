"""The training recipe: dataset, LoRA config, SFTConfig and the SFTTrainer built from params.

Shared by the train stage and the benchmarks (which must time the real thing). Padding-free
batches: each batch of N examples is flattened into one row with position_ids, so there is no
padding at all and `train.batch_size` still means examples per step; the model runs with
use_cache=False, which keeps the flattened examples from attending to each other.
"""

from __future__ import annotations

from pathlib import Path

import torch

from medassist import MedassistError
from medassist.chat import encode_example


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

    check_target_modules(model, params.lora.target_modules)
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
