"""Step 2 of triage: how a message is framed: about a real person now, or a question about a topic.

The semantic layer and most rules only apply to a message about a real person now: one with a
first-person or family cue ("my", "I'm", "we"), an urgency cue ("help", "ambulance", "right now"),
or no educational framing. A textbook question, an exam vignette, a student's, trainer's or
clinician's framing ("patient", "exam", "vignette", "refresher"), fiction or a game vetoes them
unless an urgency cue or "it's happening now" overrides.

A rule hit that survives can still be uncertain (``uncertain``): a joke or idiom, a generic or
curious question, a plan or precaution ("next month", "just in case"), mildness in the clause of the
hit. It is then demoted to tier 2, not dropped.
A bare wish to die said of an embarrassment is an idiom (``idiom_wish``); every other first-person
suicidal statement is tier 1 whatever the framing. A rule hit that only names a condition, in a
question about spotting, preventing or inheriting it (``TOPIC``), is not a report (``topic_only``).
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


SELF_STATE = re.compile(
    r"\b(?:my|our|we're|we are|i'm|i am|i've|i have|i had|i just|i think|i feel|"
    r"i can't|i cannot|i took|i swallowed|i ate|i drank|i got|i was|i keep|i need|"
    r"overreacting|freaking out|panicking|being paranoid|i look after|i care for|(?:carer|caregiver) for|"
    r"now (?:he's|she's|he is|she is|they're|they are))\b"
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
    r"^in [\w' ]{3,30}(?:,| \|)? (?:why|what|how|which|when)\b|^is (?:the|a|an) [\w' ]{1,40} (?:the reason|why)\b|"
    r"\b(?:why|how) (?:is|are) [\w' ]{1,30} "
    r"(?:given|used|preferred|contraindicated|indicated)\b",
)
# A clinician's, student's, trainer's or writer's framing: vetoes even a first-person message without
# an urgency cue. Exam vignettes ("case: 45 yo ...", "a 60-year-old man presents with ..."), study and
# teaching ("revising for finals", "refresher for our lifeguards"), fiction and games ("writing a novel
# where a character ...", "my tabletop game"), documentaries.
STUDY = _rx(
    r"(?<!sugar )(?<!heart )(?<!diabetic )(?<!cancer )(?<!bp )(?<!kidney )(?<!dialysis )(?<!our )(?<!my )"
    r"\bpatients?\b(?! (?:in|at) (?:our|my)\b)|"
    r"\b(?:exams?|quiz|lectures?|textbook|mnemonics?|usmle|osce|pharmacology|physiology|"
    r"anatomy|biochem\w*|studying|classes|cpr class|instructor|homework|assignment|essay)\b",
    r"\b(?:vignettes?|revising|revision|finals|scenarios?|examiner|flashcards?|syllabus|curriculum|"
    r"(?:theory|practice|mock|written|multiple choice) (?:test|question|paper)|test (?:asked|question)|"
    r"refresher|(?:our|for|train\w*) lifeguards|trainees|students|med school|nursing school|medical school|rotation|"
    r"documentary|novel|screenplay|fiction|fictional|tabletop|roleplay|rpg|dnd|d and d|my (?:story|book)|"
    r"(?:a|the|my) character|main character|writing (?:a|my) (?:\w+ )?(?:story|book|scene|script|play)|"
    # what the question is for ("for my biology coursework", "for a geography project"), a generic
    # casualty ("for a drowning casualty"): a study word alone does not veto a report ("my son is
    # doing his gcses and just collapsed")
    r"for (?:my|a|an|the|our|his|her) (?:[\w']+ ){0,2}(?:coursework|a levels?|gcses?|project)|"
    r"for (?:a |the )?(?:[\w']+ )?casualt(?:y|ies)|"
    r"doing (?:my|the|an?) (?:outdoor first aid|wilderness first aid|remote first aid|bronze medallion))\b",
    r"\b(?:first aid|cpr|bls|als|resus\w*|lifeguard|nursing|medical|clinical|paramedic|emt|online)\s+"
    r"(?:course|training|class|module|certificate|test)\b|\b(?:on|doing|taking) (?:a|my|the) (?:first aid )?course\b",
    r"\b(?:presents?|presenting|presented) (?:to|with|at)\b|\bis brought (?:in|to)\b|\bbrought in by\b",
    # a teacher's or leader's session: "planning a session on treating hypothermia for the scouts"
    r"\b(?:session|lesson|talk|workshop|class|demo|presentation|module) (?:on|about) "
    r"(?:treating|spotting|recogni[sz]ing|preventing|first aid|how to)\b",
    r"\b(?:ski patrol|lifesaving|nplq|rlss|wilderness first aid|mental health first aid|mhfa|first responder) "
    r"(?:course|training|class|question|exam|test|module)\b|"
    r"\b(?:the|my|our) training (?:says|said|told|taught|tells)\b|"
    r"\b(?:they|instructors?|examiners?) want(?:s)? us to know\b",
    r"^(?:case|vignette|scenario|question|q) ?\d*\b",
    # (not a carer's own client: "i am a carer for a 78 yr old gentleman")
    r"(?<!carer for a )(?<!caring for a )(?<!look after a )(?<!looking after a )"
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
    r"(?:gave|give|giving) me (?:a )?(?:heart attack|chest pains?|stroke)|mouth (?:is |was )?on fire|"
    r"in front of (?:the whole|everyone|my (?:class|boss|crush|friends)))\b"
)
EMOJI_JOKE = re.compile("[\U0001f602\U0001f923\U0001f605\U0001f480\U0001f62d\U0001f643]")
GENERIC_QUESTION = re.compile(
    r"(?:^|\| )(?:(?:would|could|can|does|do|did|should) (?:a|an|the|you|your|someone|somebody|people|one|it|they"
    r")|how (?:would|do|does|did|can|long|likely|many|much)|what (?:would|happens|"
    r"happened|do you do|should you)|why (?:would|does|do|did|is|are)|is it (?:possible|true|safe))\b"
    r"|\b(?:wondering|curious|out of curiosity|in theory|theoretically|a real person|in real life)\b"
)
FIRST_PERSON_NOW = re.compile(
    r"\b(?:i'm|i am|i've|i have|i just|i can't|i cannot|i took|i swallowed|right now|now)\b"
)
MILD_RULE = re.compile(
    r"\b(?:a (?:bit|little)|probably nothing|no blisters|size of a|the odd|occasional(?:ly)?|now and (?:then|again)|"
    r"(?:i'm|he's|she's|they're|feeling|feels) (?:fine|ok|okay|better) now|back to normal|went back to|mild(?:ly)?|"
    r"slight(?:ly)?)\b"
)


# Plans and precautions: "we're going hiking next month", "just in case", "before our trip".
FUTURE = re.compile(
    r"\b(?:next (?:week|month|year|weekend|summer|winter|spring|autumn|term|trip)|planning (?:a|our|my) (?:trip|"
    r"holiday|vacation|hike|walk|climb|expedition|session|lesson|class)|"
    r"upcoming|in case|before (?:our|my|the) (?:trip|holiday|vacation|hike)|going (?:hiking|camping|skiing|"
    r"diving|climbing|trekking|on (?:a |holiday|vacation))|preparing (?:for|a)|be prepared)\b"
)


def uncertain(message: str, text: str, clause: str) -> bool:
    """A rule hit in this message is uncertain (``message`` as typed, ``text`` normalised, ``clause``
    the clause the rule matched in: mildness counts only there, "a bit dizzy earlier but now she is
    unconscious" is not mild)."""
    if URGENT.search(text):
        return False
    if JOKE.search(text) or EMOJI_JOKE.search(message) or MILD_RULE.search(clause) or FUTURE.search(text):
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


# Whose suicidal thoughts: "how do you ask someone whether they're thinking about suicide" is about
# another person; only a first-person statement is tier 1 whatever the framing.
SOMEONE_ELSE = re.compile(
    r"\b(?:they're|they are|they|he's|he is|he|she's|she is|she|someone|somebody|whether|people|a person|patients?)\b"
    r"[\w' ]{0,12}$"
)
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|me|my|myself)\b")


