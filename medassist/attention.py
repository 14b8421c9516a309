"""SDPA attention that computes a padding-free row one example at a time.

A padding-free batch (TRL `padding_free=True`) is one row holding several examples, told apart by
`position_ids` restarting at 0. With flash-attention's variable-length kernel each example attends
only to itself at the cost of its own length. A T4 has no flash-attention 2 and a CPU has no such
kernel, so plain SDPA attends over the whole row with a block-diagonal mask: for a batch of N
examples of length L that is (N*L)^2 scores instead of N*L^2, almost all of them masked away
(measured on the CPU benchmark: attention was ~15% of a training step, and padding-free rows were
no faster than padding each batch to its longest example).

`sdpa_packed` is SDPA plus one rule: when the input is a single packed row with no KV cache, it
splits the row at the example boundaries and runs causal SDPA on each example. Everything else
(generation, padded batches, the KV cache) goes to transformers' SDPA unchanged, with SDPA's masks.
Each example's result is exactly what it gets alone (tests/test_train.py checks the logits).
"""

from __future__ import annotations

import torch
from transformers import AttentionInterface, AttentionMaskInterface
from transformers.integrations.sdpa_attention import sdpa_attention_forward
from transformers.masking_utils import sdpa_mask

NAME = "sdpa_packed"

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
            outputs = [
                sdpa_attention_forward(module, query[:, :, a:b], key[:, :, a:b], value[:, :, a:b], None,
                                       **{**kwargs, "is_causal": True})[0]
                for a, b in zip(bounds, bounds[1:])
            ]
            return torch.cat(outputs, dim=1), None  # (batch, seq, heads, head_dim), as SDPA returns
    return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)


AttentionInterface.register(NAME, sdpa_packed_attention_forward)
AttentionMaskInterface.register(NAME, sdpa_mask)
