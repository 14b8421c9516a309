"""`make export`: the fine-tune as one standalone model, for vLLM, TGI, llama.cpp or plain transformers.

    python -m medassist.share.export [--adapter models/adapter] [--out models/export] [--dtype float16]
        [--base-weights trained|full]

Loads the adapter's base as the adapter was trained on it (medassist.model.loading, so a hub id, a
local directory, or whatever else model.base accepts; a QLoRA adapter's 4-bit NF4 base is
dequantized to float32), applies the LoRA adapter, merges it into the base weights
(PEFT merge_and_unload), casts to --dtype (float16 by default, what vLLM/TGI serve on a T4) and
writes the Hugging Face layout: config.json, generation_config.json (the decoding the adapter was
evaluated with), *.safetensors, the base's
tokenizer with its chat template, a model card (README.md) with the eval metrics and the
educational-use notice, and medassist-export.json (what was merged, for provenance).

Everything is written to a temporary directory next to --out and renamed into place at the end,
so an interrupted or failed export never leaves a half-written model. A missing adapter, an
adapter whose two records name different bases, or one that does not fit its base is refused
with a one-line error before any weights are written.

Which base weights: a QLoRA adapter was trained, and evaluated, on the 4-bit NF4 base; its update
learned to correct those weights. Merged into them (dequantized), the export answers as the adapter
did, greedy token for token; merged into the full-precision base (`--base-weights full`, what the
PEFT docs describe) it is another model: on the smoke adapter its answers diverged after 4 tokens on
average and ended on their own 64% of the time instead of 95% (docs/serving.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

from medassist.core import MedassistError, paths
from medassist.core.cli import parser
from medassist.core.io import atomic_dir, file_digest
from medassist.evaluation.summary import scores_table
from medassist.model.adapter import read_adapter
from medassist.model.decoding import Decoding, generation_config
from medassist.model.gguf import hub_id
from medassist.serve.safety import DISCLAIMER
from medassist.serve.settings import DEFAULT_MAX_NEW_TOKENS

MARKER = "medassist-export.json"
DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}


def _inside(a: Path, b: Path) -> bool:
    a, b = a.resolve(), b.resolve()
    return a == b or b in a.parents


def check_paths(adapter_dir: Path, out: Path) -> None:
    """Refuse an --out that would replace the adapter or a directory that is not an export."""
    if _inside(out, adapter_dir) or _inside(adapter_dir, out):
        raise MedassistError(
            f"--out {out} overlaps the adapter directory {adapter_dir}; export somewhere else"
        )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise MedassistError(f"{out} exists and is not a medassist export; remove it or pick another --out")


BASE_WEIGHTS = ("trained", "full")


def merged_model(adapter_dir: Path, meta: dict, dtype: torch.dtype, base_weights: str = "trained"):
    """Base + adapter, merged in float32 and cast to ``dtype`` once, at the end.

    ``base_weights`` "trained" (default): the base as the adapter was trained and evaluated on it. For
    a QLoRA adapter that is the 4-bit NF4 base, dequantized to float32 (transformers' dequantize()):
    the LoRA update learned to work with the NF4 weights, so merged into them the model answers as
    the adapter did (on the smoke adapter, greedy answers identical token for token, where a merge into
    the full-precision base diverged after 4 tokens on average and ended 64% of answers instead of 95%).
    "full": the unquantized base (PEFT's usual advice), better base weights, other answers."""
    from peft import PeftModel

    from medassist.model.loading import load_base, load_finetuned

    nf4 = base_weights == "trained" and meta.get("quantization") == "nf4"
    try:
        if nf4:
            base = load_base(meta["base_model"], "nf4").dequantize().to(torch.float32)
            try:
                model = PeftModel.from_pretrained(base, str(adapter_dir), is_trainable=False)
            except (OSError, ValueError, RuntimeError) as exc:  # the words load_finetuned uses
                raise MedassistError(f"cannot load the adapter in {adapter_dir}: {exc}") from None
        else:
            model, _ = load_finetuned(
                adapter_dir, base=meta["base_model"], quantization="none", dtype=torch.float32
            )
    except (OSError, ValueError, RuntimeError, MedassistError) as exc:
        # PEFT's size-mismatch report spans many lines: keep the error to one
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        raise MedassistError("; ".join(lines)[:400]) from None
    merged = model.merge_and_unload()
    if any("lora_" in name for name, _ in merged.named_modules()):
        raise MedassistError(f"merging the adapter in {adapter_dir} left LoRA layers behind")
    return merged.to(dtype)


def metrics_section(metrics_dir: Path | None) -> list[str]:
    """The eval metrics as a markdown table (the pipeline's metrics/eval_*.json and compare.json)."""
    if metrics_dir is None:
        return [
            f"*Metrics not included: the pipeline's {paths.METRICS}/ describe {paths.ADAPTER}, not this adapter.*"
        ]
    return scores_table(metrics_dir) or [
        f"*No evaluation metrics yet ({metrics_dir}/eval_finetuned.json): run `dvc repro` before exporting.*"
    ]


def merged_into(meta: dict, base_weights: str) -> str:
    if base_weights == "trained" and meta.get("quantization") == "nf4":
        return "the 4-bit NF4 base it was trained and evaluated on, dequantized, so it answers as the adapter did"
    if meta.get("quantization") == "nf4":
        return "the unquantized base (not the 4-bit base it was trained on), so its answers differ from the adapter's"
    return "the unquantized base it was trained on"


def model_card(
    meta: dict, adapter_dir: Path, dtype: str, metrics_dir: Path | None, base_weights: str = "trained"
) -> str:
    base = meta["base_model"]
    decoding = Decoding.from_mapping(meta.get("decoding"))
    hub_base = hub_id(base)
    lora = meta.get("lora") or {}
    header = [
        "---",
        "library_name: transformers",
        "pipeline_tag: text-generation",
        "tags: [medical, lora, merged]",
    ]
    if hub_base:
        header.append(f"base_model: {hub_base}")
    header.append("---")
    body = [
        "# medassist (merged)",
        "",
        f"> **Educational use only.** {DISCLAIMER}",
        "",
        f"medassist's LoRA adapter (`{adapter_dir}`: r={lora.get('r')}, alpha={lora.get('alpha')}, targets "
        f"{', '.join(lora.get('target_modules') or [])}) merged into `{base}` and saved as {dtype} safetensors "
        f"with the base's tokenizer and chat template. Merged into {merged_into(meta, base_weights)}.",
        "",
        "## Evaluation",
        "",
        *metrics_section(metrics_dir),
        "",
        "## Use",
        "",
        "Format prompts with the tokenizer's chat template (no system prompt; the fine-tune never saw one).",
        "",
        f"Decoding, as evaluated: greedy, {decoding.describe()}. `generation_config.json` carries it, so "
        "transformers' `generate()` applies it by default and vLLM reads it as its default sampling "
        "parameters (`repetition_penalty`; vLLM and TGI have no `no_repeat_ngram_size`). Without these "
        "settings a small model decoding greedily can fall into repetition loops.",
        "",
        "```bash",
        "vllm serve <this directory> --dtype float16   # OpenAI-compatible server",
        "```",
        "",
        "## Safety",
        "",
        "This model has no safety layer of its own: it will answer a description of a medical emergency "
        "with generated text. medassist's demo and API put emergency triage in front of it; keep such a layer in "
        "front of any public endpoint (see medassist's docs/serving.md).",
    ]
    return "\n".join(header + [""] + body) + "\n"


def export(
    adapter_dir: Path = paths.ADAPTER,
    out: Path = paths.EXPORT,
    dtype: str = "float16",
    metrics_dir: Path | None = paths.METRICS,
    base_weights: str = "trained",
) -> Path:
    """Merge, save into a temporary sibling of ``out``, check, and rename into place."""
    from medassist.model.loading import load_tokenizer

    if dtype not in DTYPES:
        raise MedassistError(f"--dtype {dtype}: expected one of {', '.join(DTYPES)}")
    if base_weights not in BASE_WEIGHTS:
        raise MedassistError(f"--base-weights {base_weights}: expected one of {', '.join(BASE_WEIGHTS)}")
    adapter_dir, out = Path(adapter_dir), Path(out)
    meta = read_adapter(adapter_dir)
    check_paths(adapter_dir, out)
    print(f"export: merging {adapter_dir} into {meta['base_model']} ({dtype}) ...", file=sys.stderr)
    tokenizer = load_tokenizer(meta["base_model"])
    model = merged_model(adapter_dir, meta, DTYPES[dtype], base_weights)
    decoding = Decoding.from_mapping(meta.get("decoding"))
    with atomic_dir(out) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        # The decoding the adapter was evaluated with, in place of the base's defaults.
        generation_config(tokenizer, 0.0, DEFAULT_MAX_NEW_TOKENS, decoding).save_pretrained(tmp)
        (tmp / "README.md").write_text(model_card(meta, adapter_dir, dtype, metrics_dir, base_weights))
        (tmp / MARKER).write_text(
            json.dumps(
                {
                    "base_model": meta["base_model"],
                    "adapter": str(adapter_dir),
                    "dtype": dtype,
                    "adapter_sha256_12": file_digest(adapter_dir / "adapter_model.safetensors")[:12],
                    "lora": meta.get("lora"),
                    "quantization_trained_on": meta.get("quantization"),
                    "base_weights": base_weights,
                },
                indent=2,
            )
            + "\n"
        )
        saved = sorted(p.name for p in tmp.glob("*.safetensors"))
        if not saved or not (tmp / "config.json").is_file():
            raise MedassistError(f"the export to {out} wrote no safetensors weights; nothing was replaced")
        if load_tokenizer(str(tmp)).chat_template != tokenizer.chat_template:
            raise MedassistError(
                f"the export to {out} lost the tokenizer's chat template; nothing was replaced"
            )
    print(f"export: wrote {out} ({', '.join(saved)}, tokenizer, chat template, README.md)", file=sys.stderr)
    return out


def main(argv=None) -> None:
    ap = parser(__doc__)
    ap.add_argument(
        "--adapter", type=Path, default=paths.ADAPTER, help=f"adapter directory (default {paths.ADAPTER})"
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=paths.EXPORT,
        help=f"export directory (default {paths.EXPORT}), replaced in one step",
    )
    ap.add_argument(
        "--dtype", choices=sorted(DTYPES), default="float16", help="weights dtype (default float16)"
    )
    ap.add_argument(
        "--base-weights",
        choices=BASE_WEIGHTS,
        default="trained",
        help="merge into the base as the adapter was trained on it (default; a QLoRA adapter: the 4-bit "
        "base, dequantized) or into the full-precision base",
    )
    args = ap.parse_args(argv)
    same = args.adapter.resolve() == paths.ADAPTER.resolve()
    # metrics/ describe models/adapter
    export(args.adapter, args.out, args.dtype, paths.METRICS if same else None, args.base_weights)


if __name__ == "__main__":
    from medassist.core.cli import run

    run(main)
