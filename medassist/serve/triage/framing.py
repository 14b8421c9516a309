"""Step 2 of triage: how a message is framed: about a real person now, or a question about a topic.

The semantic layer and most rules only apply to a message about a real person now: one with a
first-person or family cue ("my", "I'm", "we"), an urgency cue ("help", "ambulance", "right now"),
or no educational framing. A textbook question, an exam vignette, a student's, trainer's or
clinician's framing ("patient", "exam", "vignette", "refresher"), fiction or a game vetoes them
unless an urgency cue or "it's happening now" overrides.

A rule hit that survives can still be uncertain (``uncertain``): a joke or idiom, a generic or
curious question, mildness in the clause of the hit. It is then demoted to tier 2, not dropped.
A bare wish to die said of an embarrassment is an idiom (``idiom_wish``); every other first-person
suicidal statement is tier 1 whatever the framing.
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


SELF_STATE = re.compile(
    r"\b(?:my|our|we're|we are|i'm|i am|i've|i have|i had|i just|i think|i feel|"
    r"i can't|i cannot|i took|i swallowed|i ate|i drank|i got|i was|i keep|i need)\b"
)
URGENT = re.compile(
    r"\bhelp(?: me| him| her| us)?(?: \|)*$|"  # a message that ends asking for help
    r"\b(?:right now|please help|help please|somebody help|someone help|help us|hurry|asap|"
    r"call(?:ing)? (?:911|999|112|000|an ambulance|ems)|ambulance)\b"
)
EDUCATIONAL = _rx(
    r"^(?:what|which|why|how|when|where|who|explain|describe|define|list|name|compare|"
    r"summari[sz]e|outline|tell me about|can you explain|signs|symptoms|causes)\b",
    r"\b(?:risk factors?|causes? of|symptoms? of|signs? (?:and symptoms )?of|warning signs|"
    r"treatment (?:of|for)|management of|mechanism|pathophysiology|antidote|prognosis|"
    r"epidemiology|differential|first aid (?:for|of)|guidelines?|side effects?|"
    r"difference between|most likely|next best step|which of the following|always|usually|"
    r"presents? (?:to|with)|is brought to|in (?:a |the )?patients?)\b",
    r"\b(?:a|an)\s+\d+\s*(?:year|yr|yo|month|week|day)s?\s*(?:old)?\b",  # exam vignette
)
# A clinician's, student's, trainer's or writer's framing: vetoes even a first-person message without
# an urgency cue. Exam vignettes ("case: 45 yo ...", "a 60-year-old man presents with ..."), study and
# teaching ("revising for finals", "refresher for our lifeguards"), fiction and games ("writing a novel
# where a character ...", "my tabletop game"), documentaries.
STUDY = _rx(
    r"\b(?:patients?|exams?|quiz|lectures?|textbook|mnemonics?|usmle|osce|pharmacology|physiology|"
    r"anatomy|biochem\w*|studying|classes|cpr class|instructor|homework|assignment|essay)\b",
    r"\b(?:vignettes?|revising|revision|finals|scenarios?|examiner|flashcards?|syllabus|curriculum|"
    r"(?:theory|practice|mock|written|multiple choice) (?:test|question|paper)|test (?:asked|question)|"
    r"refresher|lifeguards|trainees|students|med school|nursing school|medical school|rotation|"
    r"documentary|novel|screenplay|fiction|fictional|tabletop|roleplay|rpg|dnd|d and d|my (?:story|book)|"
    r"(?:a|the|my) character|writing (?:a|my) (?:story|book|scene|script|play))\b",
    r"\b(?:first aid|cpr|bls|als|resus\w*|lifeguard|nursing|medical|clinical|paramedic|emt|online)\s+"
    r"(?:course|training|class|module|certificate|test)\b|\b(?:on|doing|taking) (?:a|my|the) (?:first aid )?course\b",
    r"\b(?:presents?|presenting|presented) (?:to|with|at)\b|\bis brought (?:in|to)\b|\bbrought in by\b",
    r"^(?:case|vignette|scenario|question|q) ?\d*\b",
    r"\b\d+ ?(?:yo|y o|yr old|year old|years old|yrs old)\b(?: [\w']+){0,3} (?:man|woman|male|female|gentleman|lady|"
    r"boy|girl|patient|pt)\b(?! (?:is|was) (?:my|our))",
)


# The writer says it is happening now: a hypothetical ("is it a stroke if ...") is a question about
# the present, and its clause is kept.
NOW = re.compile(
    r"\b(?:(?:it's|its|it is|this is) happening|happening (?:to (?:me|him|her|us) )?(?:right )?now|as we speak|"
    r"as i (?:type|write)|right now)\b"
)



def personal(text: str) -> bool:
    """About a real person now (``text`` with the negated, past and hypothetical parts dropped)."""
    if URGENT.search(text) or NOW.search(text):
        return True
    return not STUDY.search(text) and (bool(SELF_STATE.search(text)) or not EDUCATIONAL.search(text))


# Framing that makes a rule hit uncertain rather than false: a joke or idiom, an embarrassment, a
# curious or generic question ("how would a real person ...", "would a co detector ..."), explicit
# mildness. A rule hit in such a message is demoted to tier 2 (the model answers after the "call now"
# line): it still counts for recall, but no longer blocks the answer.
JOKE = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|jk|joking|kidding|embarrass\w*|cringe|mortified|"
    r"nearly killed me|almost killed me|literally dying|dying of (?:laughter|embarrassment|boredom)|"
    r"(?:gave|give|giving) me (?:a )?(?:heart attack|chest pains?|stroke)|mouth (?:is )?on fire|"
    r"in front of (?:the whole|everyone|my (?:class|boss|crush|friends)))\b"
)
EMOJI_JOKE = re.compile("[\U0001F602\U0001F923\U0001F605\U0001F480\U0001F62D\U0001F643]")
GENERIC_QUESTION = re.compile(
    r"^(?:(?:would|could|can|does|do|did|should) (?:a|an|the|you|your|someone|somebody|people|one|it|they)|how (?:would|do|does|did|can|long|likely)|what (?:would|happens|"
    r"happened|do you do|should you)|why (?:would|does|do|did)|is it (?:possible|true|safe))\b"
    r"|\b(?:wondering|curious|out of curiosity|in theory|theoretically|a real person|in real life)\b"
)
FIRST_PERSON_NOW = re.compile(r"\b(?:i'm|i am|i've|i have|i just|i can't|i cannot|i took|i swallowed|right now|now)\b")
MILD_RULE = re.compile(
    r"\b(?:a (?:bit|little)|probably nothing|no blisters|size of a|(?:i'm|he's|she's|they're|feeling|feels) "
    r"(?:fine|ok|okay|better) now|back to normal|went back to|mild(?:ly)?|slight(?:ly)?)\b"
)


def uncertain(message: str, text: str, clause: str) -> bool:
    """A rule hit in this message is uncertain (``message`` as typed, ``text`` normalised, ``clause``
    the clause the rule matched in: mildness counts only there, "a bit dizzy earlier but now she is
    unconscious" is not mild)."""
    if URGENT.search(text):
        return False
    if JOKE.search(text) or EMOJI_JOKE.search(message) or MILD_RULE.search(clause):
        return True
    generic = GENERIC_QUESTION.search(text)
    return bool(generic) and not SELF_STATE.search(text) and not FIRST_PERSON_NOW.search(text)


# "ugh i want to die, i just called my teacher mum": a wish to die said of an embarrassment is an
# idiom. Only the bare wish is read so; a plan, a method or any other suicidal statement still counts.
BARE_WISH = re.compile(r"(?:i\b.{0,40}\b)?(?:want(?:ing)? to die|wanna die)")
EMBARRASSED = re.compile(
    r"\b(?:embarrass\w*|cringe\w*|mortified|humiliat\w*|so awkward|lol|lmao|haha\w*|"
    r"in front of (?:the whole|everyone|my (?:class|boss|crush|friends|teacher)))\b"
)


def idiom_wish(found: re.Match[str], text: str) -> bool:
    """The suicidal phrase ``found`` is a bare wish to die in a message about an embarrassment."""
    return bool(BARE_WISH.fullmatch(found.group(0))) and bool(EMBARRASSED.search(text))
