"""Attention for padding-free rows: each example attends only to itself, at the cost of its own length.

A padding-free batch (TRL `padding_free=True`) is one row holding several examples, told apart by
`position_ids` restarting at 0. Plain SDPA attends over the whole row with a block-diagonal mask:
for a batch of N examples of length L that is (N*L)^2 scores instead of N*L^2, almost all of them
masked away (measured on the CPU benchmark: attention was ~15% of a training step, and
padding-free rows were no faster than padding each batch to its longest example).

`sdpa_packed` is SDPA plus one rule: when the input is a single packed row with no KV cache, it
attends each example on its own, with the fastest kernel this machine has for it (`backend()`):

- `flash_attn`: flash-attention's variable-length kernel (`flash_attn_varlen_func`), one call for
  the whole row, where the package is installed and the GPU is Ampere or newer (sm80+);
- `torch_varlen`: PyTorch's own flash-attention varlen kernel (`torch.nn.attention.varlen`,
  PyTorch >= 2.10), on the same GPUs when flash-attn is not installed;
- `sdpa_expanded`: causal SDPA once per example with the key/value heads expanded to the query
  heads first, on CUDA GPUs older than sm80 (a T4: sm75). SDPA with grouped-query heads and no
  mask runs only on its flash kernel (sm80+) or its math kernel, so on a T4 plain `sdpa` gets the
  math kernel; with the heads expanded, the memory-efficient kernel (sm50+, fp16) qualifies.
  Chosen by reasoning: benchmarks/gpu/check_attention.py checks it against `sdpa` on the GPU and
  times both; it has not run on a T4 yet (docs/gpu.md);
- `sdpa`: causal SDPA once per example (transformers' SDPA call: CPUs, and the reference).

Everything else (generation, padded batches, the KV cache) goes to transformers' SDPA unchanged,
with SDPA's masks. Each example's result is what it gets alone (tests/test_attention.py checks
the logits and the gradients, and the varlen calls' arguments).
"""

from __future__ import annotations

import inspect
import os
from functools import cache

import torch
from transformers import AttentionInterface, AttentionMaskInterface
from transformers.integrations.sdpa_attention import sdpa_attention_forward
from transformers.masking_utils import sdpa_mask

NAME = "sdpa_packed"
BACKENDS = ("flash_attn", "torch_varlen", "sdpa_expanded", "sdpa")

# "auto" or one of BACKENDS: MEDASSIST_PACKED_ATTENTION pins one (the benchmark compares them)
preferred: str = os.environ.get("MEDASSIST_PACKED_ATTENTION", "auto")
used: set[str] = set()  # the backends packed rows went to in this process (the benchmark reports it)

_cache: tuple[torch.Tensor | None, list[int] | None] = (None, None)


def example_bounds(position_ids: torch.Tensor) -> list[int]:
    """[0, start of example 2, ..., row length] for a (1, n) row of restarting positions (the same
    rule as transformers' find_packed_sequence_indices: a new example wherever the position does not
    go up by one). Every layer receives the same position_ids tensor, so it is computed (and the
    device synchronised) once per forward pass."""
    global _cache
    if _cache[0] is position_ids:
        return _cache[1]  # type: ignore[return-value]
    row = position_ids[0]
    starts = (torch.diff(row) != 1).nonzero().flatten().add(1).tolist()
    bounds = [0, *starts, row.numel()]
    _cache = (position_ids, bounds)
    return bounds


# -- which kernel ------------------------------------------------------------------------------


@cache
def _flash_attn_varlen():
    try:
        from flash_attn import flash_attn_varlen_func
    except Exception:  # not installed (CUDA-only package), or built for another torch
        return None
    return flash_attn_varlen_func


@cache
def _torch_varlen():
    try:
        from torch.nn.attention.varlen import varlen_attn
    except Exception:  # PyTorch < 2.10
        return None
    return varlen_attn


@cache
def _ampere_or_newer(index: int) -> bool:
    return torch.cuda.get_device_capability(index) >= (8, 0)


def available(device: torch.device) -> list[str]:
    """The packed-row backends this device can run, fastest first."""
    found = []
    if device.type == "cuda":
        if _ampere_or_newer(device.index if device.index is not None else torch.cuda.current_device()):
            if _flash_attn_varlen() is not None:
                found.append("flash_attn")
            if _torch_varlen() is not None:
                found.append("torch_varlen")
        else:
            found.append("sdpa_expanded")
    return [*found, "sdpa"]


def backend(device: torch.device) -> str:
    """`preferred` if this device has it (else an error: a benchmark must not time something else
    than it says), or the fastest available."""
    options = available(device)
    if preferred == "auto":
        return options[0]
    if preferred not in options:
        raise RuntimeError(
            f"packed attention backend {preferred!r} is not available on {device} (available: {options})"
        )
    return preferred


# -- the kernels -------------------------------------------------------------------------------


