"""Step 2 of triage: how a message is framed: about a real person now, or a question about a topic.

The semantic layer and most rules only apply to a message about a real person now: one with a
first-person or family cue ("my", "I'm", "we"), an urgency cue ("help", "ambulance", "right now"),
or no educational framing. A textbook question, an exam vignette or a student's or clinician's
framing ("patient", "exam", "mnemonic") vetoes them unless an urgency cue overrides.
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
# A clinician's or student's framing: vetoes even a first-person message without an urgency cue.
STUDY = re.compile(
    r"\b(?:patients?|exams?|quiz|lectures?|textbook|mnemonics?|usmle|osce|pharmacology|physiology|"
    r"anatomy|biochem\w*|studying|course|training|classes|cpr class|instructor|homework|assignment|essay)\b"
)


def personal(text: str) -> bool:
    """About a real person now (``text`` with the negated, past and hypothetical parts dropped)."""
    if URGENT.search(text):
        return True
    return not STUDY.search(text) and (bool(SELF_STATE.search(text)) or not EDUCATIONAL.search(text))


# Explicitly mild or settled ("a bit sore", "went back to playing"): the semantic layer stays silent
# (the rules, which need an explicit sign, still read the message).
MILD = re.compile(
    r"\b(?:mild(?:ly)?|slight(?:ly)?|a (?:bit|little)|a little bit|small|tiny|minor|usual|usually|as always|"
    r"itchy|sore throat|went back to (?:playing|sleep)|back to normal|fine now|nothing else|no other symptoms|"
    r"can walk|is that (?:normal|bad)|normal)\b"
)
