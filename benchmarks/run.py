"""`make bench`: the notebook recipe against ours, side by side, on this machine, in one run.

    python -m benchmarks.run [--size tiny|default] [--reps N] [--out metrics/bench.json]

Builds one random-init Llama (SIZES) with a flashcard tokenizer (TinyLlama's chat format) in a
temporary directory, so both recipes load the same weights the same way (medassist.modeling.load_base,
params.yaml model.quantization: 4-bit NF4), then alternates the recipes, each measurement in a
fresh subprocess:

- training (benchmarks/train_bench.py): one epoch over the same flashcard examples;
- evaluation (benchmarks/generate_bench.py): answers to the same prompts, same token count;
  also on the unquantized base when the base is 4-bit (see README: on a CPU, bitsandbytes
  answers one prompt at a time with a fused 4-bit kernel, which flatters the notebook recipe).

Reports the medians of the repetitions as a table and in --out, with
train_speedup = notebook epoch time / ours and generate_speedup = notebook time / ours.
On a CUDA machine it also times one epoch of the real TinyLlama on the train stage's path when
its weights are available (--tinyllama: a local path, or a hub id already in the local cache).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from benchmarks.common import ROOT, TINY_TOKENIZER, flashcards, machine, params
from medassist.io import write_json

# A random-init Llama per size. `default` (~30M parameters) is compute-bound on a CPU and fits
# three repetitions in ~12 minutes on 2 idle cores; `tiny` only checks that everything runs.
# 64 examples / prompts: enough that one-time costs (the first step's kernel set-up, bitsandbytes
# repacking its 4-bit weights for the CPU at the first inference call) weigh in a 64-example
# measurement about as little as they do in a real epoch or eval split.
SIZES = {
    "tiny": dict(
        model=dict(hidden_size=64, num_hidden_layers=2, intermediate_size=192, num_attention_heads=4,
                   num_key_value_heads=2),
        vocab_size=6000, train_examples=8, prompts=4, max_new_tokens=8, reps=1,
    ),
    "default": dict(
        model=dict(hidden_size=512, num_hidden_layers=8, intermediate_size=1408, num_attention_heads=8,
                   num_key_value_heads=4),
        vocab_size=6000, train_examples=64, prompts=64, max_new_tokens=64, reps=3,
    ),
}
TARGETS = {"train_speedup": 6.0, "generate_speedup": 10.0}
TINYLLAMA_EPOCH = 2700  # examples per epoch in the reference setup (DESIGN.md §1)


def build_tokenizer(vocab_size: int):
    """A byte-level BPE trained on the sample (as tests/fixtures/make_tiny_llama.py builds the
    fixture's), with the fixture's special tokens and TinyLlama's chat template, but a vocabulary
    big enough to split these texts about as finely as TinyLlama's 32k vocabulary does (~100
    tokens per flashcard). The fixture's own 1,536 tokens make every example ~1.5x longer, and
    so shrink the padding the notebook recipe wastes (see --tokenizer fixture)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    from benchmarks.common import flashcards
    from medassist.modeling import load_tokenizer

    fixture = load_tokenizer(str(TINY_TOKENIZER))
    specials = [fixture.unk_token, fixture.bos_token, fixture.eos_token]
    bpe = Tokenizer(models.BPE(unk_token=fixture.unk_token))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    corpus = [f"{r['question']} {r['answer']}" for r in flashcards()] + ["<|system|>\n<|user|>\n<|assistant|>\n"]
    bpe.train_from_iterator(corpus, trainer=trainer)
    bpe.post_processor = processors.TemplateProcessing(
        single=f"{fixture.bos_token} $A", special_tokens=[(fixture.bos_token, bpe.token_to_id(fixture.bos_token))])
    return PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token=fixture.bos_token, eos_token=fixture.eos_token,
                                   unk_token=fixture.unk_token, pad_token=fixture.eos_token,
                                   chat_template=fixture.chat_template, model_max_length=2048, padding_side="right")


