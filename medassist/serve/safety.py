"""Safety layer for the medassist chat: emergency triage, disclaimer, input checks.

The fine-tuned model is an educational assistant, not a clinician, so the chat front end runs
every user message through this module *before* the model:

* :func:`check_emergency` (the pipeline in medassist.serve.triage) spots messages that describe a
  medical emergency or self-harm happening *now*. Tier 1 ("emergency", "self_harm") and messages
  in a language the assistant does not read ("language") get :func:`emergency_reply` instead of
  generated text; tier 2 ("possible_emergency") gets the model's answer after
  :func:`possible_emergency_line`.
* :func:`validate_message` rejects empty or over-long input with a friendly reply.
* :func:`screen` is the policy the chat service applies: an emergency is answered first (never told
  to shorten), then empty or over-long input is rejected, then a possible emergency gets its notice.
* :data:`DISCLAIMER` is shown permanently next to the chat.

``medassist.serve.safety_eval`` measures the triage on a development and a held-out set. Nothing
here logs or stores message text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from medassist.serve.triage import (
    LANGUAGES_READ,
    EmergencyMatch,
    check_emergency,
    emergency_reply,
    possible_emergency_line,
    warm_up,
)

__all__ = [
    "DISCLAIMER",
    "LANGUAGES_READ",
    "MAX_MESSAGE_CHARS",
    "EmergencyMatch",
    "Screened",
    "check_emergency",
    "emergency_reply",
    "possible_emergency_line",
    "screen",
    "validate_message",
    "warm_up",
]

DISCLAIMER = (
    "medassist provides general educational information only. It is not a diagnosis "
    "or treatment and does not replace a qualified clinician; please consult one about "
    "your health. In an emergency, call your local emergency number (e.g. 911, 112, 999) now."
)

MAX_MESSAGE_CHARS = 4000  # a question, not a document; the token budget is checked too
EMERGENCY_SCAN_CHARS = 20_000  # the emergency check reads at most this much of a message


def validate_message(message: str | None, max_chars: int) -> str | None:
    """Return a reply for an empty or too-long message, or None if it is acceptable."""
    if max_chars <= 0:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    text = (message or "").strip()
    if not text:
        return 'Please type a medical question, for example: "What are the common side effects of metformin?"'
    if len(text) > max_chars:
        return (
            f"Your message is {len(text):,} characters; please shorten it to at most "
            f"{max_chars:,} characters (or split it into separate questions)."
        )
    return None


@dataclass(frozen=True)
class Screened:
    """What the screen decided: a fixed reply instead of the model, or a notice before its answer."""

    # "emergency" (incl. self-harm and unread languages) or "invalid" (empty, too long): ``reply``
    # replaces the model; "notice" (a possible emergency): the model answers after ``reply``.
    kind: str
    reply: str


def screen(
    message: str | None, emergency_number: str = "911", crisis_line: str | None = None
) -> Screened | None:
    """The fixed reply for a message that must not reach the model, the notice for a possible
    emergency, or None when the model may simply answer.

    The emergency check comes first: a long description of an emergency is answered, never told to
    shorten. Only the first EMERGENCY_SCAN_CHARS characters are read."""
    text = (message or "").strip()
    match = check_emergency(text[:EMERGENCY_SCAN_CHARS]) if text else None
    if match is not None and match.kind != "possible_emergency":
        return Screened("emergency", emergency_reply(match, emergency_number, crisis_line))
    invalid = validate_message(text, MAX_MESSAGE_CHARS)
    if invalid is not None:
        return Screened("invalid", invalid)
    if match is not None and match.lang != "en":
        # A possible emergency in a language the model does not answer in: the call-now line, then
        # the plain-words reply that names the number in the writer's language.
        return Screened(
            "emergency",
            possible_emergency_line(match, emergency_number, crisis_line)
            + "\n\n"
            + emergency_reply(replace(match, kind="language"), emergency_number, crisis_line),
        )
    if match is not None:
        return Screened("notice", possible_emergency_line(match, emergency_number, crisis_line))
    return None