def _half_dtype(query: torch.Tensor) -> torch.dtype:
    """The flash kernels take fp16/bf16 only: an fp32 query (a norm upcast under autocast) is cast
    to the autocast dtype, else fp16."""
    if query.dtype in (torch.float16, torch.bfloat16):
        return query.dtype
    if torch.is_autocast_enabled(query.device.type):
        return torch.get_autocast_dtype(query.device.type)
    return torch.float16


def _varlen_forward(kind: str, module, query, key, value, bounds: list[int], scaling: float | None):
    """One varlen call for the whole row. query (1, heads, n, d), key/value (1, kv_heads, n, d);
    returns (1, n, heads, d) in the query's dtype."""
    dtype = _half_dtype(query)
    q, k, v = (t[0].transpose(0, 1).to(dtype) for t in (query, key, value))  # (n, heads, d)
    cu = torch.tensor(bounds, dtype=torch.int32, device=query.device)
    longest = max(b - a for a, b in zip(bounds, bounds[1:]))
    scale = scaling if scaling is not None else getattr(module, "scaling", None)
    if kind == "flash_attn":  # GQA natively: key/value may have fewer heads
        out = _flash_attn_varlen()(
            q, k, v, cu, cu, longest, longest, dropout_p=0.0, softmax_scale=scale, causal=True
        )
    else:
        varlen_attn = _torch_varlen()
        params = inspect.signature(varlen_attn).parameters
        kwargs = {}
        if "scale" in params:
            kwargs["scale"] = scale
        elif scale is not None and abs(scale - q.shape[-1] ** -0.5) > 1e-6:
            raise RuntimeError("this torch's varlen_attn takes no scale; the model's is not 1/sqrt(head_dim)")
        if "window_size" in params:  # PyTorch >= 2.12
            kwargs["window_size"] = (-1, 0)
        else:  # PyTorch 2.10-2.11
            kwargs["is_causal"] = True
        if k.shape[1] != q.shape[1]:
            if "enable_gqa" in params:
                kwargs["enable_gqa"] = True
            else:
                groups = q.shape[1] // k.shape[1]
                k, v = k.repeat_interleave(groups, dim=1), v.repeat_interleave(groups, dim=1)
        out = varlen_attn(q, k, v, cu, cu, longest, longest, **kwargs)
    return out.to(query.dtype).unsqueeze(0)


def _expanded_forward(module, query, key, value, bounds: list[int], scaling: float | None, dropout: float):
    """Causal SDPA per example on key/value heads expanded to the query heads (no `enable_gqa`, so
    the memory-efficient kernel qualifies where flash does not). Returns (1, n, heads, d)."""
    groups = query.shape[1] // key.shape[1]
    if groups > 1:
        key, value = key.repeat_interleave(groups, dim=1), value.repeat_interleave(groups, dim=1)
    scale = scaling if scaling is not None else getattr(module, "scaling", None)
    outputs = [
        torch.nn.functional.scaled_dot_product_attention(
            query[:, :, a:b], key[:, :, a:b], value[:, :, a:b], dropout_p=dropout, is_causal=True, scale=scale
        )
        for a, b in zip(bounds, bounds[1:])
    ]
    return torch.cat(outputs, dim=2).transpose(1, 2).contiguous()


def sdpa_packed_attention_forward(module, query, key, value, attention_mask, **kwargs):
    position_ids = kwargs.get("position_ids")
    q_length = query.shape[2]
    packed = (
        query.shape[0] == 1
        and position_ids is not None
        and tuple(position_ids.shape) == (1, q_length)
        and key.shape[2] == q_length  # no cached prefix: training or a fresh forward pass
    )
    if packed:
        bounds = example_bounds(position_ids)
        if len(bounds) > 2:
            kind = backend(query.device)
            dropout = kwargs.get("dropout", 0.0)
            if kind in ("flash_attn", "torch_varlen") and dropout and module.training:
                kind = "sdpa"  # the varlen calls here do not take dropout (Llama's is 0)
            used.add(kind)
            if kind == "sdpa_expanded":
                drop = dropout if module.training else 0.0
                return _expanded_forward(module, query, key, value, bounds, kwargs.get("scaling"), drop), None
            if kind != "sdpa":
                return _varlen_forward(kind, module, query, key, value, bounds, kwargs.get("scaling")), None
            outputs = [
                sdpa_attention_forward(
                    module,
                    query[:, :, a:b],
                    key[:, :, a:b],
                    value[:, :, a:b],
                    None,
                    **{**kwargs, "is_causal": True},
                )[0]
                for a, b in zip(bounds, bounds[1:])
            ]
            return torch.cat(outputs, dim=1), None  # (batch, seq, heads, head_dim), as SDPA returns
    return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)


AttentionInterface.register(NAME, sdpa_packed_attention_forward)
AttentionMaskInterface.register(NAME, sdpa_mask)
