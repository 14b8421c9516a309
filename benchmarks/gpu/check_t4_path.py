"""On a CUDA GPU: the train stage's path, step by step, on a random-init TinyLlama-1.1B-Chat-shaped
model (4-bit NF4, fp16), each check one line, all of them in a JSON report.

    python -m benchmarks.gpu.check_t4_path [--out t4_path.json]
    python -m benchmarks.gpu.check_t4_path --cpu     # a dry run of this script on a CPU (tiny model, fp32)

1. the first training batch's loss with the packed-attention kernel in use equals per-example SDPA's
   (the reference path);
2. one QLoRA optimizer step through the real SFTTrainer (medassist.model.training.build_trainer):
   fp16 mixed precision with a grad scaler, LoRA weights in fp32, TRL's loss on Triton (where it
   can compile), the loss finite;
3. the answer-only eval NLL (medassist.model.generation.answer_nll_per_example) finite;
4. batched greedy answers (the eval stage's batches) against one prompt at a time, token for token;
5. the merged export's weights in float16 and float32 (medassist.share.export).

Checks 1-3 and 5 must pass (exit 1 otherwise). Check 4 is reported, not enforced: random weights
give near-uniform logits, where fp16 rounding in a different batch shape can flip a near tie.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

import torch


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cpu", action="store_true", help="dry run on the CPU: the tiny shape, fp32")
    ap.add_argument("--out", default=None, help="write the report here (JSON)")
    ap.add_argument("--prompts", type=int, default=8)
    ap.add_argument("--max-new-tokens", type=int, default=24)
    args = ap.parse_args(argv)
    if not torch.cuda.is_available() and not args.cpu:
        print("check_t4_path: no CUDA GPU (--cpu: a dry run of this script on the CPU)")
        return 1

    from safetensors import safe_open
    from trl.kernels import chunked_logprob

    from benchmarks.common import flashcards, params, take
    from benchmarks.run import SIZES, build_model
    from medassist.core.params import parse_params
    from medassist.model import attention
    from medassist.model.adapter import save_adapter
    from medassist.model.chat import encode_example, encode_prompt
    from medassist.model.generation import answer_nll_per_example, generate
    from medassist.model.loading import load_base, load_tokenizer
    from medassist.model.training import build_trainer, tokenize
    from medassist.share.export import export

    report: dict = {"checks": {}}
    failed: list[str] = []

    def check(name: str, ok: bool, detail: str, enforce: bool = True) -> None:
        status = "ok" if ok else ("FAIL" if enforce else "WARN")
        print(f"{status:4} {name:22} {detail}", flush=True)
        report["checks"][name] = {"ok": ok, "detail": detail}
        if enforce and not ok:
            failed.append(name)

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="t4-path-"))
    size = "tiny" if args.cpu else "tinyllama"
    report["model"] = build_model(SIZES[size], work / "base", "flashcard")
    base_dir = str(work / "base")
    tree = params().to_dict()
    tree["model"]["base"] = base_dir
    tree["train"].update(batch_size=4, grad_accum=1, warmup_steps=0, logging_steps=1)
    prm = parse_params(tree)
    tokenizer = load_tokenizer(base_dir)
    model = load_base(base_dir, prm.model.quantization)
    device = next(model.parameters()).device
    report["device"] = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu (dry run)"
    report["capability"] = list(torch.cuda.get_device_capability(device)) if device.type == "cuda" else None
    report["attention_backend"] = attention.backend(device)
    print(
        f"check_t4_path: {report['device']}, {report['model']['parameters'] / 1e9:.2f}B parameters, "
        f"packed attention: {report['attention_backend']}",
        flush=True,
    )

    rows = flashcards()
    train_ds, _ = tokenize(take(rows, 8), tokenizer, prm.model.max_length)
    trainer = build_trainer(
        prm,
        model,
        tokenizer,
        train_ds,
        train_ds,
        work / "out",
        max_steps=1,
        eval_strategy="no",
        save_strategy="no",
    )

    # 1. the first batch: packed kernel against per-example SDPA
    batch = trainer.data_collator([train_ds[i] for i in range(4)])
    batch = {k: v.to(device) for k, v in batch.items() if isinstance(v, torch.Tensor)}
    losses = {}
    with torch.no_grad(), torch.autocast(device.type, dtype=torch.float16, enabled=device.type == "cuda"):
        for kind in dict.fromkeys([report["attention_backend"], "sdpa"]):
            attention.preferred = kind
            losses[kind] = trainer.model(**batch, use_cache=False).loss.item()
    attention.preferred = "auto"
    gap = abs(losses[report["attention_backend"]] - losses["sdpa"])
    check(
        "first batch: attention",
        gap < 2e-2,
        f"loss {losses} (|diff| {gap:.2e}), {batch['input_ids'].shape[1]} "
        f"tokens in one padding-free row, position_ids: {'position_ids' in batch}",
    )

    # 2. one QLoRA step through the real SFTTrainer
    trainable = {p.dtype for p in trainer.model.parameters() if p.requires_grad}
    triton = chunked_logprob._use_triton(device)
    step_start = time.perf_counter()
    result = trainer.train()
    step_s = time.perf_counter() - step_start
    scaler = getattr(trainer.accelerator, "scaler", None)
    cuda = device.type == "cuda"
    check(
        "QLoRA step",
        math.isfinite(result.training_loss)
        and trainable == {torch.float32}
        and (not cuda or (trainer.args.fp16 and not trainer.args.bf16 and scaler is not None)),
        f"loss {result.training_loss:.4f} in {step_s:.1f}s; fp16 {trainer.args.fp16}, bf16 {trainer.args.bf16}, "
        f"grad scaler {type(scaler).__name__ if scaler is not None else None}, "
        f"LoRA weights {sorted(map(str, trainable))}, "
        f"TRL loss on Triton: {triton}",
    )
    check(
        "TRL loss on Triton",
        triton or not cuda,
        f"{triton} (off: no C compiler/Python headers, or not CUDA)",
        False,
    )
    report["step_s"] = round(step_s, 2)

    # 3. eval NLL on answer tokens
    trainer.model.eval()
    examples = [
        encode_example(tokenizer, r["question"], r["answer"], prm.model.max_length) for r in take(rows, 8)
    ]
    nll = answer_nll_per_example(trainer.model, examples, tokenizer.pad_token_id, 8, progress=False)
    total, count = sum(s for s, _ in nll), sum(n for _, n in nll)
    check(
        "eval NLL",
        math.isfinite(total) and count > 0,
        f"{total / count:.4f} per answer token over {count} tokens",
    )

    # 4. batched greedy against one prompt at a time
    prompts = [encode_prompt(tokenizer, r["question"]) for r in rows[-args.prompts :]]
    together = generate(trainer.model, tokenizer, prompts, args.max_new_tokens, len(prompts), progress=False)
    alone = generate(trainer.model, tokenizer, prompts, args.max_new_tokens, 1, progress=False)
    same = sum(a.text == b.text for a, b in zip(together, alone))
    check(
        "batched = one at a time",
        same == len(prompts),
        f"{same}/{len(prompts)} greedy answers identical "
        f"({args.max_new_tokens} new tokens; random weights: near ties)",
        enforce=False,
    )
    report["greedy_identical"] = [same, len(prompts)]

    # 5. the export's dtype
    save_adapter(work / "adapter", trainer.model, tokenizer, prm)
    del trainer, model
    if cuda:
        torch.cuda.empty_cache()
    dtypes = {}
    for dtype in ("float16", "float32"):
        out = export(work / "adapter", work / f"export-{dtype}", dtype, None)
        found = set()
        for file in out.glob("*.safetensors"):
            with safe_open(file, "pt") as weights:
                found |= {str(weights.get_slice(k).get_dtype()) for k in weights.keys()}
        dtypes[dtype] = sorted(found)
    want = {"float16": ["F16"], "float32": ["F32"]}
    check("export dtype", dtypes == want, f"{dtypes}")

    shutil.rmtree(work, ignore_errors=True)  # ~9 GB for TinyLlama's shape
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["failed"] = failed
    print(
        f"check_t4_path: {'all passed' if not failed else 'FAILED: ' + ', '.join(failed)} ({report['seconds']} s)"
    )
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
