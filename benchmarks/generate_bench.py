"""Answers to the same prompts by one recipe, timed in a fresh process. Run by benchmarks/run.py:

    python -m benchmarks.generate_bench --recipe notebook|ours --model DIR --n 32 --max-new-tokens 128 --result out.json

- notebook: one prompt at a time, sampled (do_sample=True, temperature 0.7), as the replaced
  notebooks evaluated.
- ours: medassist.model.generation.generate, the eval stage's path: prompts sorted by length, batches
  of eval.batch_size left-padded, greedy.

Both use the same 4-bit base, the same prompts (medassist.model.chat.encode_prompt) and produce exactly
the same number of tokens: a random-init model almost never emits EOS, but to leave nothing to
chance min_new_tokens = max_new_tokens is set on the model's generation config (which fills the
fields neither recipe sets), so every answer is max_new_tokens long on both sides.
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

from benchmarks.common import PeakMemory, flashcards, params, write_result
from medassist.model.chat import encode_prompt
from medassist.model.generation import generate
from medassist.model.loading import load_base, load_tokenizer


@torch.inference_mode()
def notebook_generate(model, tokenizer, prompts, max_new_tokens, batch_size) -> int:
    device = next(model.parameters()).device
    torch.manual_seed(0)
    tokens = 0
    for prompt in prompts:
        ids = torch.tensor([prompt], device=device)
        out = model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            do_sample=True,
            temperature=0.7,
            max_new_tokens=max_new_tokens,
            pad_token_id=tokenizer.pad_token_id,
        )
        answer = out[0, ids.shape[1] :].tolist()
        if tokenizer.eos_token_id in answer:
            answer = answer[: answer.index(tokenizer.eos_token_id)]
        tokenizer.decode(answer, skip_special_tokens=True)
        tokens += len(answer)
    return tokens


def ours_generate(model, tokenizer, prompts, max_new_tokens, batch_size) -> int:
    answers = generate(
        model, tokenizer, prompts, max_new_tokens=max_new_tokens, batch_size=batch_size, progress=False
    )
    return sum(a.tokens for a in answers)


RECIPES = {"notebook": notebook_generate, "ours": ours_generate}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--recipe", choices=sorted(RECIPES), required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument(
        "--quantization",
        choices=["nf4", "none"],
        default=None,
        help="default: params.yaml model.quantization",
    )
    ap.add_argument("--n", type=int, required=True, help="prompts")
    ap.add_argument("--max-new-tokens", type=int, required=True)
    ap.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="ours: prompts per generate() call (default: eval.batch_size)",
    )
    ap.add_argument("--result", required=True)
    args = ap.parse_args(argv)

    prm = params()
    quantization = args.quantization or prm.model.quantization
    batch_size = args.batch_size or prm.eval.batch_size
    tokenizer = load_tokenizer(args.model)
    rows = flashcards()
    questions = [
        rows[-1 - (i % len(rows))]["question"] for i in range(args.n)
    ]  # the end of the shuffled sample
    prompts = [encode_prompt(tokenizer, q) for q in questions]
    model = load_base(args.model, quantization)
    model.generation_config.min_new_tokens = args.max_new_tokens  # same token count on both sides

    with PeakMemory() as memory:
        start, cpu_start = time.perf_counter(), time.process_time()
        tokens = RECIPES[args.recipe](model, tokenizer, prompts, args.max_new_tokens, batch_size)
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start

    write_result(
        args.result,
        {
            "recipe": args.recipe,
            "quantization": quantization,
            "prompts": len(prompts),
            "batch_size": 1 if args.recipe == "notebook" else min(batch_size, len(prompts)),
            "decoding": "sampled, temperature 0.7" if args.recipe == "notebook" else "greedy",
            "time_s": round(seconds, 3),
            "cpu_s": round(cpu_seconds, 3),
            "new_tokens": tokens,
            "tokens_per_s": round(tokens / seconds, 1),
            **memory.record(),
            "memory_scope": memory.scope,
        },
    )
    print(f"generate_bench {args.recipe}: {seconds:.1f}s, {tokens} tokens", file=sys.stderr)


if __name__ == "__main__":
    main()
