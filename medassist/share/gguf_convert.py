"""Run llama.cpp's convert_hf_to_gguf.py (as installed by medassist.share.gguf_tools) on a model directory.

    python -m medassist.share.gguf_convert MODEL_DIR --outfile F.gguf --outtype f16 [--medassist-pre NAME]

The converter's own command line, in a process of its own, with one addition: llama.cpp names a
BPE tokenizer's pre-tokenizer by hashing how it splits a test string, and refuses a tokenizer whose
hash it does not know ("BPE pre-tokenizer was not recognized"). Two tokenizers medassist meets are
such: a base that came in as a GGUF file (transformers rebuilds its tokenizer from the GGUF, so the
hash is not the original's; the base file's own `tokenizer.ggml.pre` is passed as --medassist-pre)
and the tiny test model's byte-level BPE (GPT-2's pre-tokenizer, llama.cpp's "gpt-2"). Only when the converter
does not recognise the hash is that name used; every other step is the converter's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from medassist.share.gguf_tools import converter_dir, require

GPT2_BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "use_regex": True}


def known_pre(model_dir: Path) -> str | None:
    """'gpt-2' for a tokenizer.json whose whole pre-tokenizer is GPT-2's byte-level split."""
    path = model_dir / "tokenizer.json"
    if not path.is_file():
        return None
    pre = json.loads(path.read_text()).get("pre_tokenizer") or {}
    return "gpt-2" if all(pre.get(k) == v for k, v in GPT2_BYTE_LEVEL.items()) else None


def main() -> None:
    require()
    args = sys.argv[1:]
    fallback = None
    if "--medassist-pre" in args:
        i = args.index("--medassist-pre")
        fallback = args[i + 1]
        del args[i : i + 2]
    model_dir = Path(next(a for a in args if not a.startswith("-") and Path(a).is_dir()))
    fallback = fallback or known_pre(model_dir)

    sys.path.insert(0, str(converter_dir()))
    import convert_hf_to_gguf  # noqa: E402  (llama.cpp's script; it puts its gguf-py first on sys.path)
    from conversion import base  # noqa: E402

    original = base.TextModel.get_vocab_base_pre

    def get_vocab_base_pre(self, tokenizer) -> str:
        try:
            return original(self, tokenizer)
        except NotImplementedError:
            if fallback is None:
                raise
            print(f"gguf_convert: unrecognised pre-tokenizer hash; using '{fallback}'", file=sys.stderr)
            return fallback

    base.TextModel.get_vocab_base_pre = get_vocab_base_pre
    sys.argv = ["convert_hf_to_gguf.py", *args]
    convert_hf_to_gguf.main()


if __name__ == "__main__":
    main()
