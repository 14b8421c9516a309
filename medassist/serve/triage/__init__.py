"""Emergency triage, a small pipeline run on every chat message before the model.

    language -> normalise -> framing + rules (tier 1) -> semantic layer (tier 2)

1. language.py: a message in a language the assistant does not read is deflected with the emergency
   number; a lexicon per triage category is read in five other languages, and a message in one of
   them that no lexicon entry matches is glossed into English word by word (glossary.py) and read
   by steps 2-4 like an English one (its replies keep the writer's language line).
2. normalise.py: plain lower-case clauses; negated, past and hypothetical parts dropped.
3. rules.py (gated by framing.py): first-person suicidal or self-harm statements whatever the
   framing; the triage list's categories for a message about a real person now. A hit is tier 1,
   or tier 2 when the framing makes it uncertain (a joke, a generic question, mildness).
4. semantic.py: a learned layer (sentence vector + word and character TF-IDF, logistic regression),
   same text, same framing gate. A hit is tier 2. And a second opinion on every tier-1 emergency
   hit: a framing model reads the whole message; one it reads as a question, story, course or
   history about the emergency is demoted to tier 2.
5. reply.py: the fixed reply (tier 1, language) or the "call now" line (tier 2).

``check_emergency`` returns None or an EmergencyMatch (match.py). Nothing here logs message text or
touches the network.
"""

from __future__ import annotations

import re
from dataclasses import replace

from medassist.serve.triage.framing import (
    DENIAL,
    EMOJI_JOKE,
    JOKE,
    MILD_RULE,
    NOW,
    TOPIC,
    URGENT,
    idiom_wish,
    personal,
    someone_elses,
    topic_only,
    uncertain,
)
from medassist.serve.triage.glossary import GLOSSED, gloss
from medassist.serve.triage.language import LANGUAGES_READ, foreign_emergency, foreign_language
from medassist.serve.triage.match import KINDS, EmergencyMatch
from medassist.serve.triage.normalise import drop_cues, normalise, not_now, unreadable_script
from medassist.serve.triage.reply import emergency_reply, possible_emergency_line
from medassist.serve.triage.rules import EXCLUDE, LETHAL_DOSE, NORMAL, RULES, SELF_HARM_DIRECT, SUICIDE_DIRECT
from medassist.serve.triage.semantic import DEMOTE, THRESHOLD, get_framing, get_layer

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


def _read(message: str) -> tuple[EmergencyMatch | None, str, str]:
    """(a language or foreign-phrasing match, the normalised text, what is said to be happening now)."""
    if unreadable_script(message):
        return EmergencyMatch(category="other_language", kind="language", lang="und"), "", ""
    text = normalise(message)
    if not text.strip(" |"):
        return None, text, ""
    if (found := foreign_emergency(text)) is not None:
        lang, category, kind = found
        return EmergencyMatch(category=category, kind=kind, lang=lang), text, ""
    if (lang := foreign_language(message, text)) is not None:
        return EmergencyMatch(category="other_language", kind="language", lang=lang), text, ""
    return None, text, _now(text)


def _now(text: str) -> str:
    """What is said to be happening now. "is it a stroke if ... it's happening now": the
    hypothetical is about the present; keep it."""
    return drop_cues(text, hypothetical=not NOW.search(text))


def _tier(
    message: str, text: str, now: str, found: re.Match[str], category: str, kind: str
) -> EmergencyMatch | None:
    """A rule hit (``found`` in ``now``): tier 1, or tier 2 when the framing makes it uncertain (a
    joke, an idiom, a generic or curious question, a plan, mildness in the clause of the hit), or
    None for a mild symptom after an event that is over."""
    clause = now[now.rfind(" | ", 0, found.start()) + 1 : (now.find(" | ", found.end()) + 1) or len(now)]
    # A mild symptom after something that is over ("recovered from ..., still the odd headache").
    if MILD_RULE.search(clause) and not_now(text) and not URGENT.search(text):
        return None
    if uncertain(message, text, clause):  # a self-harm category keeps the crisis line in tier 2
        return EmergencyMatch(
            category="self_harm" if kind == "self_harm" else category, kind="possible_emergency"
        )
    return EmergencyMatch(category=category, kind=kind)


def _rules(message: str, framing=None) -> tuple[EmergencyMatch | None, str, EmergencyMatch | None]:
    """(the languages' and rules' match or None, the text the semantic layer may read: "" when it
    must not, what the message gets when that layer stays silent: None, or for a glossed message
    the language reply)."""
    if not (message or "").strip():
        return None, "", None
    early, text, now = _read(message)
    if early is not None and early.lang in GLOSSED:
        # A language read by gloss: the English reader on the gloss, the writer's language kept.
        english = normalise(gloss(text, early.lang))
        if early.kind != "language":  # a lexicon hit
            return _second_opinion(early, english, framing), "", None
        match, reading = _english(english, english, _now(english), framing)
        return (replace(match, lang=early.lang) if match else None), reading, early
    if early is not None or not now:
        return early, "", None
    return (*_english(message, text, now, framing), None)


