"""What triage returns: None, or an EmergencyMatch whose kind says which reply the message gets."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("emergency", "self_harm", "language", "possible_emergency")


@dataclass(frozen=True)
class EmergencyMatch:
    """Result of check_emergency.

    kind: "emergency" or "self_harm" (tier 1: the fixed reply, the model never runs), "language" (a
    language the assistant does not read: the fixed plain-words reply), or "possible_emergency"
    (tier 2: the model answers after a "call now" line; category "emergency" or "self_harm").
    """

    category: str  # a triage-list id (docs/safety.md), "other_language", or for tier 2 the class
    kind: str
    lang: str = "en"  # "en", one of LANGUAGES_READ, another ISO 639-1 code, or "und"
