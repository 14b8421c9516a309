"""The demo's two engines side by side: time to first token and tokens/s on the same prompts, one run.

    python -m benchmarks.engines [--adapter models/adapter] [--gguf-dir models/gguf] [--prompts 4]
        [--max-new-tokens 64] [--out FILE]

- transformers: the adapter on its base as the demo serves it (medassist.serve.app.load_model),
  streamed by medassist.model.streaming.stream_generate;
- llama.cpp: the f16 and Q4_K_M files of the adapter's `make gguf` export, streamed by
  medassist.model.llamacpp_stream.stream_llamacpp (the tokenizer the export saved).

Each engine answers the same flashcard questions (benchmarks.common: the last rows of the sample)
greedily with the adapter's decoding, through the function the demo streams with, after one
untimed warm-up answer. Time to first token: from the call to the first text; tokens/s: the tokens
after the first over the time after it. Medians over the prompts, and each engine's ratio to
transformers. OMP_WAIT_POLICY=PASSIVE, as the demo runs (without it torch's and llama.cpp's OpenMP
spin-waits starve each other on a small CPU). A measurement, not a test: nothing is asserted, and
on a shared machine the figures are noisy (run it twice; compare ratios, not seconds).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as the demo sets it (medassist.serve.app)

from benchmarks.common import flashcards, machine  # noqa: E402


def timed(stream, prompt_ids, max_new_tokens: int, **kwargs) -> dict:
    """One streamed answer: time to first text, decode rate after it, tokens."""
    results = []
    start = time.perf_counter()
    first = None
    for _ in stream(prompt_ids, max_new_tokens=max_new_tokens, on_done=results.append, **kwargs):
        first = first or time.perf_counter()
    end = time.perf_counter()
    tokens = results[0].new_tokens
    first = first or end
    return {
        "ttft_s": first - start,
        "tokens": tokens,
        "tokens_per_s": (tokens - 1) / (end - first) if tokens > 1 and end > first else float("nan"),
    }


def measure(name: str, stream, tokenizer, questions: list[str], max_new_tokens: int, decoding) -> dict:
    from medassist.model.chat import encode_prompt

    prompts = [encode_prompt(tokenizer, q) for q in questions]
    kwargs = {"temperature": 0.0, "decoding": decoding}
    timed(stream, prompts[0], 8, **kwargs)  # warm-up: first forward pass, kernel set-up
    runs = [timed(stream, p, max_new_tokens, **kwargs) for p in prompts]
    out = {
        "engine": name,
        "ttft_s": statistics.median(r["ttft_s"] for r in runs),
        "tokens_per_s": statistics.median(r["tokens_per_s"] for r in runs),
        "tokens": sum(r["tokens"] for r in runs),
        "runs": runs,
    }
    print(
        f"  {name}: time to first token {out['ttft_s']:.3f} s, {out['tokens_per_s']:.1f} tokens/s "
        f"({out['tokens']} tokens over {len(runs)} prompts)",
        file=sys.stderr,
    )
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--adapter", type=Path, default=Path("models/adapter"))
    ap.add_argument("--gguf-dir", type=Path, default=Path("models/gguf"), help="the `make gguf` export")
    ap.add_argument("--prompts", type=int, default=4, help="questions to answer (default 4)")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--out", type=Path, default=None, help="also write the results as JSON here")
    args = ap.parse_args(argv)

    from functools import partial

    from medassist.core import MedassistError
    from medassist.core.io import file_digest
    from medassist.serve.app import adapter_decoding, load_model, resolve_adapter
    from medassist.serve.settings import gguf_engine

    try:
        meta = resolve_adapter(args.adapter)
        digest = file_digest(args.adapter / "adapter_model.safetensors")[:12]
        ggufs = {
            kind: gguf_engine(args.gguf_dir / f"medassist-{kind}.gguf", digest).gguf
            for kind in ("f16", "q4_k_m")
        }
    except MedassistError as exc:
        raise SystemExit(f"error: {exc}") from None
    decoding = adapter_decoding(meta)
    questions = [r["question"] for r in flashcards()[-args.prompts :]]
    print(
        f"engines: {len(questions)} prompts, greedy, up to {args.max_new_tokens} new tokens ...",
        file=sys.stderr,
    )

    from medassist.model.streaming import stream_generate

    model, tokenizer = load_model(args.adapter, meta)
    device = str(next(model.parameters()).device)
    results = [
        measure(
            f"transformers ({device}, {meta.get('quantization')})",
            partial(stream_generate, model, tokenizer),
            tokenizer,
            questions,
            args.max_new_tokens,
            decoding,
        )
    ]
    del model
    gc.collect()

    from medassist.model.llamacpp import open_model, threads
    from medassist.model.llamacpp_stream import stream_llamacpp
    from medassist.model.loading import load_tokenizer

    gguf_tokenizer = load_tokenizer(str(args.gguf_dir))
    for kind, path in ggufs.items():
        llm = open_model(path)
        name = f"llama.cpp {kind} ({threads()} threads)"
        results.append(
            measure(
                name,
                partial(stream_llamacpp, llm, gguf_tokenizer),
                gguf_tokenizer,
                questions,
                args.max_new_tokens,
                decoding,
            )
        )
        llm.close()

    info = machine()
    base = results[0]
    print(
        f"engines: {info['cpu']} ({info['cpu_cores']} cores), "
        f"{'GPU ' + str(info['gpu']) if info['cuda'] else 'no GPU'}; medians over {len(questions)} prompts"
    )
    print(f"  {'engine':<40} {'TTFT s':>8} {'tokens/s':>9} {'TTFT vs tf':>11} {'tokens/s vs tf':>15}")
    for r in results:
        r["ttft_ratio"] = r["ttft_s"] / base["ttft_s"]
        r["speed_ratio"] = r["tokens_per_s"] / base["tokens_per_s"]
        print(
            f"  {r['engine']:<40} {r['ttft_s']:>8.3f} {r['tokens_per_s']:>9.1f} "
            f"{r['ttft_ratio']:>10.2f}x {r['speed_ratio']:>14.2f}x"
        )
    print("  (tf = transformers; on a shared machine the timings are noisy: compare the ratios)")
    if args.out:
        args.out.write_text(
            json.dumps({"results": results, "max_new_tokens": args.max_new_tokens, "machine": info}, indent=2)
            + "\n"
        )


if __name__ == "__main__":
    main()