def someone_elses(found: re.Match[str], text: str) -> bool:
    """The suicidal phrase ``found`` is said of another person, not by the writer: a third person is
    its nearest subject ("... told me she was thinking about suicide")."""
    before = text[max(0, found.start() - 30) : found.start()]
    other = SOMEONE_ELSE.search(before)
    return bool(other) and not FIRST_PERSON.search(before[other.start() :] + found.group(0))


def idiom_wish(found: re.Match[str], text: str) -> bool:
    """The suicidal phrase ``found`` is a bare wish to die in a message about an embarrassment."""
    return bool(BARE_WISH.fullmatch(found.group(0))) and bool(EMBARRASSED.search(text))


# A question about a condition rather than a report of one: how to spot or prevent it, what it looks
# like, its stages, how rare or hereditary it is, whether it could happen again ("going hiking in
# winter, how would I spot hypothermia in my group", "my grandad had a heart attack, is it hereditary?").
TOPIC = re.compile(
    r"\b(?:how (?:would|do|can|could|should|to|will|did) (?:i |you |we |one |they |people )?(?:spot|tell|"
    r"recogni[sz]e|know|"
    r"notice|prevent|avoid|stop|protect|use|practi[sc]e|check for|treat)|how to (?:spot|tell|recogni[sz]e"
    r"|prevent|avoid)|"
    r"what (?:would|does|do|should|might|could) [\w' ]{0,40}look like|looks? like in (?:a|an|children|kid"
    r"s|babies|adults)|"
    r"(?:stages|types|kinds|grades|degrees) of|how (?:rare|common|likely)|is (?:it|that|this) (?:hereditary|genetic|"
    r"inherited|rare|common)|hereditary|genetic|inherited|runs? in (?:the |our |my )?famil\w*|in (?:the|o"
    r"ur|my|his|her) genes|"
    r"(?:more|less) likely|at (?:higher |more |greater )?risk|risks? of|chances? of|odds of|"
    r"could (?:it|that|this) have caused|happen(?:ing)? again|get it again|stop (?:that|it|this) happening|"
    r"trainer pen|practi[sc]e (?:with|on|using)|by core temp\w*|"
    r"(?:signs?|symptoms?) (?:of [\w ]{1,30} )?(?:should|do|must|to) (?:we|i|you|they) (?:watch|look|keep an eye) "
    r"(?:out )?for|what are (?:the )?(?:early |first |warning |main |usual )?(?:signs|symptoms)|"
    r"(?:where|best place) (?:to|should i|do i|do you|should we) (?:put|fit|install|place|mount)|"
    r"how long (?:till|until|before|does it take|would it take|to get)|(?:idea of|comfortable|confident) "
    r"(?:with )?using|if i (?:ever )?(?:had|have|need(?:ed)?) to)\b"
)
# A rule hit that only names a condition ("hypothermia", "heatstroke", "use an epipen", "having a heart
# attack") rather than describing a sign: in a topic question it is not a report of an emergency.
CONDITION_NAME = re.compile(
    r"hypotherm|heat ?stroke|sun ?stroke|carbon monoxide|co poisoning|sepsis|electrocut|lightning|"
    r"electric(?:al)? shock|drown|heart attack|stroke|epi ?pen|anaphyla|allergic reaction|thunderclap|"
    r"overdos|seizure|\bfits?\b|\bhypo\b|dka|ketoacidosis|meningitis|eclampsia|ectopic|poisoned|choking"
)


def topic_only(text: str, hit: str) -> bool:
    """``hit`` (a rule's match) only names a condition, in a message asking about the condition rather
    than reporting it, with no urgency or "happening now" cue."""
    return (
        len(hit.split()) <= 5
        and bool(CONDITION_NAME.search(hit))
        and bool(TOPIC.search(text))
        and not URGENT.search(text)
        and not NOW.search(text)
    )


# The writer denies suicidal intent ("I don't want to kill myself, but I've been feeling low"): the
# learned layer does not read the rest as self-harm; a suicidal statement elsewhere is still tier 1.
DENIAL = re.compile(
    r"\b(?:don't|do not|never|not|wouldn't|would never|won't) (?:\w+ )?(?:want|going|plan\w*|intend\w*|try\w*) to "
    r"(?:kill myself|die|end (?:it|my life|things)|hurt myself)\b|\b(?:i'm|i am) not suicidal\b"
)
