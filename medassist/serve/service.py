"""The chat service behind the page and the API: safety first, then the model, one generation at a time.

    turn = service.prepare(message, history, temperature, max_new_tokens)   # checks, prompt ids
    for text in service.answer(turn): ...                                   # the reply so far

`respond` (Gradio's chat function) is the two together. A message that must not reach the model
(an emergency, empty or overlong input: medassist.serve.safety.screen; a prompt that cannot fit the
context window) gets a fixed reply from `prepare` and the model never runs; the API turns the
rejections into HTTP 400s from the same `Turn`. No message text is logged.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from medassist.model.chat import encode_prompt
from medassist.model.decoding import PLAIN, Decoding
from medassist.serve.prompting import content_text, fit_prompt, history_turns
from medassist.serve.safety import Screened, screen, warm_up
from medassist.serve.settings import (
    DEFAULT_MAX_NEW_TOKENS,
    MAX_NEW_TOKENS_LIMIT,
    MAX_PENALTY,
    MAX_TEMPERATURE,
)
from medassist.serve.textcheck import control_token, malformed, readable

EMPTY_REPLY_FALLBACK = "I could not produce an answer to that. Please try rephrasing your question."
ERROR_REPLY = "Sorry, something went wrong while generating the answer. Please try again."


def _clamp(value, default: float, low: float, high: float) -> float:
    """A slider value from the UI or the API, coerced into [low, high] (default when unusable)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if number != number else min(max(number, low), high)  # NaN -> default


@dataclass
class Turn:
    """One message, checked: either a fixed reply (and why) or the prompt ids the model answers."""

    temperature: float
    max_new_tokens: int
    frequency_penalty: float = 0.0  # OpenAI's penalties (the API only; 0 = off)
    presence_penalty: float = 0.0
    prompt_ids: list[int] | None = None
    reply: str | None = None
    kind: str | None = None  # with a reply: "emergency", "invalid" or "too_long"
    notice: str | None = None  # a possible emergency: the "call now" line put before the model's answer


