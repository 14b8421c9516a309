"""Loading the tokenizer, the (4-bit) base model and adapters: the one place that does it.

On CUDA: 4-bit NF4 + double quant with fp16 compute (a T4 has no bf16). On a CPU the same 4-bit
path runs in fp32 (bitsandbytes supports it), with a warning that it is slow; the train and eval
stages refuse a large base with no GPU (require_gpu) unless MEDASSIST_ALLOW_CPU=1.

A model name (`model.base`) is a Hugging Face Hub id, a local model directory, or a GGUF file
(medassist.model.gguf turns the last into a local model directory first).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import torch

from medassist.core import MedassistError
from medassist.model.adapter import read_adapter_meta
from medassist.model.chat import end_of_turn
from medassist.model.gguf import local_model, same_model


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


ALLOW_CPU = "MEDASSIST_ALLOW_CPU"  # =1: run a large base on the CPU anyway
CPU_MAX_PARAMS = 300_000_000  # SmolLM2-135M (the offline profile) runs on a CPU; TinyLlama-1.1B does not


def parameter_count(name: str) -> int | None:
    """The parameters of a local model (its safetensors headers or GGUF tensor list: nothing is
    loaded), None for a Hub id or weights this cannot count."""
    from medassist.model.gguf import check_gguf, gguf_path, require_file

    gguf = gguf_path(name)
    if gguf is not None:  # a missing or broken file gets its own one-line error, not "no GPU"
        require_file(gguf, name)
        check_gguf(gguf)
        from gguf import GGUFReader

        return sum(int(t.n_elements) for t in GGUFReader(gguf).tensors)
    files = sorted(Path(name).glob("*.safetensors")) if Path(name).is_dir() else []
    if not files:
        return None
    from safetensors import safe_open

    total = 0
    for file in files:
        with safe_open(file, "pt") as weights:
            for key in weights.keys():
                total += math.prod(weights.get_slice(key).get_shape())
    return total


def require_gpu(name: str, what: str) -> None:
    """With no usable CUDA GPU, stop before anything loads when the base is a Hub id or a local model
    over CPU_MAX_PARAMS (QLoRA on a 1.1B model in fp32 on a CPU takes hours), unless
    MEDASSIST_ALLOW_CPU=1; a small local base (the offline profiles) runs on the CPU with a warning."""
    if torch.cuda.is_available():
        return
    if os.environ.get(ALLOW_CPU) != "1":
        count = parameter_count(name)
        if count is None or count > CPU_MAX_PARAMS:
            size = "a Hugging Face Hub model" if count is None else f"{count / 1e9:.2f}B parameters"
            raise MedassistError(
                f"no usable CUDA GPU: {what} of '{name}' ({size}) would run on the CPU in fp32 for hours; "
                "check the GPU with `make doctor`, or set model.base to a small local model (`make smoke`), "
                f"or set {ALLOW_CPU}=1 to run it on the CPU anyway"
            )
    warn_if_cpu(what)


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
        raise MedassistError(
            f"tokenizer of '{name}': {exc}; medassist needs a template that ends turns with one"
        ) from None
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


def load_base(name: str, quantization: str = "nf4", dtype: torch.dtype | None = None):
    """The base causal LM on this process's device, in eval mode, use_cache on. Attention is SDPA
    that computes a padding-free training row one example at a time (medassist.model.attention).
    ``dtype``: the unquantized weights' dtype (default compute_dtype(): fp16 on CUDA, fp32 on a CPU)."""
    from transformers import AutoModelForCausalLM

    from medassist.model.attention import NAME as ATTENTION

    path = local_model(name)
    try:
        model = AutoModelForCausalLM.from_pretrained(
            path,
            quantization_config=quantization_config(quantization),
            dtype=dtype or compute_dtype(),
            device_map={"": device()},
            attn_implementation=ATTENTION,
        )
    except (OSError, ValueError) as exc:
        raise _unreachable(name, exc) from None
    model.eval()
    return model


def load_finetuned(
    adapter_dir: str | Path,
    base: str | None = None,
    quantization: str | None = None,
    dtype: torch.dtype | None = None,
):
    """Base + adapter. Refuses an adapter trained on another base than ``base`` (when given).
    ``dtype`` as for load_base."""
    from peft import PeftModel

    meta = read_adapter_meta(adapter_dir)
    if base is not None and not same_model(base, meta["base_model"]):
        raise MedassistError(
            f"adapter in {adapter_dir} was trained on '{meta['base_model']}', not on model.base='{base}'; "
            "re-train it (dvc repro train) or set model.base to the adapter's base"
        )
    model = load_base(meta["base_model"], quantization or meta["quantization"], dtype)
    try:
        model = PeftModel.from_pretrained(model, str(adapter_dir), is_trainable=False)
    except (OSError, ValueError, RuntimeError) as exc:
        raise MedassistError(f"cannot load the adapter in {adapter_dir}: {exc}") from None
    if not model.active_adapters or not any(name.endswith("lora_A") for name, _ in model.named_modules()):
        raise MedassistError(
            f"the adapter in {adapter_dir} did not attach to its base {meta['base_model']}; "
            "refusing to use the bare base"
        )
    model.eval()
    return model, meta
