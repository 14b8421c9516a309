"""Step 1 of triage: the message as plain lower-case clauses, and the cues that make a symptom not current.

    text = normalise(message)                        # "my baby's temp is 39.8 | he hasn't woken up"
    now = drop_cues(text, hypothetical=True)         # what is said to be happening now

Lower case, accents folded, common typos, slang and contractions spelled out, punctuation turned
into clause breaks (" | "), but a decimal ("39.8", "39,8") kept whole. A negation removes only the
phrase it governs (up to the next "and", "but", "with", ... or six words), not the rest of the
clause, and a negation that is itself a sign ("not breathing", "hasn't woken up", "haven't felt
the baby move") removes nothing. A past marker ("last year") removes its clause; a hypothetical
("what if") the rest of its clause.
"""

from __future__ import annotations

import re
import unicodedata

SPELLING = {
    "cant": "can't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "wont": "won't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "im": "i'm",
    "ive": "i've",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "theres": "there's",
    "thats": "that's",
    "wanna": "want to",
    "gonna": "going to",
    "rn": "right now",
    "pls": "please",
    "plz": "please",
    "kms": "kill myself",
    "kys": "kill myself",
    "unalive": "kill",
    "pian": "pain",
    "vomitting": "vomiting",
    "vommiting": "vomiting",
    "breating": "breathing",
    "breahte": "breathe",
    "unconcious": "unconscious",
    "unconsious": "unconscious",
    "siezure": "seizure",
    "seziure": "seizure",
    "siezures": "seizures",
    "poo": "stool",
    "poop": "stool",
    "mum": "mom",
    "mums": "mom's",
    "mam": "mom",
    "bc": "because",
    "cuz": "because",
    "u": "you",
    "ur": "your",
    "youre": "you're",
    "gf": "girlfriend",
    "bf": "boyfriend",
    "temp": "temperature",
    "preggo": "pregnant",
}
_WORD = re.compile(r"[a-z0-9']+")


