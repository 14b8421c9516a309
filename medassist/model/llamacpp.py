"""A GGUF file run by llama.cpp (llama-cpp-python): medassist's decoding, streamed, and answer NLL.

    llm = load(path)                                   # once per process and file
    for token in decode(llm, prompt_ids, temperature=0.0, max_new_tokens=256, decoding=d): ...
    nll, count = answer_nll(path, examples)            # teacher-forced, answer tokens only

llama.cpp's own sampler has `repeat_penalty` but no `no_repeat_ngram_size`, and llama-cpp-python's
hook for custom logits processors is marked "probably broken" in its own source. So `decode` reads
the logits of every step and applies the project's settings with transformers' exact semantics
(`repetition_penalty` over the whole context, `no_repeat_ngram_size` over the whole context,
OpenAI's penalties over the answer: numpy versions of transformers' processors, tested equal to
them), then takes the argmax (temperature 0, as evaluated) or samples top-p 0.95. `native_decode`
is llama.cpp's own sampler with what an Ollama Modelfile can say (temperature, repeat_penalty):
what a llama.cpp or Ollama user gets.

The llama-cpp-python package is optional: `make gguf` installs it (medassist.share.gguf_tools).
"""

from __future__ import annotations

import atexit
import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from medassist.core import MedassistError
from medassist.model.decoding import PLAIN, TOP_P, Decoding

MAX_CONTEXT = 8192  # llama.cpp allocates the KV cache for the whole context up front


def require_llama_cpp():
    try:
        import llama_cpp
    except ImportError:
        raise MedassistError(
            "llama-cpp-python is not installed: run `make gguf-tools` (it builds llama.cpp, about 5 "
            "minutes on 2 cores) or `make gguf`"
        ) from None
    return llama_cpp


def threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def open_model(path: Path, n_ctx: int = 0, logits_all: bool = False):
    """A fresh llama_cpp.Llama on ``path`` (n_ctx 0: the model's trained context, capped at 8192)."""
    llama_cpp = require_llama_cpp()
    path = Path(path)
    if not path.is_file():
        raise MedassistError(f"GGUF file {path} not found: run `make gguf`")
    try:
        probe = llama_cpp.Llama(str(path), n_ctx=64, vocab_only=True, verbose=False) if not n_ctx else None
        trained = probe._model.n_ctx_train() if probe is not None else n_ctx
        return llama_cpp.Llama(
            str(path),
            n_ctx=min(trained, MAX_CONTEXT) if not n_ctx else n_ctx,
            n_batch=512,
            n_threads=threads(),
            logits_all=logits_all,
            verbose=False,
        )
    except (ValueError, RuntimeError) as exc:
        raise MedassistError(f"llama.cpp cannot load {path}: {exc}") from None


def _quiet(level, text, user_data):  # llama.cpp's log callback
    return None


try:  # llama.cpp's log (load and quantize chatter) goes nowhere; errors still raise
    import llama_cpp as _llama_cpp

    _QUIET = _llama_cpp.llama_log_callback(_quiet)  # must outlive every model: module level
    _llama_cpp.llama_log_set(_QUIET, None)
except ImportError:  # pragma: no cover - without the optional package nothing here runs
    _QUIET = None


@functools.cache
def load(path: str):
    """The model of a GGUF file, loaded once per process (closed at exit, before the library goes)."""
    llm = open_model(Path(path))
    atexit.register(llm.close)
    return llm


def end_ids(llm) -> set[int]:
    """The tokens that end an answer: llama.cpp's end-of-generation set (EOS, end of turn). A scan of
    the vocabulary, so computed once per model and kept on it."""
    cached = getattr(llm, "medassist_end_ids", None)
    if cached is None:
        llama_cpp = require_llama_cpp()
        vocab = llm._model.vocab
        cached = {t for t in range(llm.n_vocab()) if llama_cpp.llama_vocab_is_eog(vocab, t)}
        llm.medassist_end_ids = cached
    return cached


# -- transformers' processors, in numpy (tests check them against transformers on the same input) --


def repetition_penalty(logits: np.ndarray, context: Sequence[int], penalty: float) -> None:
    """CTRL's penalty on every token of the context, as transformers' RepetitionPenaltyLogitsProcessor."""
    if penalty == 1.0 or not len(context):
        return
    seen = np.unique(np.asarray(context))
    score = logits[seen]
    logits[seen] = np.where(score < 0, score * penalty, score / penalty)


def banned_ngram_tokens(context: Sequence[int], n: int) -> list[int]:
    """Tokens that would repeat an n-gram of the context, as transformers' NoRepeatNGramLogitsProcessor."""
    if n <= 0 or len(context) + 1 < n:
        return []
    context = list(context)
    prefix = tuple(context[len(context) - n + 1 :]) if n > 1 else ()
    return [
        context[i + n - 1] for i in range(len(context) - n + 1) if tuple(context[i : i + n - 1]) == prefix
    ]


