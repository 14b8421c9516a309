"""Token streaming from a GGUF file run by llama.cpp, with medassist.model.streaming's contract.

    for text_so_far in stream_llamacpp(llm, tokenizer, prompt_ids, temperature=0, max_new_tokens=256):
        ...

`llm` is a llama_cpp.Llama (medassist.model.llamacpp.load), `tokenizer` the Hugging Face tokenizer
the GGUF export saved beside the file (the one its gate checked against the file's own template).
Tokens come from medassist.model.llamacpp.decode (medassist's decoding, transformers' semantics);
no thread is needed: decoding runs while the consumer asks for the next text, so closing this
generator (Stop button, a client that leaves) stops it before the next token. The text is the
answer's tokens decoded by the tokenizer, as transformers' TextIteratorStreamer does; a text that
ends inside a multi-byte character (U+FFFD) waits for the token that completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from medassist.model.decoding import PLAIN, Decoding
from medassist.model.streaming import StreamResult


def stream_llamacpp(
    llm,
    tokenizer,
    prompt_ids: Sequence[int],
    *,
    temperature: float,
    max_new_tokens: int,
    decoding: Decoding = PLAIN,
    frequency_penalty: float = 0.0,
    presence_penalty: float = 0.0,
    on_done: Callable[[StreamResult], None] | None = None,
    rng: np.random.Generator | None = None,
) -> Iterator[str]:
    """Yield the reply text so far while llama.cpp generates it from ``prompt_ids``.

    ``on_done`` is called once however the stream ended (finished, closed, or failed); a decoding
    error is re-raised here."""
    from medassist.model.llamacpp import decode, end_ids

    ends = end_ids(llm)
    tokens = decode(
        llm,
        prompt_ids,
        temperature=temperature,
        max_new_tokens=max_new_tokens,
        decoding=decoding,
        frequency_penalty=frequency_penalty,
        presence_penalty=presence_penalty,
        stop_ids=ends,
        rng=rng,
    )
    new: list[int] = []
    text, finished = "", False
    try:
        for token in tokens:
            new.append(token)
            if token in ends:
                break
            current = tokenizer.decode(new, skip_special_tokens=True)
            if current != text and not current.endswith("\ufffd"):
                text = current
                yield text
        finished = True
        answer = new[:-1] if new and new[-1] in ends else new
        final = tokenizer.decode(answer, skip_special_tokens=True)
        if final != text:  # a character left incomplete at max_new_tokens
            yield final
    finally:
        tokens.close()  # no further llama.cpp step
        if on_done is not None:
            on_done(
                StreamResult(
                    prompt_tokens=len(prompt_ids),
                    new_tokens=len(new),
                    ended_with_eos=bool(new) and new[-1] in ends,
                    stopped=not finished,
                )
            )
