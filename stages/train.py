"""train: QLoRA fine-tune of model.base on data/split -> models/adapter + metrics/train.json.

TRL's SFTTrainer + PEFT LoRA on a 4-bit NF4 base (the recipe: medassist.model.training).
Examples come from the shared chat format (medassist.model.chat): loss on answer tokens only,
every answer ending in EOS. Batches are padding-free, so `train.batch_size` still means examples
per step. Training curves go to metrics/train_live (DVCLive).

An interrupted run resumes from the last checkpoint of the same configuration
(models/checkpoints/<config hash>); another configuration starts from the base weights.
Runs unchanged under `torchrun --nproc_per_node N` (DDP).
"""

import os
import shutil
import sys
import time

from medassist.core import MedassistError, paths
from medassist.core.cli import run
from medassist.core.io import read_jsonl, write_json
from medassist.core.params import load_params
from medassist.model.adapter import save_adapter
from medassist.model.loading import load_base, load_tokenizer, require_gpu
from medassist.model.training import (
    answer_tokens,
    build_trainer,
    config_hash,
    final_eval_loss,
    peak_memory_gb,
    tokenize,
)


def main() -> None:
    params = load_params()
    p_model, p_train = params.model, params.train
    train_rows, eval_rows = read_jsonl(paths.TRAIN), read_jsonl(paths.EVAL)
    if not train_rows or not eval_rows:
        raise MedassistError(
            f"empty split ({len(train_rows)} train / {len(eval_rows)} eval rows): run `dvc repro split`"
        )

    require_gpu(p_model.base, "QLoRA training")  # before anything loads

    from dvclive import Live
    from transformers.integrations import DVCLiveCallback

    tokenizer = load_tokenizer(p_model.base)
    train_ds, truncated = tokenize(train_rows, tokenizer, p_model.max_length)
    eval_ds, _ = tokenize(eval_rows, tokenizer, p_model.max_length)
    model = load_base(p_model.base, p_model.quantization)

    rank0 = int(os.environ.get("RANK", 0)) == 0
    output_dir = paths.CHECKPOINTS / config_hash(params, paths.TRAIN, paths.EVAL)
    done_steps = [int(c.name.split("-")[1]) for c in output_dir.glob("checkpoint-*")]
    resume = bool(done_steps)
    if resume and rank0:
        print(f"train: resuming from step {max(done_steps)} (checkpoint in {output_dir})", file=sys.stderr)

    live = Live(str(paths.TRAIN_LIVE), dvcyaml=False, save_dvc_exp=False, resume=resume) if rank0 else None
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
    save_adapter(paths.ADAPTER, trainer.model, tokenizer, params)
    write_json(
        paths.TRAIN_METRICS,
        {
            "train_runtime_s": round(runtime, 2),
            "train_loss": result.training_loss,
            "eval_loss": eval_loss,
            "train_tokens_per_s": round(tokens / runtime, 1),
            "answer_tokens": answer_tokens(train_ds),
            "peak_memory_gb": round(peak_memory_gb(), 3),
            "trainable_params": trainer.model.get_nb_trainable_parameters()[0],
            "train_examples": len(train_ds),
            "truncated_examples": truncated,
            "steps": steps,
            "world_size": int(os.environ.get("WORLD_SIZE", 1)),
        },
    )
    shutil.rmtree(output_dir, ignore_errors=True)  # done: the checkpoints served their purpose
    print(
        f"train: {runtime:.1f}s, train_loss {result.training_loss:.4f}, eval_loss {eval_loss:.4f} -> {paths.ADAPTER}"
    )


if __name__ == "__main__":
    run(main, __doc__)