def _second_opinion(match: EmergencyMatch, english: str, framing) -> EmergencyMatch:
    """A tier-1 rule hit that the framing model reads as a question, story, course or history about
    the emergency (P(urgent) < DEMOTE for the whole text) is demoted to tier 2 (a self-harm hit keeps
    the crisis line). First-person suicidal and self-harm statements never come here."""
    if match.kind not in ("emergency", "self_harm") or (framing or get_framing()).urgent(english) >= DEMOTE:
        return match
    return replace(
        match,
        category="self_harm" if match.kind == "self_harm" else match.category,
        kind="possible_emergency",
    )


def _english(message: str, text: str, now: str, framing=None) -> tuple[EmergencyMatch | None, str]:
    """The rules and framing gates on English text: (their match or None, the semantic layer's text)."""
    if not now:
        return None, ""
    stated = drop_cues(text, hypothetical=False)
    # First-person suicidal and self-harm statements: tier 1 whatever the framing, never demoted
    # (a plan said with "lol" is still a plan); only a bare wish to die about an embarrassment is an idiom.
    # Said of someone else, the framing gates decide (a course question is not a crisis).
    # ("if my teenager ever told me she was thinking about suicide"): only a current report about a
    # real person counts.
    for found in SUICIDE_DIRECT.finditer(stated):
        if idiom_wish(found, stated):
            continue
        if not someone_elses(found, stated) or (SUICIDE_DIRECT.search(now) and personal(now)):
            return EmergencyMatch(category="suicide", kind="self_harm"), ""
    if SELF_HARM_DIRECT.search(stated):
        return EmergencyMatch(category="self_harm", kind="self_harm"), ""
    # "how many paracetamol would it take to not wake up": a lethal-dose question gets the crisis line
    # in any framing (tier 2: the model still answers a pharmacology student).
    if LETHAL_DOSE.search(text):
        return EmergencyMatch(category="self_harm", kind="possible_emergency"), ""
    if not personal(now):
        return None, ""
    named = False  # a rule hit that only names a condition, in a question about it
    for category, kind, pattern in RULES:
        if category in EXCLUDE and EXCLUDE[category].search(now):
            continue
        for found in pattern.finditer(now):
            if (
                category in NORMAL
                and NORMAL[category][0].search(found.group(0))
                and NORMAL[category][1].search(now)
            ):
                continue  # "baby has a temp of 37.6": a temperature, not a fever
            if topic_only(text, found.group(0)):
                named = True
                continue
            if (match := _tier(message, text, now, found, category, kind)) is not None:
                return _second_opinion(match, text, framing), ""
            named = True
    # A question about a condition ("how would I spot hypothermia") is not read by the semantic layer
    # either, nor what little is left once the past, negated and hypothetical parts are dropped ("my
    # friend's baby had a fit last year, she's asking if it'll happen again" -> "she's asking").
    # Nor someone's history with a question about risk ("my dad overdosed when I was a kid, I'm scared
    # addiction runs in families").
    left = len(now.split()) - now.count("|")
    if named or (left <= 3 and not_now(text) and len(text.split()) - text.count("|") > 2 * left):
        return None, ""
    if not_now(text) and TOPIC.search(text) and not (URGENT.search(text) or NOW.search(text)):
        return None, ""
    # Nor a joke no rule matched ("stop it you're killing me 😂"): a rule hit in one is still tier 2.
    # Nor what follows a denial of suicidal intent.
    if (JOKE.search(text) or EMOJI_JOKE.search(message) or DENIAL.search(text)) and not URGENT.search(text):
        return None, ""
    return None, now.replace(" | ", ", ")


def check_rules(message: str, framing=None) -> EmergencyMatch | None:
    """Languages, the rules and the framing model's second opinion (no semantic layer): tier 1, a rule
    hit demoted to tier 2 by uncertain framing, "language", or None."""
    match, _, otherwise = _rules(message, framing)
    return match or otherwise


def check_emergency(
    message: str, layer=None, threshold: float = THRESHOLD, framing=None
) -> EmergencyMatch | None:
    """None, or an EmergencyMatch: tier 1 ("emergency", "self_harm"), "language", or tier 2
    ("possible_emergency": a rule hit in uncertain framing or that the framing model doubts, or the
    semantic layer's hit on a message no rule matched). ``layer``, ``threshold`` and ``framing``
    replace the process's semantic layer, its threshold and framing model (cross-validation)."""
    match, reading, otherwise = _rules(message, framing)
    if match is not None or not reading.strip(" ,"):
        return match or otherwise
    probability, category = (layer or get_layer()).score(reading)
    if probability < threshold:
        return otherwise
    return EmergencyMatch(
        category=category, kind="possible_emergency", lang=otherwise.lang if otherwise else "en"
    )


def semantic_score(message: str, layer=None) -> tuple[float, str] | None:
    """The semantic layer's (probability, class) for a message no rule matched and framed as about a
    real person now, else None (benchmarks/triage_cv.py sweeps the threshold over it)."""
    match, reading, _ = _rules(message)
    if match is not None or not reading.strip(" ,"):
        return None
    return (layer or get_layer()).score(reading)


def warm_up() -> None:
    """Load the semantic layer and the framing model now (a server at start-up), not in a request."""
    get_layer()
    get_framing()
    check_emergency("is my chest pain from the gym")  # and the language identifier, on first use