class ChatService:
    """Answers one message: safety checks first, then the model, one generation at a time."""

    def __init__(
        self,
        model,
        tokenizer,
        window: int,
        emergency_number: str = "911",
        crisis_line: str = "",
        decoding: Decoding = PLAIN,
        stream=None,
    ):
        self.model, self.tokenizer, self.window = model, tokenizer, window
        # stream_generate's contract: transformers (the default) or llama.cpp (stream_llamacpp)
        self.stream = stream
        self.decoding = decoding  # what evaluation used (the adapter's record): every answer uses it
        self.emergency_number = emergency_number
        self.crisis_line = crisis_line
        warm_up()  # the triage's semantic layer loads once per process, before the first message
        self._generate_lock = threading.Lock()  # one generation at a time, whatever the event
        self._stats_lock = threading.Lock()
        self._thread = threading.local()  # the last generation's StreamResult in each thread (take_result)
        self._stats = {
            "model_calls": 0,
            "emergency_replies": 0,
            "possible_emergency_notices": 0,
            "rejected_inputs": 0,
            "active_generations": 0,
            "max_active_generations": 0,
            "stopped_generations": 0,
            "failed_generations": 0,
            "last_generation": None,
        }

    def stats(self) -> dict:
        with self._stats_lock:
            return json.loads(json.dumps(self._stats))

    def _count(self, key: str, delta: int = 1) -> None:
        with self._stats_lock:
            self._stats[key] += delta
            if key == "active_generations":
                self._stats["max_active_generations"] = max(
                    self._stats["max_active_generations"], self._stats[key]
                )

    def _generation_done(self, result, settings: dict) -> None:
        with self._stats_lock:
            self._stats["last_generation"] = {
                **settings,
                "prompt_tokens": result.prompt_tokens,
                "new_tokens": result.new_tokens,
                "ended_with_eos": result.ended_with_eos,
                "stopped": result.stopped,
            }
            self._stats["stopped_generations"] += int(result.stopped)
        self._thread.result = result  # on_done runs in the thread that iterates answer()

    def control_tokens(self) -> list[str]:
        """The tokenizer's special tokens: spelled out in a message, they are refused."""
        return list(getattr(self.tokenizer, "all_special_tokens", None) or [])

    def take_result(self):
        """The StreamResult of the last generation that answer() ran in this thread (None if none
        since the last call): the API's token counts and finish reason."""
        result, self._thread.result = getattr(self._thread, "result", None), None
        return result

    def _failed(self, exc: Exception) -> str:
        """Counted, and logged by where it happened (the traceback's frames), never by what was asked."""
        self._count("failed_generations")
        print(
            f"demo: answering failed ({type(exc).__name__}):\n"
            + "".join(traceback.format_tb(exc.__traceback__)),
            file=sys.stderr,
        )
        return ERROR_REPLY

    def prepare(
        self,
        message,
        history,
        temperature=0.0,
        max_new_tokens=DEFAULT_MAX_NEW_TOKENS,
        frequency_penalty=0.0,
        presence_penalty=0.0,
    ) -> Turn:
        """Settings clamped, the safety screen, and the prompt fitted to the context window."""
        turn = Turn(
            temperature=_clamp(temperature, 0.0, 0.0, MAX_TEMPERATURE),
            max_new_tokens=int(_clamp(max_new_tokens, DEFAULT_MAX_NEW_TOKENS, 1, MAX_NEW_TOKENS_LIMIT)),
            frequency_penalty=_clamp(frequency_penalty, 0.0, -MAX_PENALTY, MAX_PENALTY),
            presence_penalty=_clamp(presence_penalty, 0.0, -MAX_PENALTY, MAX_PENALTY),
        )
        message = content_text(message)
        # Malformed text (medassist.serve.textcheck) never reaches the model; the screen reads a
        # readable copy first, so an emergency is still answered as one.
        screened = screen(readable(message), self.emergency_number, self.crisis_line)
        if screened is not None and screened.kind == "notice":  # tier 2: the model answers after the line
            turn.notice, screened = screened.reply, None
        problem = malformed(message) or control_token(message, self.control_tokens())
        if screened is None and problem is not None:
            turn.notice = None
            screened = Screened(
                "invalid", f"Your message contains {problem}. Please remove it and send it again."
            )
        if turn.notice:
            self._count("possible_emergency_notices")
        if screened is not None:
            self._count("emergency_replies" if screened.kind == "emergency" else "rejected_inputs")
            turn.reply, turn.kind = screened.reply, screened.kind
            return turn
        question = message.strip()
        ids, _kept = fit_prompt(
            self.tokenizer,
            question,
            history_turns(history, self.control_tokens()),
            turn.max_new_tokens,
            self.window,
        )
        if ids is None:
            self._count("rejected_inputs")
            alone = len(encode_prompt(self.tokenizer, question))
            turn.kind = "too_long"
            turn.reply = (
                f"Your message is too long for the model: it takes {alone:,} tokens, and with up to "
                f"{turn.max_new_tokens:,} new tokens for the answer that exceeds the model's context of "
                f'{self.window:,} tokens. Please shorten it (or lower "Max new tokens").'
            )
            return turn
        turn.prompt_ids = ids
        return turn

    def answer(self, turn: Turn) -> Iterator[str]:
        """The reply so far (each value extends the previous one): the fixed reply, or the model's.

        Never raises: a failure becomes a short apology."""
        try:
            yield from self._answer(turn)
        except Exception as exc:
            yield self._failed(exc)

    def _answer(self, turn: Turn) -> Iterator[str]:
        if turn.reply is not None:
            yield turn.reply
            return
        text, notice = "", f"{turn.notice}\n\n" if turn.notice else ""
        with self._generate_lock:  # one generation at a time, whichever event (UI, API, example) asked
            self._count("model_calls")
            self._count("active_generations")
            try:
                settings = {
                    "temperature": turn.temperature,
                    "max_new_tokens": turn.max_new_tokens,
                    "frequency_penalty": turn.frequency_penalty,
                    "presence_penalty": turn.presence_penalty,
                    **self.decoding.to_dict(),
                }
                on_done = partial(self._generation_done, settings=settings)
                stream = self.stream
                if stream is None:
                    from medassist.model.streaming import stream_generate as stream
                for text in stream(
                    self.model,
                    self.tokenizer,
                    turn.prompt_ids,
                    temperature=turn.temperature,
                    max_new_tokens=turn.max_new_tokens,
                    decoding=self.decoding,
                    frequency_penalty=turn.frequency_penalty,
                    presence_penalty=turn.presence_penalty,
                    on_done=on_done,
                ):
                    yield notice + text.strip()
            finally:
                self._count("active_generations", -1)
        if not text.strip():
            yield notice + EMPTY_REPLY_FALLBACK

    def respond(
        self, message, history, temperature=0.0, max_new_tokens=DEFAULT_MAX_NEW_TOKENS
    ) -> Iterator[str]:
        """Gradio's chat fn: prepare + answer. Never raises (a failure becomes a short apology)."""
        try:
            turn = self.prepare(message, history, temperature, max_new_tokens)
        except Exception as exc:
            yield self._failed(exc)
            return
        yield from self.answer(turn)
