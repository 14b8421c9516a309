"""Token streaming for the chat demo: generate() in a thread, text out of a generator.

    for text_so_far in stream_generate(model, tokenizer, prompt_ids, temperature=0, max_new_tokens=256):
        ...

The generator yields the reply decoded so far (each value extends the previous one) as the model
produces it. Closing the generator early (Gradio's Stop button, a client that goes away) sets a
flag that a StoppingCriteria checks after every token, so the generate thread ends within one
decoding step instead of running on to max_new_tokens. Temperature 0 is greedy decoding (as in
evaluation); a temperature above 0 samples with nucleus (top-p 0.95) sampling. `decoding` holds the
anti-repetition settings evaluation used (the adapter records them); the API may add OpenAI's
frequency and presence penalties on top.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch

from medassist.model.decoding import PLAIN, Decoding, generation_config
from medassist.model.generation import OpenAIPenalties


@dataclass(frozen=True)
class StreamResult:
    """What one generation did (counts only, never text)."""

    prompt_tokens: int
    new_tokens: int  # generated tokens, EOS included
    ended_with_eos: bool
    stopped: bool  # the consumer closed the stream before generation finished


def _stop_criterion(flag: threading.Event):
    from transformers import StoppingCriteria

    class StopWhenClosed(StoppingCriteria):
        def __call__(self, input_ids: torch.LongTensor, scores, **kwargs) -> torch.BoolTensor:
            return torch.full((input_ids.shape[0],), flag.is_set(), dtype=torch.bool, device=input_ids.device)

    return StopWhenClosed()


def stream_generate(
    model,
    tokenizer,
    prompt_ids: Sequence[int],
    *,
    temperature: float,
    max_new_tokens: int,
    decoding: Decoding = PLAIN,
    frequency_penalty: float = 0.0,
    presence_penalty: float = 0.0,
    on_done: Callable[[StreamResult], None] | None = None,
) -> Iterator[str]:
    """Yield the reply text so far while ``model`` generates it from ``prompt_ids``.

    ``on_done`` is called once the generate thread has ended, however the stream ended (finished,
    closed by the consumer, or failed); an exception raised by generate() is re-raised here."""
    from transformers import LogitsProcessorList, StoppingCriteriaList, TextIteratorStreamer

    device = next(model.parameters()).device
    input_ids = torch.tensor([list(prompt_ids)], device=device)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    closed = threading.Event()
    outcome: dict = {}
    processors = LogitsProcessorList()
    if frequency_penalty or presence_penalty:
        processors.append(OpenAIPenalties(input_ids.shape[1], frequency_penalty, presence_penalty))

    def run() -> None:
        try:
            with torch.inference_mode():
                outcome["ids"] = model.generate(
                    input_ids=input_ids,
                    attention_mask=torch.ones_like(input_ids),
                    generation_config=generation_config(tokenizer, temperature, max_new_tokens, decoding),
                    logits_processor=processors,
                    stopping_criteria=StoppingCriteriaList([_stop_criterion(closed)]),
                    streamer=streamer,
                )
        except BaseException as exc:  # surfaced in the consumer; the stream must still end
            outcome["error"] = exc
            streamer.end()

    thread = threading.Thread(target=run, name="medassist-generate", daemon=True)
    text = ""
    finished = False
    thread.start()
    try:
        for piece in streamer:
            if piece:
                text += piece
                yield text
        finished = True
    finally:
        closed.set()  # a no-op after a normal end; stops generation when the consumer closed us
        thread.join()
        if on_done is not None:
            ids = outcome.get("ids")
            new = ids[0, input_ids.shape[1] :].tolist() if ids is not None else []
            on_done(
                StreamResult(
                    prompt_tokens=input_ids.shape[1],
                    new_tokens=len(new),
                    ended_with_eos=bool(new) and new[-1] == tokenizer.eos_token_id,
                    stopped=not finished,
                )
            )
    if "error" in outcome:
        raise outcome["error"]
