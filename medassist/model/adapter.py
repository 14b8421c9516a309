"""A trained adapter on disk: PEFT's files plus medassist's record of how it was trained.

models/adapter holds adapter_config.json + adapter_model.safetensors (PEFT), the base's tokenizer,
a model card (README.md), medassist.json (base model, quantization, LoRA, train and decoding params)
and generation_config.json (the decoding evaluation used: greedy, the anti-repetition settings).
The train stage saves it in one rename (never half an adapter); eval, the demo, the export and the
remote read it back through here.
"""

from __future__ import annotations

import json
from pathlib import Path

from medassist.core import MedassistError
from medassist.core.io import atomic_dir
from medassist.core.paths import ADAPTER_META
from medassist.model.decoding import Decoding, generation_config
from medassist.model.gguf import hub_id, same_model


def model_card(params) -> str:
    base = params.model.base
    hub_base = hub_id(base)
    header = ["---", "library_name: peft", "pipeline_tag: text-generation", "tags: [lora, qlora, medical]"]
    if hub_base:
        header.append(f"base_model: {hub_base}")
    if not Path(params.data.source).exists():
        header.append(f"datasets: [{params.data.source}]")
    header.append("---")
    trained_on = f"[{hub_base}](https://huggingface.co/{hub_base})" if hub_base else "a local base model"
    return "\n".join(header) + (
        f"\n\n# medassist LoRA adapter\n\nA LoRA adapter (r={params.lora.r}, alpha={params.lora.alpha}, "
        f"targets {', '.join(params.lora.target_modules)}) on {trained_on}, "
        f"{'4-bit NF4 (QLoRA)' if params.model.quantization == 'nf4' else 'unquantized'}, trained by "
        "medassist's `train` stage on medical flashcards. Educational use only: not medical advice.\n\n"
        f"Decoding, as evaluated: greedy, {Decoding.from_mapping(params.to_dict()['decoding']).describe()} "
        "(generation_config.json).\n"
    )


def save_adapter(adapter_dir: Path, model, tokenizer, params) -> None:
    """The trained adapter, its tokenizer, model card and medassist.json, in place in one rename."""
    with atomic_dir(adapter_dir) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        config_path = tmp / "adapter_config.json"
        config = json.loads(config_path.read_text())
        config["base_model_name_or_path"] = params.model.base
        config_path.write_text(json.dumps(config, indent=2))
        (tmp / "README.md").write_text(model_card(params))
        record = {
            "base_model": params.model.base,
            "quantization": params.model.quantization,
            "max_length": params.model.max_length,
            "lora": params.to_dict()["lora"],
            "train": params.to_dict()["train"],
        }
        record["decoding"] = params.to_dict()["decoding"]
        (tmp / ADAPTER_META).write_text(json.dumps(record, indent=2))
        # The decoding the adapter was evaluated with, where transformers looks for it.
        decoding = Decoding.from_mapping(record["decoding"])
        generation_config(tokenizer, 0.0, params.eval.max_new_tokens, decoding).save_pretrained(tmp)


def is_complete(adapter_dir: Path) -> bool:
    return (adapter_dir / "adapter_config.json").is_file() and (adapter_dir / ADAPTER_META).is_file()


def read_adapter_meta(adapter_dir: str | Path) -> dict:
    """What the train stage recorded about an adapter (base model, quantization, params)."""
    adapter_dir = Path(adapter_dir)
    config, meta = adapter_dir / "adapter_config.json", adapter_dir / ADAPTER_META
    if not config.is_file() or not meta.is_file():
        raise MedassistError(
            f"no trained adapter in {adapter_dir} (adapter_config.json / {ADAPTER_META} missing): "
            "train one with `dvc repro` (or `make smoke` offline), or fetch it with `make pull`"
        )
    try:
        return json.loads(meta.read_text())
    except json.JSONDecodeError as exc:
        raise MedassistError(f"{meta} is corrupt ({exc.msg}); re-train or `make pull` again") from None


def read_adapter(adapter_dir: Path) -> dict:
    """medassist.json, checked against adapter_config.json: both must name the same base model."""
    meta = read_adapter_meta(adapter_dir)
    try:
        config = json.loads((adapter_dir / "adapter_config.json").read_text())
    except json.JSONDecodeError as exc:
        raise MedassistError(
            f"{adapter_dir}/adapter_config.json is corrupt ({exc.msg}); re-train or `make pull`"
        ) from None
    named = config.get("base_model_name_or_path")
    if not named or not meta.get("base_model") or not same_model(named, meta["base_model"]):
        raise MedassistError(
            f"mismatched adapter in {adapter_dir}: adapter_config.json names base '{named}' but {ADAPTER_META} "
            f"'{meta.get('base_model')}'; re-train it (dvc repro train) or `make pull` a consistent one"
        )
    return meta