def normalise(message: str) -> str:
    text = unicodedata.normalize("NFKD", message.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00df", "ss")
    text = re.sub(r"(?<=\d)[.,](?=\d)", "\u00b7", text)  # a decimal ("39.8") is one number, not two clauses
    text = re.sub(r"\.{2,}|\u2026", " ", text)  # an ellipsis trails off; it does not end a clause
    text = re.sub(r"[.,;:!?\u3002\uff0c\uff1f\uff01]+", " | ", text)
    text = re.sub(r"[^a-z0-9'|\u00b7\s]+", " ", text).replace("\u00b7", ".")
    # "given IM and not IV": the intramuscular route, not "I'm"
    text = re.sub(
        r"\b(?<=given )im\b|\bim\b(?= (?:or|and|vs|versus|not|instead of|rather than) iv\b)|(?<=\biv or )im\b",
        "intramuscular",
        text,
    )
    text = _WORD.sub(lambda m: SPELLING.get(m.group(0), m.group(0)), text)
    text = re.sub(r"\b(?:bs|bg|bm|cbg)(?= ?\d)", "blood sugar", text)  # "bs 520", "bg 2.1"
    text = re.sub(r"\b(can't|cannot|can|can not|hardly|barely|not|stopped) breath\b", r"\1 breathe", text)
    text = re.sub(r"\bmy self\b", "myself", text)
    text = re.sub(r"\ball of a sudden\b", "suddenly", text)
    return re.sub(r"\s+", " ", text).strip()


def unreadable_script(message: str) -> bool:
    """Mostly letters outside the Latin alphabet (Chinese, Arabic, Cyrillic, Devanagari, ...)."""
    letters = [c for c in message if c.isalpha()]
    return bool(letters) and sum(ord(c) > 0x24F for c in letters) > len(letters) / 2


# --------------------------------------------------------------------------------------------
# Cues that make a symptom not an emergency now: negated, in the past, or hypothetical.

# A present-time anchor starts a new clause: "since my chest infection last week and today i've got a
# fever" is a past clause and a present one.
_CLAUSE_BREAK = re.compile(
    r" \| | (?:but|however|although|though|and now) | (?:and |but )?(?=(?:today|tonight|this (?:morning|afternoon|"
    r"evening)|right now)\b)"
)
# A negation followed by one of these is itself a sign ("not breathing", "hasn't woken up").
_SIGN_AFTER_NEGATION = (
    r"breath\w*|respond\w*|wak\w*|woken|woke|awake|conscious|mov\w*|react\w*|recogni[sz]\w*|"
    r"feed\w*|fed|eat\w*|drink\w*|fad\w*|blanch\w*|work\w*|help\w*|stop\w*|know|sure|worth|longer|"
    r"making (?:any )?sense|mak\w* sense|getting better|improving|answer\w*|able|one|one's|matter|"
    r"going away|go away|open\w* (?:his|her|their|my) eyes|(?:been )?pass\w* (?:urine|water)|pee\w*|"
    r"wee\w*|get\w* up|got up|(?:felt|feel\w*) (?:the |my |her |our )?baby|(?:felt|feel\w*) (?:any |a )?("
    r"?:kicks?|movements?)|"
    r"kick\w*|wet (?:a |any )?nappy|wet (?:a |any )?diaper|cry\w*|come round|come to|"
    r"want to (?:live|be alive|be here|wake up|exist|go on)|see (?:out of|anything|properly)|me|"
    r"(?:would|will) (?:even |really |ever )?(?:care|notice|miss)|"
    r"feel (?:my|his|her|their) (?:arm|leg|face|side|hand)"
)
_NEGATION = re.compile(
    r"\b(?:don't|do not|doesn't|does not|didn't|did not|not|no|isn't|is not|aren't|are not|wasn't|"
    r"never|without|haven't|have not|hasn't|has not|nor|nobody|none of (?:us|them))\b(?!\s+(?:really |pro"
    r"perly |fully |even )?(?:" + _SIGN_AFTER_NEGATION + r")\b)"
)
# Where a negation's reach ends: the next conjunction, or six words.
_NEGATION_SCOPE = re.compile(
    r"(?:\s+(?!(?:and|but|with|just|only|so|then|now|because|since|which|who|while|yet|although)\b)[\w'.]+){0,6}"
)
_PAST = re.compile(
    r"\b(?:last (?:week|month|year|summer|winter|spring|autumn|fall|time)|"
    r"(?:weeks|months|years|decades|summers|winters|springs|autumns|christmases) (?:ago|back)|"
    r"(?:a|one) (?:week|month|year|summer|winter|decade) (?:ago|back)|in (?:19|20)\d\d|back in (?:19|20)?\d\d|"
    r"in the (?:19|20|')?\d0 ?s|in the (?:fifties|sixties|seventies|eighties|nineties)|"
    r"when (?:i|he|she|they|we) (?:was|were)|when (?:my|his|her|our|their) (?:[\w']+ ){1,2}(?:was|were)|"
    r"as a (?:baby|child|kid|teenager|teen|toddler)|used to|in the past|history of|"
    r"(?:she's|he's|i'm|they're|we're|she is|he is|i am) (?:fine|okay|ok|better) now|"
    r"doing (?:much )?better now|died (?:of|from)|passed away|(?:a )?long time ago|long ago|(?<!at )once|"
    r"in (?:his|her|my|their|our) (?:life|lifetime)|as a (?:young|little) (?:man|woman|boy|girl)|"
    # someone's history: an earlier pregnancy, a war, "back then"
    r"with (?:my|her) (?:first|last|previous|eldest|older|second|other)(?: one| baby| pregnancy| child| s"
    r"on| daughter)?|"
    r"(?:in|during) the (?:war|army|navy|military)|back (?:then|in the day)|never (?:talked|talks|spoke) about it|"
    # recovered, or someone who has died: "recovered from co poisoning", "my late father"
    r"recovered from|(?:my|his|her|our|their) late|all through (?:school|uni|university|college|(?:his|her|my) teens)|"
    r"(?:is|she's|he's|they're|i'm) doing (?:really |very )?(?:great|well|fine|ok|okay|good)(?: now)?|"
    r"back (?:at|in) (?:uni|university|college|school)|\w+ years on)\b"
)
_HYPOTHETICAL = re.compile(
    r"(?<!sure )(?<!check )(?<!see )(?<!tell )(?<!wonder )\b(?:if|what if|in case|suppose|"
    r"supposing|imagine|hypothetically)\b"
)


def _drop_negated(clause: str) -> str:
    while (found := _NEGATION.search(clause)) is not None:
        scope = _NEGATION_SCOPE.match(clause, found.end())
        clause = clause[: found.start()] + " ~ " + clause[scope.end() :]
    return re.sub(r"\s+", " ", clause.replace("~", " "))


# A clause right after a past one, with nothing in it saying present ("back in 2021 my husband had a
# heart attack at work, chest pain down his arm, ..."), tells the same story: it is past too.
_PRESENT = re.compile(
    r"\b(?:now|today|tonight|this (?:morning|afternoon|evening|week)|currently|at the moment|still|again|"
    r"just|since|keeps?|started|starting|suddenly|is|are|am|has|have|isn't|aren't|hasn't|haven't|can't|"
    r"cannot|won't|doesn't|don't|feels?|looks?|seems?|help|please)\b|'(?:s|re|m)\b"
)


_RECOVERED = re.compile(
    r"\b(?:(?:she's|he's|i'm|they're|we're|she is|he is|i am|they are|we are) (?:fine|okay|ok|better|back to normal)"
    r" now|doing (?:much )?better now)\b"
)


def not_now(text: str) -> bool:
    """The text has a past or hypothetical cue (not a negation)."""
    return bool(_PAST.search(text) or _HYPOTHETICAL.search(text))


def drop_cues(text: str, *, hypothetical: bool) -> str:
    """The normalised text less what is negated, past, or (with ``hypothetical``) hypothetical."""
    clauses = []
    after_past = False
    for clause in _CLAUSE_BREAK.split(text):
        if _PAST.search(clause):
            after_past = True
            # "my son choked on a grape but he's fine now": the recovery puts the clause before it in
            # the past too, unless that clause says present.
            if _RECOVERED.search(clause) and clauses and not _PRESENT.search(clauses[-1]):
                clauses.pop()
            continue
        if after_past and not _PRESENT.search(clause):
            after_past = False  # only the one clause right after a past one inherits it
            continue
        after_past = False
        clause = _drop_negated(clause)
        if hypothetical:
            clause = _HYPOTHETICAL.split(clause, maxsplit=1)[0]
        clauses.append(clause.strip())
    return " | ".join(c for c in clauses if c)
