"""Safety layer for the medassist chat: emergency triage, disclaimer, input checks.

The fine-tuned model is an educational assistant, not a clinician, so the chat
front end runs every user message through this module *before* the model:

* :func:`validate_message` rejects empty or over-long input with a friendly reply.
* :func:`check_emergency` spots messages that describe a medical emergency or
  self-harm happening *now* (to the user or someone with them).  For those the
  app answers with :func:`emergency_reply` instead of generating text.
* :data:`DISCLAIMER` is shown permanently next to the chat.

Detection is rule based (standard library ``re`` only) and deliberately leans
towards flagging a first-person description, while textbook questions such as
"What are the risk factors for stroke?" pass through.  A message is flagged when
it matches a symptom pattern AND it is about a real person: either the user
speaks about themselves or someone of theirs ("I'm", "I can't", "my son"), it
contains an urgency cue ("right now", "call an ambulance"), or it mentions a
person ("he", "someone") without an educational framing ("what are the causes
of", "explain", exam vignettes).  First-person suicidal statements are always
flagged.  Nothing here logs or stores message text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DISCLAIMER", "EmergencyMatch", "check_emergency", "emergency_reply", "validate_message"]

DISCLAIMER = (
    "medassist provides general educational information only. It is not a diagnosis "
    "or treatment and does not replace a qualified clinician; please consult one about "
    "your health. In an emergency, call your local emergency number (e.g. 911, 112, 999) now."
)


@dataclass(frozen=True)
class EmergencyMatch:
    """Result of :func:`check_emergency`: what kind of emergency was detected."""

    category: str  # e.g. "stroke", "breathing", "self_harm"
    kind: str  # "emergency" or "self_harm"


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# Small building blocks (applied to normalised, lower-case text).
_BE = r"(?:'s|'re|'m|\s+is|\s+are|\s+am|\s+was|\s+has been|\s+have been)"
_NOT = r"(?:won'?t|will not|doesn'?t|does not|isn'?t|is not|hasn'?t|has not|not)"
_CANT = r"(?:can'?t|cannot|can not|unable to|struggling to|barely)"
_POSS = r"(?:my|his|her|their|our|the)"

# Who the message is about / how it is framed.
_SELF_STATE = re.compile(
    r"\b(?:my|our|we'?re|we are|i'?m|i am|i'?ve|i have|i had|i just|i think|i feel|"
    r"i can'?t|i cannot|i took|i swallowed|i ate|i drank|i got|i was|i keep|i need)\b"
)
_PERSON = re.compile(
    r"\b(?:i|i'?m|i'?ve|me|my|we|we'?re|our|he|he'?s|she|she'?s|his|her|him|they|they'?re|"
    r"them|their|someone|somebody|this (?:guy|man|woman|person|kid|child|baby|boy|girl))\b"
)
_URGENT = re.compile(
    r"\b(?:right now|please help|help please|somebody help|someone help|help us|hurry|asap|"
    r"call(?:ing)? (?:911|999|112|000|an ambulance|ems)|ambulance|"
    r"what (?:do|should|can) (?:i|we) do)\b"
)
_EDUCATIONAL = _rx(
    r"^(?:what|which|why|how|when|where|who|explain|describe|define|list|name|compare|"
    r"summari[sz]e|outline|tell me about)\b",
    r"\b(?:risk factors?|causes? of|symptoms? of|signs? (?:and symptoms )?of|warning signs|"
    r"treatment (?:of|for)|management of|mechanism|pathophysiology|antidote|prognosis|"
    r"epidemiology|differential|first aid (?:for|of)|guidelines?|side effects?|"
    r"difference between|most likely|next best step|which of the following|"
    r"presents? (?:to|with)|is brought to|in (?:a |the )?patients?)\b",
    r"\b(?:a|an)\s+\d+\s*(?:year|month|week|day)s?\s*old\b",  # exam vignette
)

# First-person suicidal statements: flagged regardless of framing.
_SELF_HARM_DIRECT = _rx(
    r"\b(?:kill|hurt|harm|cut|hang|shoot|poison) myself\b",
    r"\b(?:end|take) my (?:own )?life\b",
    r"\bend it all\b",
    r"\bi\b.{0,40}\b(?:commit(?:ting)? suicide|want to die|wanna die)\b",
    r"\b(?:wish i (?:was|were) dead|better off dead|want to be dead)\b",
    r"\b(?:don'?t|do not) want to (?:live|be alive|be here|wake up)\b",
    r"\b(?:i'?m|i am|i feel|i'?ve been|i have been|i keep)\s+(?:(?!not\b|never\b)[\w']+\s+)?"
    r"(?:feeling\s+|having\s+|getting\s+)?suicidal\b",
    r"\b(?:thinking|thought|thoughts) (?:about|of) (?:suicide|killing myself|ending (?:it|my life))\b",
    r"\b(?:going to|gonna|want to|wanna|planning to|plan to|about to)\s+(?:overdose|od)\b",
)

# (category, kind, pattern): need a person/urgency cue, vetoed by educational framing.
_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("self_harm", "self_harm", _rx(
        r"\b(?:kill|hurt|harm|cut|hang|shoot) (?:himself|herself|themselves|themself)\b",
        r"\b(?:end|take) (?:his|her|their) (?:own )?life\b",
        r"\b(?:is|'s|are|'re|seems|sounds|feels|been)\s+(?:(?!not\b|never\b)[\w']+\s+)?suicidal\b",
    )),
    ("chest_pain", "emergency", _rx(
        r"\b(?:crushing|severe|intense|excruciating|terrible|horrible|really bad|very bad|worst|"
        r"heavy|squeezing|stabbing)\s+(?:[\w']+\s+)?(?:chest (?:pain|pressure|tightness)|pain in "
        + _POSS + r" chest)",
        r"\bchest (?:pain|pressure|tightness)\s+(?:[\w']+\s+){0,2}(?:radiating|spreading|going|shooting|"
        r"moving)\s+(?:[\w']+\s+){0,3}(?:arm|jaw|neck|back|shoulder)",
        r"\bchest\s+(?:[\w']+\s+){0,4}(?:crushed|squeezed)\b|\belephant (?:[\w']+ ){0,2}(?:on )?my chest",
        r"\bchest\s+(?:[\w']+\s+){0,2}(?:is|feels)\s+(?:so\s+|really\s+|very\s+)?(?:crushing|heavy|tight)\b",
        r"\b(?:having|have) (?:a |an )?heart attack\b",
        # present tense: "I have chest pain", "my dad is having chest pressure" (not "I had ...")
        r"\b(?:have|has|having|got|getting|feel|feels|feeling|with|woke up with)\s+(?:(?:a|some|bad|really|"
        r"sudden|sharp|strong|new|this|constant)\s+){0,2}chest (?:pain|pressure|tightness|discomfort)\b"
        r"(?! (?:last|yesterday|years?|months?|weeks?|a (?:few|couple))\b)",
        r"\bchest (?:hurts|is hurting|aches)\b.{0,60}\b(?:arm|jaw|sweat\w*|breath\w*|nause\w*|faint\w*|dizz\w*)",
    )),
    ("stroke", "emergency", _rx(
        r"\b(?:face|mouth|smile)\s+(?:(?:is|looks|has|started|suddenly|all)\s+)*"
        r"(?:drooping|droopy|droops|drooped|sagging|lopsided|crooked)\b",
        r"\b(?:drooping|droopy|sagging) (?:face|mouth|smile)\b",
        r"\b(?:one|left|right) side of " + _POSS + r" (?:face|body|mouth)\b",
        r"\bslurr(?:ed|ing)\s+(?:[\w']+\s+)?(?:speech|words|talking)\b|\bspeech\s+(?:is\s+|sounds\s+)?"
        r"(?:suddenly\s+)?slurred\b",
        r"\bsudden(?:ly)?\s+(?:[\w']+\s+){0,2}(?:weak(?:ness)?|numb(?:ness)?|paraly\w*|"
        + _CANT + r" (?:move|feel|lift))\b",
        r"\b" + _CANT + r" (?:move|lift|feel) " + _POSS + r" (?:left|right) (?:arm|leg|hand|side)\b",
        r"\bhaving (?:a |another )?stroke\b",
        # thunderclap headache (possible brain bleed)
        r"\bworst headache (?:of|in) " + _POSS + r" life\b|\bheadache\b.{0,20}\bworst (?:of|in) " + _POSS
        + r" life\b|\bsudden(?:ly)? (?:severe|excruciating|explosive|thunderclap) headache\b",
    )),
    ("breathing", "emergency", _rx(
        r"\b(?:not|isn'?t|stopped|stops|quit) breathing\b",
        r"\b" + _CANT + r" breathe?\b(?! (?:through|out of) (?:my |his |her |the )?nose)",
        r"\bgasping for (?:air|breath)\b",
        r"\b(?:having|has|have|with|in) (?:a lot of |severe |serious |real |so much |sudden )?(?:trouble|difficulty|"
        r"problems?|a hard time) breathing\b",
        r"\b(?:severe|extreme|sudden) (?:shortness of breath|breathlessness)\b|\bcan'?t catch "
        + _POSS + r" breath\b",
        r"\b(?:is|'s|are|'re|am|'m|started|keeps)\s+choking\b|\bchoking and\s+(?:[\w']+\s+)?"
        r"(?:can'?t|cannot|isn'?t|not)\b",
        r"\b(?:turning|going|turned) (?:blue|purple|gr[ae]y)\b",
        r"\b(?:lips|face|skin) (?:are|is|look|looks) (?:blue|purple|gr[ae]y)\b",
    )),
    ("anaphylaxis", "emergency", _rx(
        r"\bthroat\s+(?:is\s+|feels\s+)?(?:[\w']+\s+)?(?:closing|swelling|swollen|tight(?:ening)?)\b",
        r"\b(?:tongue|lips|face) (?:is |are )?(?:swelling|swollen|blowing up)\b",
        r"\b(?:need|use|used|using|give|gave|giving|grab|inject|injected)\s+(?:my|his|her|their|an|the|"
        r"our)\s+epi ?pens?\b",
        r"\b(?:having|in|going into) (?:an? )?(?:anaphylactic (?:shock|reaction)|anaphylaxis|"
        r"severe allergic reaction)\b",
    )),
    ("overdose_poisoning", "emergency", _rx(
        r"\b(?:took|taken|swallowed|ate|downed|had)\b(?:\s+\S+){0,3}?\s+(?:\d{2,}|too many|a (?:whole |"
        r"full |entire )?bottle|the (?:whole|entire) bottle|a handful|handfuls|all (?:of )?(?:my|his|her|"
        r"their|the))\b(?:\s+\S+){0,4}?\s+(?:pills|tablets|tabs|capsules|meds|medications?|medicines?|"
        r"tylenol|paracetamol|acetaminophen|ibuprofen|aspirin|insulin|xanax|opioids?|oxy\w*)\b",
        r"\b(?:swallowed|drank|drunk|ate|ingested|swallowing|drinking)\b(?:\s+\S+){0,5}?\s+(?:bleach|"
        r"drain cleaner|antifreeze|rat poison|poison|pesticide|weed killer|detergent|laundry pods?|"
        r"button batter(?:y|ies)|lye|ammonia|gasoline|lighter fluid|windshield washer)\b",
        r"\b(?:overdosed|overdosing|od'?d)\b|\b(?:took|taken|had|having) an overdose\b",
        r"\b(?:been|was|got|is|am|'m) poisoned\b",
    )),
    ("bleeding", "emergency", _rx(
        _NOT + r"\s+(?:[\w']+\s+)?stop(?:ping)?\s+(?:the\s+)?bleeding\b",
        r"\bbleeding\s+(?:[\w']+\s+)?" + _NOT + r"\s+(?:stop|stopping|stopped|slowing)\b",
        r"\bbleeding\s+(?:very\s+|so\s+)?(?:heavily|badly|profusely|a lot|everywhere|so much|out)\b",
        r"\bblood (?:is )?(?:everywhere|gushing|spurting|pouring)\b|\blosing (?:a lot of |so much )?blood\b",
        r"\b(?:heavy|severe|uncontrollable|uncontrolled|massive) bleeding\b",
    )),
    ("unconscious", "emergency", _rx(
        _BE + r"\s+(?:[\w']+\s+)?(?:unconscious|unresponsive|not responding|not responsive|out cold)\b",
        r"\bwon'?t wake up\b|\b" + _CANT + r" wake (?:him|her|them|my|up)\b",
        r"\b(?:just|suddenly)\s+(?:passed out|fainted)\b|\bcollapsed\b(?!\s+lung)",
        r"\b(?:collapsed|passed out|fainted)\s+and\s+(?:[\w']+\s+){0,3}(?:isn'?t|is not|won'?t|not|can'?t)\b",
    )),
    ("seizure", "emergency", _rx(
        r"\bseiz\w*\s+(?:[\w']+\s+){0,4}" + _NOT + r"\s+(?:stop|stopping|stopped|ending|ended)\b",
        r"\b(?:seizing|convulsing|seizure|fitting|shaking)\s+(?:[\w']+\s+)?for\s+(?:over |more than |about |"
        r"almost )?(?:\d+|five|ten|fifteen|twenty|several)\s+(?:minutes|mins)\b",
        r"(?:\b(?:keeps?)|" + _BE + r")\s+(?:[\w']+\s+)?(?:seizing|convulsing|having (?:a |another )?"
        r"(?:seizure|fit|convulsion)s?)\b",
        r"\bback to back seizures\b|\bone seizure after another\b",
    )),
]

_RULES.append(("injury", "emergency", _rx(
    r"\b(?:was|been|got|is|'s|just got|has been|have been|'ve been)\s+(?:stabbed|shot)\b",
    r"\b(?:was|been|got|is|'s|just got)\s+(?:hit|struck|run over) by an? (?:car|truck|bus|vehicle|train)\b",
    r"\b(?:hit|banged|bumped|struck) (?:my|his|her|their) head\b.{0,80}\b(?:vomit\w*|throwing up|threw up|"
    r"unconscious|confused|passed out|blacked out|seiz\w*|won'?t wake)",
)))

# Context where a pattern is routinely non-urgent (e.g. heavy menstrual bleeding).
_EXCLUDE = {"bleeding": re.compile(r"\b(?:period|periods|menstrua\w*)\b")}


def _normalise(message: str) -> str:
    text = message.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[^a-z0-9'\s]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def check_emergency(message: str) -> EmergencyMatch | None:
    """Return an :class:`EmergencyMatch` if ``message`` describes an emergency now, else None."""
    text = _normalise(message or "")
    if not text:
        return None
    if _SELF_HARM_DIRECT.search(text):
        return EmergencyMatch(category="self_harm", kind="self_harm")
    about_self = bool(_SELF_STATE.search(text))
    urgent = bool(_URGENT.search(text))
    educational = bool(_EDUCATIONAL.search(text))
    personal = about_self or urgent or (bool(_PERSON.search(text)) and not educational)
    if not personal:
        return None
    for category, kind, pattern in _RULES:
        excluded = category in _EXCLUDE and _EXCLUDE[category].search(text)
        if pattern.search(text) and not excluded:
            return EmergencyMatch(category=category, kind=kind)
    return None


def emergency_reply(match: EmergencyMatch, emergency_number: str = "911") -> str:
    """Fixed reply for a detected emergency; ``emergency_number`` is the local number to call."""
    number = str(emergency_number).strip() or "911"
    other_numbers = (
        "Emergency numbers differ by country (for example 112 in the EU, 999 in the UK, "
        "000 in Australia)."
    )
    if match.kind == "self_harm":
        return (
            "I'm really sorry you're going through this. You deserve support, and you don't "
            "have to face it alone.\n\n"
            f"If you are in immediate danger or have hurt yourself, call {number} or your local "
            f"emergency number now. {other_numbers}\n\n"
            "In the US, you can call or text 988 (988 Suicide & Crisis Lifeline), any time, day "
            "or night. Outside the US, please contact your local crisis line; you can find one at "
            "https://findahelpline.com.\n\n"
            "Please reach out to one of them, or to someone you trust, right now. A chatbot "
            "can't give you the help you deserve."
        )
    return (
        "This sounds like it could be a medical emergency. Please call "
        f"{number} or your local emergency number now. {other_numbers}\n\n"
        "Don't wait for a chatbot: I can't assess or treat an emergency. If you can, stay "
        "with the person (or ask someone nearby to help you) and follow the dispatcher's "
        "instructions."
    )


def validate_message(message: str | None, max_chars: int) -> str | None:
    """Return a reply for an empty or too-long message, or None if it is acceptable."""
    if max_chars <= 0:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    text = (message or "").strip()
    if not text:
        return (
            "Please type a medical question, for example: "
            "\"What are the common side effects of metformin?\""
        )
    if len(text) > max_chars:
        return (
            f"Your message is {len(text):,} characters; please shorten it to at most "
            f"{max_chars:,} characters (or split it into separate questions)."
        )
    return None