def build_model(size: dict, dest: Path, tokenizer_kind: str = "flashcard") -> tuple[int, int]:
    """Save a random-init Llama and its tokenizer to dest; return its parameter count and vocabulary."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from medassist.modeling import load_tokenizer

    if tokenizer_kind == "fixture":
        tokenizer = load_tokenizer(str(TINY_TOKENIZER))
    else:
        tokenizer = build_tokenizer(size["vocab_size"])
    config = LlamaConfig(vocab_size=len(tokenizer), max_position_embeddings=2048, rms_norm_eps=1e-5,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         tie_word_embeddings=False, **size["model"])
    torch.manual_seed(0)
    model = LlamaForCausalLM(config).float()
    model.save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    return sum(p.numel() for p in model.parameters()), len(tokenizer)


def worker(module: str, args: list[str], threads: int, timeout: float) -> dict:
    """Run one measurement in a fresh Python process; return the JSON it wrote."""
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        result = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", module, *args, "--result", str(result)]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not result.exists():
            raise SystemExit(f"benchmark worker failed ({proc.returncode}): {' '.join(cmd)}\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return json.loads(result.read_text())


def median_of(runs: list[dict]) -> dict:
    """Median of every numeric field over the repetitions (other fields from the first run)."""
    out = {}
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in runs)
        else:
            out[key] = value
    return out


def side_by_side(comparisons: dict[str, tuple[str, dict[str, list[str]]]], reps: int, threads: int,
                 timeout: float) -> dict:
    """comparisons: name -> (worker module, {recipe label: worker args}). Every recipe of every
    comparison runs once per repetition, one after the other, so a drifting machine load hits
    all of them alike. Returns name -> label -> {median, runs}."""
    runs = {name: {label: [] for label in recipes} for name, (_, recipes) in comparisons.items()}
    for rep in range(reps):
        for name, (module, recipes) in comparisons.items():
            for label, args in recipes.items():
                start = time.perf_counter()
                runs[name][label].append(worker(module, args, threads, timeout))
                print(f"  {name} {label} {rep + 1}/{reps}: {time.perf_counter() - start:.0f}s in its process",
                      file=sys.stderr, flush=True)
    return {name: {label: {"median": median_of(r), "runs": r} for label, r in by_label.items()}
            for name, by_label in runs.items()}


def tinyllama_available(name: str) -> str | None:
    """A local directory, or the local snapshot of a hub id (never downloads)."""
    if Path(name).is_dir():
        return name if (Path(name) / "config.json").exists() else None
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(name, local_files_only=True)
    except Exception:
        return None


def tinyllama_epoch(name: str, quantization: str, timeout: float) -> dict:
    """One epoch of the real TinyLlama on the train stage's path (CUDA only), over the bundled
    sample, and the projection to the reference 2,700-example epoch."""
    if not torch.cuda.is_available():
        return {"status": "skipped: needs a CUDA GPU"}
    path = tinyllama_available(name)
    if path is None:
        return {"status": f"skipped: weights of '{name}' not found locally (pass --tinyllama PATH)"}
    n = len(flashcards())
    args = ["--recipe", "ours", "--model", path, "--quantization", quantization, "--n", str(n)]
    result = worker("benchmarks.train_bench", args, 0, timeout)
    result.update(model=name, status="measured",
                  projected_epoch_2700_s=round(result["epoch_s"] * TINYLLAMA_EPOCH / n, 1))
    return result


def ratio(results: dict, key: str, slow: str = "notebook", fast: str = "ours") -> float:
    return round(results[slow]["median"][key] / results[fast]["median"][key], 2)


def contributions(chain: list[tuple[str, str]], results: dict, key: str) -> dict:
    """Speedup of each step of `chain` ([(label, what changes on the way to it)], starting at the
    notebook recipe and ending at ours) over the step before it."""
    out = {}
    for (before, _), (after, change) in zip(chain, chain[1:]):
        out[change] = ratio(results, key, before, after)
    return out


TRAIN_CHAIN = [("notebook", ""), ("notebook-no-checkpointing", "no gradient checkpointing"),
               ("notebook-dynamic-padding", "pad each batch to its longest example, not to 512"),
               ("ours", "padding-free batches attended per example (and answer-only loss, TRL SFTTrainer)")]
GENERATE_CHAIN = [("notebook", ""), ("greedy-one-at-a-time", "greedy instead of sampling"),
                  ("ours", "batches of eval.batch_size, sorted by length")]


def table(report: dict) -> str:
    t = report["train"]
    tn, to = t["notebook"]["median"], t["ours"]["median"]
    rows = [
        ("train: epoch time (s)", f"{tn['epoch_s']:.1f}", f"{to['epoch_s']:.1f}", f"{report['train_speedup']:.1f}x faster"),
        ("train: real tokens/s", f"{tn['real_tokens_per_s']:.0f}", f"{to['real_tokens_per_s']:.0f}",
         f"{to['real_tokens_per_s'] / tn['real_tokens_per_s']:.1f}x"),
        ("train: padding share", f"{tn['padding_share']:.0%}", f"{to['padding_share']:.0%}", ""),
        ("train: peak memory (MB)", f"{tn['peak_mem_mb']:.0f}", f"{to['peak_mem_mb']:.0f}",
         f"{to['peak_mem_mb'] / tn['peak_mem_mb']:.2f}x"),
        ("train: memory growth (MB)", f"{tn['mem_delta_mb']:.0f}", f"{to['mem_delta_mb']:.0f}", ""),
    ]
    for key, label in (("generate", "generate"), ("generate_unquantized", "generate, unquantized base")):
        if key not in report:
            continue
        gn, go = report[key]["notebook"]["median"], report[key]["ours"]["median"]
        speedup = report[f"{key}_speedup"]
        rows += [
            (f"{label}: time (s)", f"{gn['time_s']:.1f}", f"{go['time_s']:.1f}", f"{speedup:.1f}x faster"),
            (f"{label}: tokens/s", f"{gn['tokens_per_s']:.0f}", f"{go['tokens_per_s']:.0f}",
             f"{go['tokens_per_s'] / gn['tokens_per_s']:.1f}x"),
        ]
    head = ("", "notebook", "ours", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = lambda r: "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) + " |"
    sep = "|" + "|".join(("-" * (w + 1) + ":") if i else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(head), sep, *map(line, rows)])


def main(argv=None) -> None:
    prm = params()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=sorted(SIZES), default="default")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per recipe (default: 3; tiny: 1)")
    ap.add_argument("--out", default="metrics/bench.json")
    ap.add_argument("--quantization", choices=["nf4", "none"], default=prm.model.quantization,
                    help="base weights of both recipes (default: params.yaml model.quantization)")
    ap.add_argument("--no-unquantized", dest="unquantized", action="store_false",
                    help="skip the generation comparison on the unquantized base")
    ap.add_argument("--ablations", action="store_true",
                    help="also time the notebook recipe with one fix at a time, to attribute the speedup")
    ap.add_argument("--tokenizer", choices=["flashcard", "fixture"], default="flashcard",
                    help="flashcard: BPE sized for TinyLlama-like lengths (~100 tokens per example); "
                         "fixture: the tiny fixture's 1,536-token vocabulary (~160 tokens per example)")
    ap.add_argument("--threads", type=int, default=0,
                    help="CPU threads per measurement (default 0 = torch's default, all cores, as a user "
                         "runs; 1 keeps the ratios stable when other processes share the cores)")
    ap.add_argument("--tinyllama", default=os.environ.get("MEDASSIST_BENCH_TINYLLAMA", prm.model.base),
                    help="CUDA only: TinyLlama weights (local path or cached hub id) for a real epoch")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per measurement process")
    args = ap.parse_args(argv)
    size = SIZES[args.size]
    reps = args.reps or size["reps"]
    if reps < 1:
        ap.error("--reps must be >= 1")
    threads = args.threads

    started = time.time()
    info = machine()
    info["threads_per_measurement"] = threads or torch.get_num_threads()
    info["load_avg_start"] = [round(x, 2) for x in os.getloadavg()]
    if not info["cuda"] and info["load_avg_start"][0] > 0.5 * (info["cpu_cores"] or 1):
        print(f"bench: warning: load average {info['load_avg_start'][0]} on {info['cpu_cores']} cores; other "
              "processes will stretch the timings (--threads 1 keeps the ratios steadier)", file=sys.stderr)
    where = f"{info['gpu']} (CUDA)" if info["cuda"] else f"{info['cpu']}, {info['cpu_cores']} cores, no GPU"
    print(f"bench: size={args.size}, reps={reps}, {args.quantization} base, {info['threads_per_measurement']} "
          f"thread(s) per measurement, on {where}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="bench-model-") as model_dir:
        n_params, vocab = build_model(size, Path(model_dir), args.tokenizer)
        print(f"bench: random-init Llama, {n_params / 1e6:.1f}M parameters", file=sys.stderr)
        base = ["--model", model_dir, "--quantization", args.quantization]
        train_args = [*base, "--n", str(size["train_examples"])]
        prompts = ["--n", str(size["prompts"]), "--max-new-tokens", str(size["max_new_tokens"])]
        both = lambda args: {recipe: ["--recipe", recipe, *args] for recipe in ("notebook", "ours")}
        comparisons = {
            "train": ("benchmarks.train_bench", both(train_args)),
            "generate": ("benchmarks.generate_bench", both([*base, *prompts])),
        }
        if args.unquantized and args.quantization != "none":
            comparisons["generate_unquantized"] = (
                "benchmarks.generate_bench", both(["--model", model_dir, "--quantization", "none", *prompts]))
        if args.ablations:
            comparisons["train_ablations"] = ("benchmarks.train_bench", {
                label: ["--recipe", label, *train_args] for label, _ in TRAIN_CHAIN[1:-1]})
            comparisons["generate_ablations"] = ("benchmarks.generate_bench", {
                "greedy-one-at-a-time": ["--recipe", "ours", "--batch-size", "1", *base, *prompts]})
        results = side_by_side(comparisons, reps, threads, args.timeout)

    info["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    examples = results["train"]["ours"]["median"]
    report = {
        "train_speedup": ratio(results["train"], "epoch_s"),
        "generate_speedup": ratio(results["generate"], "time_s"),
        "targets": TARGETS,
        "size": args.size,
        "reps": reps,
        "machine": info,
        "model": {"parameters": n_params, "quantization": args.quantization, "tokenizer": args.tokenizer,
                  "vocab_size": vocab, **size["model"]},
        "setup": {
            "train_examples": size["train_examples"],
            "mean_tokens_per_example": round(examples["real_tokens"] / examples["examples"], 1),
            "batch_size": prm.train.batch_size, "grad_accum": prm.train.grad_accum,
            "notebook_pad_to": prm.model.max_length,
            "prompts": size["prompts"], "max_new_tokens": size["max_new_tokens"],
            "ours_eval_batch_size": prm.eval.batch_size,
            "data": "data/sample/flashcards.jsonl, cleaned (stages.clean), chat format (medassist.chat)",
        },
        **{name: results[name] for name in ("train", "generate", "generate_unquantized") if name in results},
    }
    if "generate_unquantized" in results:
        report["generate_unquantized_speedup"] = ratio(results["generate_unquantized"], "time_s")
    # On a CPU the process's CPU time is the time a dedicated core would take (one thread per
    # measurement): a check on the wall-clock ratios when other processes share the cores.
    if not info["cuda"]:
        report["cpu_time_speedups"] = {
            "train": ratio(results["train"], "epoch_cpu_s"),
            **{name: ratio(results[name], "cpu_s") for name in ("generate", "generate_unquantized") if name in results},
        }
    if args.ablations:
        train_all = {**results.pop("train_ablations"), **results["train"]}
        generate_all = {**results.pop("generate_ablations"), **results["generate"]}
        report["ablations"] = {
            "train": {label: train_all[label] for label, _ in TRAIN_CHAIN[1:-1]},
            "generate": {label: generate_all[label] for label, _ in GENERATE_CHAIN[1:-1]},
            "train_contributions": contributions(TRAIN_CHAIN, train_all, "epoch_s"),
            "generate_contributions": contributions(GENERATE_CHAIN, generate_all, "time_s"),
        }
    report["targets_met"] = {k: report[k] >= v for k, v in TARGETS.items()}
    report["targets_met"]["peak_memory_not_above_notebook"] = (
        results["train"]["ours"]["median"]["peak_mem_mb"] <= results["train"]["notebook"]["median"]["peak_mem_mb"])
    if info["cuda"]:
        report["tinyllama"] = tinyllama_epoch(args.tinyllama, args.quantization, args.timeout)
    report["wall_s"] = round(time.time() - started, 1)
    write_json(args.out, report)

    print(table(report))
    extra = (f", on the unquantized base {report['generate_unquantized_speedup']}x"
             if "generate_unquantized_speedup" in report else "")
    print(f"\ntrain_speedup {report['train_speedup']}x (target >= {TARGETS['train_speedup']:g}), "
          f"generate_speedup {report['generate_speedup']}x (target >= {TARGETS['generate_speedup']:g}){extra}; "
          f"medians of {reps}; {n_params / 1e6:.0f}M-parameter Llama, {args.quantization} base; {where}; "
          f"written to {args.out}")
    if "cpu_time_speedups" in report:
        print("by CPU time (what a dedicated core would take): "
              + ", ".join(f"{k} {v}x" for k, v in report["cpu_time_speedups"].items()))
    if "ablations" in report:
        for what in ("train", "generate"):
            steps = ", ".join(f"{change}: {x:.2f}x" for change, x in report["ablations"][f"{what}_contributions"].items())
            print(f"{what} speedup by step: {steps}")
    if info["cuda"] and report["tinyllama"].get("status") == "measured":
        tl = report["tinyllama"]
        print(f"TinyLlama epoch (ours) on {info['gpu']}: {tl['epoch_s']:.1f}s for {tl['examples']} examples "
              f"-> {tl['projected_epoch_2700_s']:.0f}s per 2,700-example epoch")


if __name__ == "__main__":
    main()
