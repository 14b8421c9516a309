"""How a model decodes its answers: one place, used wherever a model speaks.

Greedy at temperature 0 (as evaluated); above 0 (the demo's slider, the API), nucleus sampling
from the top 95% of the mass. The anti-repetition settings (`Decoding`: params.yaml's `decoding`
group, recorded in the adapter's medassist.json and generation_config.json) apply to evaluation of
both models, the demo, the API, and the export's generation_config.json. No torch import here:
the demo's panel, the remote and the export's card read these settings without loading a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

TOP_P = 0.95


@dataclass(frozen=True)
class Decoding:
    """Anti-repetition settings, with transformers' meaning (1.0 / 0 = off).

    repetition_penalty: logits of every token already in the context (prompt and answer so far)
        are divided by it (multiplied when negative): CTRL's penalty, as transformers, vLLM and
        TGI implement it.
    no_repeat_ngram_size: no n-gram of this size may occur twice in the context (transformers only;
        vLLM, TGI and llama.cpp have no such setting).
    """

    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0

    @classmethod
    def from_mapping(cls, values: Mapping | None) -> Decoding:
        """From params.decoding's dict or an adapter's record (missing keys: off)."""
        values = values or {}
        return cls(
            repetition_penalty=float(values.get("repetition_penalty", 1.0)),
            no_repeat_ngram_size=int(values.get("no_repeat_ngram_size", 0)),
        )

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        parts = []
        if self.repetition_penalty != 1.0:
            parts.append(f"repetition_penalty {self.repetition_penalty:g}")
        if self.no_repeat_ngram_size:
            parts.append(f"no_repeat_ngram_size {self.no_repeat_ngram_size}")
        return ", ".join(parts) or "no repetition penalty"


PLAIN = Decoding()  # no anti-repetition setting: plain greedy (or sampled) decoding


def generation_config(tokenizer, temperature: float, max_new_tokens: int, decoding: Decoding = PLAIN):
    """Greedy at temperature 0 (as evaluated); above 0, nucleus sampling from the top 95% of the mass;
    with the anti-repetition settings of ``decoding``."""
    from transformers import GenerationConfig

    sampling = temperature > 0
    return GenerationConfig(
        do_sample=sampling,
        temperature=temperature if sampling else None,
        top_p=TOP_P if sampling else None,
        top_k=None,
        repetition_penalty=decoding.repetition_penalty if decoding.repetition_penalty != 1.0 else None,
        no_repeat_ngram_size=decoding.no_repeat_ngram_size or None,
        max_new_tokens=max_new_tokens,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
    )
