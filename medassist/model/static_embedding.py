"""A static word-vector table distilled from all-MiniLM-L6-v2: sentence vectors in microseconds.

The full encoder (medassist.model.embedding) takes 15-60 ms a message on a shared 2-core CPU, too
slow for a check that runs before every chat message. Model2Vec's recipe makes it fast: run the
encoder once on every token of its vocabulary alone ([CLS] token [SEP], mean-pooled), keep those
vectors, and embed a text as the mean of its tokens' vectors (then unit length). Word order and
context are lost; topic and register stay, which is what the triage layer needs from it (framing
such as negation is handled by rules before it).

The table (30,522 x 384, float16, 22 MiB) is made on first use (about 10-30 s) and cached next to the
unzipped encoder; it then loads once per process in milliseconds.

    table = get_static()                 # loads (or distills) once per process
    vectors = table.encode(texts)        # float32 (n, 384), unit length
"""

from __future__ import annotations

import functools

import numpy as np

from medassist.core.io import atomic_path
from medassist.model.embedding import MAX_TOKENS, get_encoder, model_dir

FILE = "static-vectors-v1.npy"
BATCH = 512


def distill() -> np.ndarray:
    """Every vocabulary token's vector from the full encoder, alone in its sentence (float16)."""
    import torch

    encoder = get_encoder()
    tokenizer = encoder.tokenizer
    size = len(tokenizer)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    table = np.zeros((size, encoder.dim), dtype=np.float16)
    with torch.inference_mode():
        for start in range(0, size, BATCH):
            ids = torch.arange(start, min(start + BATCH, size))
            batch = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], dim=1)
            hidden = encoder.model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            table[start : start + len(ids)] = hidden.mean(1).numpy().astype(np.float16)
    return table


class StaticEncoder:
    """Mean of the distilled token vectors, unit length; the full encoder's tokenizer."""

    def __init__(self, table: np.ndarray, tokenizer):
        self.table, self.tokenizer = table, tokenizer
        self.dim = table.shape[1]
        special = {tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id}
        self.special = np.array(sorted(special))

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.tokenizer(text, add_special_tokens=False, truncation=True, max_length=MAX_TOKENS)[
                "input_ids"
            ]
            if ids:
                vector = self.table[ids].astype(np.float32).mean(0)
                out[row] = vector / max(float(np.linalg.norm(vector)), 1e-9)
        return out


@functools.cache
def get_static() -> StaticEncoder:
    """The process's one static encoder (the table distilled on first use, then read from the cache)."""
    path = model_dir() / FILE
    if not path.is_file():
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            np.save(fh, distill())
    from transformers import AutoTokenizer

    return StaticEncoder(np.load(path), AutoTokenizer.from_pretrained(str(model_dir())))
