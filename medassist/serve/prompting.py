"""From a chat history to a prompt that fits: Gradio/OpenAI messages -> (user, assistant) turns ->
token ids in the shared chat format (medassist.model.chat), oldest turns dropped to fit."""

from __future__ import annotations

from collections.abc import Sequence

from medassist.model.chat import Turn, encode_prompt
from medassist.serve.safety import screen
from medassist.serve.textcheck import control_token, well_formed


def context_window(model, tokenizer) -> int:
    """Tokens the model can attend to: prompt (history included) + reply must fit in it.

    This is the base model's max_position_embeddings (2048 for TinyLlama), capped by the
    tokenizer's model_max_length. Not model.max_length (512 in the reference setup): that is
    the length training truncated single flashcards to, not a limit of the model; using it here
    would forget the conversation after a turn or two."""
    window = int(getattr(model.config, "max_position_embeddings", 0) or 2048)
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and 0 < tok_max < 1_000_000:
        window = min(window, tok_max)
    return window


def content_text(content) -> str:
    """Plain text of a Gradio 6 message content: a string, a text block, or a list of them."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        if "text" in content and isinstance(content["text"], str):
            return content["text"]
        return content_text(content.get("content"))
    if isinstance(content, (list, tuple)):
        return "\n".join(t for t in (content_text(c) for c in content) if t)
    return ""  # files, images, components: the model reads text only


def history_turns(history: Sequence | None, control_tokens: Sequence[str] = ()) -> list[Turn]:
    """Pair Gradio messages into (user, assistant) turns for medassist.model.chat.

    Consecutive messages of one role are joined; an assistant message with no question before it
    and a question with no answer after it are dropped. Turns whose question never reached the
    model (empty, too long, an emergency, malformed text or one of ``control_tokens``, answered
    with a fixed reply) are left out too, so the model only sees its own kind of conversation."""
    merged: list[list[str]] = []
    for message in history or []:
        if not isinstance(message, dict):
            continue
        role, text = message.get("role"), content_text(message.get("content")).strip()
        if role not in ("user", "assistant") or not text:
            continue
        if merged and merged[-1][0] == role:
            merged[-1][1] += "\n\n" + text
        else:
            merged.append([role, text])
    turns: list[Turn] = []
    for (role_a, user), (role_b, assistant) in zip(merged, merged[1:]):
        pair = role_a == "user" and role_b == "assistant" and reaches_model(user) and well_formed(assistant)
        if pair and all(control_token(text, control_tokens) is None for text in (user, assistant)):
            turns.append((user, assistant))
    return turns


def reaches_model(message: str) -> bool:
    if not well_formed(message):
        return False
    screened = screen(message)
    return screened is None or screened.kind == "notice"  # a possible emergency: the model answered


def fit_prompt(tokenizer, question: str, turns: Sequence[Turn], max_new_tokens: int, window: int):
    """Prompt ids for the question and as many recent turns as fit, and how many turns were kept.

    Returns (None, 0) when the question alone does not fit with max_new_tokens."""
    budget = window - max_new_tokens
    for start in range(len(turns) + 1):
        ids = encode_prompt(tokenizer, question, turns[start:])
        if len(ids) <= budget:
            return ids, len(turns) - start
    return None, 0
