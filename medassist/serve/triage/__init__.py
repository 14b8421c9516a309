"""Emergency triage, a small pipeline run on every chat message before the model.

    language -> normalise -> framing + rules (tier 1) -> semantic layer (tier 2)

1. language.py: a message in a language the assistant does not read is deflected with the emergency
   number; emergency phrasings in five other languages are read.
2. normalise.py: plain lower-case clauses; negated, past and hypothetical parts dropped.
3. rules.py (gated by framing.py): first-person suicidal or self-harm statements whatever the
   framing; the triage list's categories for a message about a real person now. A hit is tier 1.
4. semantic.py: a learned layer over sentence vectors, same text, same framing gate. A hit is tier 2.
5. reply.py: the fixed reply (tier 1, language) or the "call now" line (tier 2).

``check_emergency`` returns None or an EmergencyMatch (match.py). Nothing here logs message text or
touches the network.
"""

from __future__ import annotations

from medassist.serve.triage.framing import MILD, personal
from medassist.serve.triage.language import LANGUAGES_READ, foreign_emergency, foreign_language
from medassist.serve.triage.match import KINDS, EmergencyMatch
from medassist.serve.triage.normalise import drop_cues, normalise, unreadable_script
from medassist.serve.triage.reply import emergency_reply, possible_emergency_line
from medassist.serve.triage.rules import EXCLUDE, RULES, SELF_HARM_DIRECT, SUICIDE_DIRECT
from medassist.serve.triage.semantic import THRESHOLD, get_layer

__all__ = [
    "KINDS",
    "LANGUAGES_READ",
    "EmergencyMatch",
    "check_emergency",
    "check_rules",
    "emergency_reply",
    "possible_emergency_line",
    "warm_up",
]


def check_rules(message: str) -> EmergencyMatch | None:
    """Tier 1 and languages: the rules alone (no semantic layer)."""
    if not (message or "").strip():
        return None
    if unreadable_script(message):
        return EmergencyMatch(category="other_language", kind="language", lang="und")
    text = normalise(message)
    if not text.strip(" |"):
        return None
    if (found := foreign_emergency(text)) is not None:
        lang, category, kind = found
        return EmergencyMatch(category=category, kind=kind, lang=lang)
    if (lang := foreign_language(message, text)) is not None:
        return EmergencyMatch(category="other_language", kind="language", lang=lang)
    text = drop_cues(text, hypothetical=False)
    if SUICIDE_DIRECT.search(text):
        return EmergencyMatch(category="suicide", kind="self_harm")
    if SELF_HARM_DIRECT.search(text):
        return EmergencyMatch(category="self_harm", kind="self_harm")
    text = drop_cues(text, hypothetical=True)
    if not personal(text):
        return None
    for category, kind, pattern in RULES:
        excluded = category in EXCLUDE and EXCLUDE[category].search(text)
        if pattern.search(text) and not excluded:
            return EmergencyMatch(category=category, kind=kind)
    return None


def check_emergency(message: str) -> EmergencyMatch | None:
    """None, or an EmergencyMatch: tier 1 ("emergency", "self_harm"), "language", or tier 2
    ("possible_emergency", the semantic layer's hit on a message no rule matched)."""
    match = check_rules(message)
    if match is not None or not (message or "").strip():
        return match
    text = drop_cues(normalise(message), hypothetical=True)
    if not text.strip(" |") or not personal(text) or MILD.search(text):
        return None
    probability, category = get_layer().score(text.replace(" | ", ", "))
    return EmergencyMatch(category=category, kind="possible_emergency") if probability >= THRESHOLD else None


def warm_up() -> None:
    """Load the semantic layer now (a server at start-up) rather than inside the first request."""
    get_layer()
