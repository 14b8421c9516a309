"""Is this text fit to reach the model? The one check of well-formedness for the page and the API.

    malformed(text)     # None, or why: "a control character (U+0000) at character 7"
    control_token(text, tokenizer.all_special_tokens)   # "the model's control token </s> at ..."
    well_formed(text)   # malformed(text) is None
    readable(text)      # a copy the safety screen can read (bad code points -> U+FFFD)

Used by medassist.serve.service (the question, for the page and the API alike: a chat reply there,
a 400 here), medassist.serve.prompting (earlier turns that are malformed never reach the model)
and medassist.serve.api (a 400 naming the earlier message that is malformed).

JSON lets a client send text no tokenizer should see: a lone UTF-16 surrogate ("\\ud800" is valid
JSON but not a character; the tokenizer fails on it with a TypeError), control characters (NUL,
escape sequences, backspaces) and Unicode noncharacters. Such a message is rejected with a clear
reply (a 400 on the API, a chat message on the page), never normalised into something the user
did not write. So is text that spells out one of the tokenizer's control tokens (`</s>`): the
tokenizer would read it as that token. Tabs and line breaks are text; so are format characters (zero-width joiners in
emoji, bidi marks in Arabic or Hebrew), private-use and not-yet-assigned code points, which the
tokenizer reads as bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# C0 and C1 controls but tab, line feed and carriage return; lone surrogates; noncharacters.
_BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def _kind(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "a lone UTF-16 surrogate, not a character"
    if unicodedata.category(char) == "Cc":
        return "a control character"
    return "a Unicode noncharacter"


def malformed(text: str) -> str | None:
    """Why ``text`` must not reach the model (its first bad code point, named and placed), or None."""
    match = _BAD.search(text)
    if match is None:
        return None
    char = match.group(0)
    return f"{_kind(char)} (U+{ord(char):04X}) at character {match.start() + 1:,}"


def readable(text: str) -> str:
    """``text`` with every code point malformed() objects to replaced by U+FFFD: what the safety
    screen reads, so that an emergency is recognised even in a message that is then rejected."""
    return _BAD.sub("\ufffd", text)


def control_token(text: str, tokens: Iterable[str]) -> str | None:
    """The first of the tokenizer's control tokens (``<s>``, ``</s>``, ``<|im_end|>``) that
    ``text`` spells out, named and placed; or None. Typed into a message, the tokenizer would read
    it as that token, not as text: a user could end the prompt early or forge a turn."""
    found = [(text.find(token), token) for token in tokens if token and token in text]
    if not found:
        return None
    at, token = min(found)
    return f"the model's control token {token} at character {at + 1:,}"


def well_formed(text: str) -> bool:
    return _BAD.search(text) is None
