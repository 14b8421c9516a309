"""One training epoch of one recipe, timed in a fresh process. Run by benchmarks/run.py:

    python -m benchmarks.train_bench --recipe notebook|ours --model DIR --n 64 --result out.json

Both recipes: the same 4-bit NF4 base (medassist.model.loading.load_base), the same LoRA (params.yaml
`lora`), the same optimiser and schedule (params.yaml `train`), the same examples with the same
token ids (medassist.model.chat.encode_example), one epoch.

- notebook: what the replaced notebooks did. Every example padded to model.max_length (512)
  tokens, pad = EOS, transformers' DataCollatorForLanguageModeling(mlm=False) (labels on every
  token, EOS masked with the padding), gradient checkpointing, HF Trainer.
- ours: the train stage's code path, medassist.model.training.build_trainer (what stages/train.py
  calls): TRL SFTTrainer, prompt-masked labels, padding_free=True with max_length=None (each
  batch flattened into one row, no padding, each example attended on its own by
  medassist.model.attention), use_cache off, no gradient checkpointing, trainable weights in fp32.
  Only checkpoint saving and per-epoch evaluation are left out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from functools import partial

import torch

from benchmarks.common import PeakMemory, flashcards, params, take, write_result
from medassist.model import attention
from medassist.model.loading import load_base, load_tokenizer
from medassist.model.training import build_trainer, hyperparameters, lora_config


class CountingCollator:
    """Wraps a collator to count the tokens the model is fed and how many of them are real."""

    def __init__(self, collator):
        self.collator = collator
        self.fed = self.real = 0

    def __call__(self, features):
        batch = self.collator(features)
        ids = batch["input_ids"]
        self.fed += ids.numel()
        self.real += int(batch["attention_mask"].sum()) if "attention_mask" in batch else ids.numel()
        return batch


def notebook_args(p_train, output_dir: str, checkpointing: bool = True):
    """The train stage's hyperparameters (lr, schedule, optimiser, batch), in a plain
    TrainingArguments with gradient checkpointing, as the notebooks had it."""
    from transformers import TrainingArguments

    args = dict(
        hyperparameters(p_train),
        output_dir=output_dir,
        num_train_epochs=1,
        activation_checkpointing=checkpointing,
        save_strategy="no",
        disable_tqdm=True,
    )
    return TrainingArguments(**args)


def notebook_trainer(model, tokenizer, examples, prm, output_dir, pad_to_max=True, checkpointing=True):
    """The notebook recipe; the two switches give the ablations (run.py --ablations)."""
    from datasets import Dataset
    from peft import get_peft_model, prepare_model_for_kbit_training
    from transformers import DataCollatorForLanguageModeling, Trainer

    tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "right"
    ids = [ex["input_ids"] for ex in examples]
    if pad_to_max:  # tokenizer(..., padding="max_length", max_length=512)
        padded = tokenizer.pad({"input_ids": ids}, padding="max_length", max_length=prm.model.max_length)
        dataset = Dataset.from_dict(
            {"input_ids": padded["input_ids"], "attention_mask": padded["attention_mask"]}
        )
    else:  # the collator pads each batch to its longest example
        dataset = Dataset.from_dict({"input_ids": ids})
    model.config.use_cache = False
    model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=checkpointing)
    model = get_peft_model(model, lora_config(prm.lora))
    return Trainer(
        model=model,
        args=notebook_args(prm.train, output_dir, checkpointing),
        train_dataset=dataset,
        data_collator=DataCollatorForLanguageModeling(tokenizer, mlm=False),
    )


def ours_trainer(model, tokenizer, examples, prm, output_dir, **overrides):
    """The train stage's own trainer (medassist.model.training.build_trainer), for one epoch, with the
    stage's checkpoint saving and per-epoch evaluation left out of the timing."""
    from datasets import Dataset

    return build_trainer(
        prm,
        model,
        tokenizer,
        Dataset.from_list(examples),
        None,
        output_dir,
        num_train_epochs=1,
        save_strategy="no",
        eval_strategy="no",
        disable_tqdm=True,
        **overrides,
    )


RECIPES = {
    "notebook": notebook_trainer,
    "ours": ours_trainer,
    # ablations: the notebook recipe with one fix at a time
    "notebook-no-checkpointing": partial(notebook_trainer, checkpointing=False),
    "notebook-dynamic-padding": partial(notebook_trainer, pad_to_max=False, checkpointing=False),
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--recipe", choices=sorted(RECIPES), required=True)
    ap.add_argument("--model", required=True, help="model directory or hub id (its tokenizer too)")
    ap.add_argument(
        "--quantization",
        choices=["nf4", "none"],
        default=None,
        help="default: params.yaml model.quantization",
    )
    ap.add_argument("--n", type=int, required=True, help="training examples (one epoch)")
    ap.add_argument(
        "--data", default=None, help="flashcards .jsonl in the raw schema (default: the bundled sample)"
    )
    ap.add_argument(
        "--packed-attention",
        choices=["auto", *attention.BACKENDS],
        default=None,
        help="ours: the kernel for padding-free rows (default: MEDASSIST_PACKED_ATTENTION, else "
        "the fastest this machine has)",
    )
    ap.add_argument(
        "--liger", action="store_true", help="ours: Liger's fused kernels (use_liger_kernel; CUDA)"
    )
    ap.add_argument("--result", required=True)
    args = ap.parse_args(argv)

    from medassist.model.chat import encode_example

    if args.recipe != "ours" and (args.liger or args.packed_attention):
        ap.error("--liger and --packed-attention change our recipe only (--recipe ours)")
    attention.preferred = args.packed_attention or attention.preferred

    prm = params()
    quantization = args.quantization or prm.model.quantization
    tokenizer = load_tokenizer(args.model)
    rows = take(flashcards(args.data) if args.data else flashcards(), args.n)
    examples = [encode_example(tokenizer, r["question"], r["answer"], prm.model.max_length) for r in rows]
    model = load_base(args.model, quantization)

    with tempfile.TemporaryDirectory(prefix="bench-train-") as output_dir:
        extra = {"use_liger_kernel": True} if args.liger else {}
        trainer = RECIPES[args.recipe](model, tokenizer, examples, prm, output_dir, **extra)
        counter = trainer.data_collator = CountingCollator(trainer.data_collator)
        with PeakMemory() as memory:
            start, cpu_start = time.perf_counter(), time.process_time()
            result = trainer.train()
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start

    real = sum(len(ex["input_ids"]) for ex in examples)
    assert counter.real == real, f"real tokens fed {counter.real} != tokens in the examples {real}"
    write_result(
        args.result,
        {
            "recipe": args.recipe,
            "quantization": quantization,
            "examples": len(examples),
            "epoch_s": round(seconds, 3),
            "epoch_cpu_s": round(cpu_seconds, 3),
            "real_tokens": real,
            "fed_tokens": counter.fed,
            "real_tokens_per_s": round(real / seconds, 1),
            "padding_share": round(1 - real / counter.fed, 4),
            "steps": trainer.state.global_step,
            "train_loss": result.training_loss,
            "trainable_params": trainer.model.get_nb_trainable_parameters()[0],
            "gradient_checkpointing": bool(trainer.args.gradient_checkpointing),
            "packed_attention": sorted(
                attention.used
            ),  # the kernels padding-free rows went to (none: no packed rows)
            "liger": bool(args.liger),
            **memory.record(),
            "memory_scope": memory.scope,
            "torch_threads": torch.get_num_threads(),
        },
    )
    print(f"train_bench {args.recipe}: {seconds:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
