"""The offline sentence-embedding model: found, checked, and giving real sentence vectors."""

import numpy as np
import pytest

from medassist.core import MedassistError
from medassist.model import embedding


def test_encoder_gives_unit_vectors_that_rank_paraphrases_first():
    vectors = embedding.get_encoder().encode(
        [
            "What are the symptoms of a heart attack?",
            "How do I know if someone is having a heart attack?",
            "What is the capital of France?",
        ]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > 0.6 > 0.2 > sims[0, 2]


def test_weights_are_the_upstream_file():
    from medassist.core.io import file_digest

    assert file_digest(embedding.model_dir() / "model.safetensors") == embedding.WEIGHTS_SHA256


def test_tampered_weights_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDASSIST_CACHE", str(tmp_path))
    embedding.model_dir.cache_clear()
    try:
        path = embedding.model_dir()  # unzipped fresh into tmp_path
        with (path / "model.safetensors").open("r+b") as fh:
            fh.seek(1000)
            fh.write(b"\x00\x01\x02")
        embedding.model_dir.cache_clear()
        with pytest.raises(MedassistError, match="not the upstream"):
            embedding.model_dir()
    finally:
        embedding.model_dir.cache_clear()


def test_missing_package_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(embedding, "PACKAGE", "no_such_package_here")
    with pytest.raises(MedassistError, match="make setup"):
        embedding.archive_path()
