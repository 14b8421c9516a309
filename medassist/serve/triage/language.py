"""Step 0 of triage: which language a message is in, and the emergency phrasings read in five of them.

Every message is either read or deflected, never passed to the model unread:

* mostly non-Latin script, or a Latin-script language other than English (py3langid, a maintained
  fork of langid.py that ships its model, 0.3 ms a message) -> ``foreign_language`` names it;
* common emergency phrasings in Spanish, French, German, Portuguese and Italian are recognised
  (``foreign_emergency``), so their writers get a line in their own language.

Short English messages ("i feel dizzy", "kms") are too short for any detector, so a message counts
as foreign only when the detector is fairly sure *and* it has fewer English function words than
foreign ones or none at all; English questions with a foreign drug name or Latin term are read.
"""

from __future__ import annotations

import functools
import re

LANGUAGES_READ = ("en", "es", "fr", "de", "pt", "it")
MIN_CONFIDENCE = 0.4  # py3langid's normalised probability for a non-English language


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# (lang, category, kind, pattern) on the normalised text (lower case, accents folded).
FOREIGN_RULES: list[tuple[str, str, str, re.Pattern[str]]] = [
    ("es", "suicide", "self_harm", _rx(r"\bsuicidarme\b|\bquiero morir|\bme quiero morir\b|\bmatarme\b")),
    ("es", "heart_attack", "emergency", _rx(r"\bdolor\b(?: \w+){0,2} (?:en el|de|del) pecho\b")),
    ("es", "breathing", "emergency", _rx(r"\bno (?:puedo |puede )?respir\w*|\bse (?:esta )?ahog\w*")),
    (
        "es",
        "unconscious",
        "emergency",
        _rx(r"\bse desmay\w*|\bno despierta\b|\binconsciente\b|\bconvulsi\w*"),
    ),
    (
        "es",
        "poisoning",
        "emergency",
        _rx(r"\b(?:tomo|bebio|trago)\b.{0,30}\b(?:lejia|veneno|pastillas|cloro)\b"),
    ),
    ("fr", "suicide", "self_harm", _rx(r"\bje veux mourir\b|\bme suicider\b|\bme tuer\b")),
    ("fr", "heart_attack", "emergency", _rx(r"\b(?:douleur|mal)\b(?: \w+){0,2} (?:a |dans )?la poitrine\b")),
    (
        "fr",
        "breathing",
        "emergency",
        _rx(r"\bne respire (?:plus|pas)\b|\bn'arrive pas a respirer\b|\bpeux pas respirer\b|\bs'etouffe\b"),
    ),
    ("fr", "seizure", "emergency", _rx(r"\bcrise d'epilepsie\b|\bconvuls\w*|\binconscient\w*")),
    ("de", "suicide", "self_harm", _rx(r"\bmich umbringen\b|\bwill sterben\b|\bsuizid\w*|\bmich toten\b")),
    ("de", "heart_attack", "emergency", _rx(r"\bbrustschmerz\w*|\bschmerzen in der brust\b")),
    ("de", "breathing", "emergency", _rx(r"\batmet nicht\b|\bkeine luft\b|\bkann nicht atmen\b")),
    ("de", "unconscious", "emergency", _rx(r"\bbewusstlos\b|\bkrampfanfall\b|\bvergiftet\b")),
    ("pt", "suicide", "self_harm", _rx(r"\bme matar\b|\bquero morrer\b|\bme suicidar\b")),
    ("pt", "heart_attack", "emergency", _rx(r"\bdor\b(?: \w+){0,2} no peito\b")),
    ("pt", "breathing", "emergency", _rx(r"\bnao (?:esta |consigo |consegue )?respira\w*|\bengasg\w*")),
    ("pt", "unconscious", "emergency", _rx(r"\bdesmai\w*|\binconsciente\b|\bconvuls\w*")),
    ("it", "suicide", "self_harm", _rx(r"\buccidermi\b|\bvoglio morire\b|\bsuicidarmi\b")),
    ("it", "heart_attack", "emergency", _rx(r"\bdolore (?:\w+ )?al petto\b")),
    ("it", "breathing", "emergency", _rx(r"\bnon (?:riesco a |riesce a )?respira\w*")),
    ("it", "unconscious", "emergency", _rx(r"\bsvenut\w*|\bincosciente\b|\bconvulsion\w*")),
]

_ENGLISH_WORDS = frozenset(
    "the a an is are of what how i my and to in for with it this that be can should after have has why "
    "which when he she his her me you your does i'm it's he's she's can't don't not no".split()
)
_FOREIGN_WORDS = frozenset(
    "el la los las del que es un una mi por con se al para esta estoy tengo muy y le les des du et est "
    "je j'ai une mon ma pas ne sont quels quelles der das und ist ich nicht ein eine mein meine sind "
    "habe os da meu minha nao sao quais com il di che non sono ho mio dolor douleur "
    "de het een en van ik mijn niet is zijn heeft kan wat hoe "  # Dutch
    "ve bir bu cok icin ne var yok ben benim mi cok".split()  # Turkish (accents folded)
)


def foreign_emergency(text: str) -> tuple[str, str, str] | None:
    """(lang, category, kind) of an emergency phrasing in a language the rules read, else None."""
    for lang, category, kind, pattern in FOREIGN_RULES:
        if pattern.search(text):
            return lang, category, kind
    return None


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def foreign_language(message: str, text: str) -> str | None:
    """The ISO 639-1 code of a message not in English (``message`` as typed, ``text`` normalised), else None."""
    words = text.split()
    english = sum(w in _ENGLISH_WORDS for w in words)
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    if foreign >= 2 and foreign > english:
        lang, _ = _identifier().classify(message)
        return lang if lang != "en" else "und"
    lang, confidence = _identifier().classify(message)
    if lang != "en" and confidence >= MIN_CONFIDENCE and english <= foreign and len(words) >= 2:
        return lang
    return None