def openai_penalties(logits: np.ndarray, answer: Sequence[int], frequency: float, presence: float) -> None:
    """OpenAI's frequency and presence penalties on the answer's own tokens (medassist.model.generation)."""
    if not (frequency or presence) or not len(answer):
        return
    tokens, counts = np.unique(np.asarray(answer), return_counts=True)
    logits[tokens] -= frequency * counts + presence * (counts > 0)


def next_token(
    logits: np.ndarray,
    context: Sequence[int],
    answer_start: int,
    temperature: float,
    decoding: Decoding,
    frequency_penalty: float = 0.0,
    presence_penalty: float = 0.0,
    rng: np.random.Generator | None = None,
) -> int:
    """The next token under medassist's decoding (transformers' processor order), from raw logits."""
    logits = np.array(logits, dtype=np.float32)
    repetition_penalty(logits, context, decoding.repetition_penalty)
    banned = banned_ngram_tokens(context, decoding.no_repeat_ngram_size)
    if banned:
        logits[banned] = -np.inf
    openai_penalties(logits, context[answer_start:], frequency_penalty, presence_penalty)
    if temperature <= 0:
        return int(np.argmax(logits))
    scaled = logits.astype(np.float64) / temperature
    order = np.argsort(-scaled)
    probs = np.exp(scaled[order] - scaled[order[0]])
    probs /= probs.sum()
    keep = int(np.searchsorted(np.cumsum(probs), TOP_P)) + 1  # the smallest set holding top-p of the mass
    probs = probs[:keep] / probs[:keep].sum()
    return int(order[(rng or np.random.default_rng()).choice(keep, p=probs)])


def _last_logits(llm) -> np.ndarray:
    llama_cpp = require_llama_cpp()
    pointer = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),))


def decode(
    llm,
    prompt_ids: Sequence[int],
    *,
    temperature: float,
    max_new_tokens: int,
    decoding: Decoding = PLAIN,
    frequency_penalty: float = 0.0,
    presence_penalty: float = 0.0,
    stop_ids: set[int] | None = None,
    rng: np.random.Generator | None = None,
) -> Iterator[int]:
    """The answer's tokens one at a time, the ending token (EOS / end of turn) included.

    Stops at a token of ``stop_ids`` (default: llama.cpp's end-of-generation set) or after
    ``max_new_tokens``; closing the generator stops it before the next decoding step."""
    stop_ids = end_ids(llm) if stop_ids is None else stop_ids
    context = list(prompt_ids)
    if len(context) + max_new_tokens > llm.n_ctx():
        raise MedassistError(
            f"{len(context)} prompt tokens + {max_new_tokens} new tokens exceed the llama.cpp context "
            f"of {llm.n_ctx()} tokens"
        )
    llm.reset()
    llm.eval(context)
    for _ in range(max_new_tokens):
        token = next_token(
            _last_logits(llm),
            context,
            len(prompt_ids),
            temperature,
            decoding,
            frequency_penalty,
            presence_penalty,
            rng,
        )
        yield token
        if token in stop_ids:
            return
        context.append(token)
        llm.eval([token])


def native_decode(
    llm, prompt_ids: Sequence[int], *, max_new_tokens: int, repeat_penalty: float = 1.0
) -> Iterator[int]:
    """Greedy answer tokens from llama.cpp's own sampler (repeat_penalty over the whole context, as
    an Ollama Modelfile with `repeat_last_n -1` asks), the ending token included."""
    stop_ids = end_ids(llm)
    llm.last_n_tokens_size = llm.n_ctx()
    for count, token in enumerate(
        llm.generate(list(prompt_ids), temp=0.0, top_k=1, repeat_penalty=repeat_penalty, reset=True)
    ):
        yield token
        if token in stop_ids or count + 1 >= max_new_tokens:
            return


def answer_nll_per_example(path: Path, examples: list[dict]) -> list[tuple[float, int]]:
    """Summed NLL of each example's answer tokens (labels not -100) and their count, from llama.cpp's
    logits: the same quantity as medassist.model.generation.answer_nll_per_example."""
    from medassist.model.chat import IGNORE_INDEX

    if not examples:
        return []
    width = max(len(e["input_ids"]) for e in examples)
    llm = open_model(Path(path), n_ctx=max(64, width), logits_all=True)
    results = []
    for example in examples:
        ids, labels = example["input_ids"], np.asarray(example["labels"])
        llm.reset()
        llm.eval(ids)
        logits = np.asarray(llm.scores[: len(ids) - 1], dtype=np.float64)
        targets = labels[1:]
        rows = np.nonzero(targets != IGNORE_INDEX)[0]
        picked = logits[rows]
        top = picked.max(1, keepdims=True)
        log_z = (top + np.log(np.exp(picked - top).sum(1, keepdims=True)))[:, 0]
        results.append((float((log_z - picked[np.arange(len(rows)), targets[rows]]).sum()), len(rows)))
    llm.close()
    return results
