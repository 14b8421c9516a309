"""Safety layer for the medassist chat: emergency triage, disclaimer, input checks.

The fine-tuned model is an educational assistant, not a clinician, so the chat
front end runs every user message through this module *before* the model:

* :func:`validate_message` rejects empty or over-long input with a friendly reply.
* :func:`check_emergency` spots messages that describe a medical emergency or
  self-harm happening *now* (to the user or someone with them).  For those the
  app answers with :func:`emergency_reply` instead of generating text.
* :func:`screen` is the policy the chat service applies: an emergency is answered
  first (never told to shorten), then empty or over-long input is rejected.
* :data:`DISCLAIMER` is shown permanently next to the chat.

Detection is rule based (standard library ``re`` only, well under a millisecond a
message).  The text is lower-cased, accents folded, common typos and slang spelled
out ("cant breath", "kms"), and split into clauses.  A negation ("I don't have
chest pain") or a hypothetical ("what should I do if ...") drops the rest of its
clause, a past marker ("last year", "when I was 12") the clause, unless the
negation is itself a sign ("not breathing", "won't wake up").  First-person
suicidal statements are then flagged whatever the framing; other patterns need a
message about a real person now rather than a textbook question or exam vignette.
Common emergency phrasings in Spanish, French, German, Portuguese and Italian are
recognised; other text the rules cannot read gets ``kind="language"``: a reply in
plain words to call the local emergency number.  ``medassist.serve.safety_eval``
measures all this on a labelled set.  Nothing here logs or stores message text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "DISCLAIMER",
    "LANGUAGES_READ",
    "MAX_MESSAGE_CHARS",
    "EmergencyMatch",
    "Screened",
    "check_emergency",
    "emergency_reply",
    "screen",
    "validate_message",
]

DISCLAIMER = (
    "medassist provides general educational information only. It is not a diagnosis "
    "or treatment and does not replace a qualified clinician; please consult one about "
    "your health. In an emergency, call your local emergency number (e.g. 911, 112, 999) now."
)


@dataclass(frozen=True)
class EmergencyMatch:
    """Result of :func:`check_emergency`: what kind of emergency was detected."""

    category: str  # e.g. "stroke", "gi_bleeding", "self_harm", "other_language"
    kind: str  # "emergency", "self_harm", or "language" (a message the rules cannot read)
    lang: str = "en"  # language of the message: "en", one of LANGUAGES_READ, or "und"


# Languages whose emergency phrasings the rules read; other text gets the "language" reply.
MAX_MESSAGE_CHARS = 4000  # a question, not a document; the token budget is checked too
EMERGENCY_SCAN_CHARS = 20_000  # the emergency check reads at most this much of a message

LANGUAGES_READ = ("en", "es", "fr", "de", "pt", "it")


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# --------------------------------------------------------------------------------------------
# Normalisation: lower case, accents folded, common typos/slang/contractions spelled out, and
# punctuation turned into clause breaks (" | ") so negation/past/hypothetical cues stay local.

_SPELLING = {
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
    "siezure": "seizure",
    "seziure": "seizure",
    "poo": "stool",
    "poop": "stool",
    "mum": "mom",
    "mums": "mom's",
}
_WORD = re.compile(r"[a-z0-9']+")


def _normalise(message: str) -> str:
    text = unicodedata.normalize("NFKD", message.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00df", "ss")
    text = re.sub(r"\.{2,}|\u2026", " ", text)  # an ellipsis trails off; it does not end a clause
    text = re.sub(r"[.,;:!?\u3002\uff0c\uff1f\uff01]+", " | ", text)
    text = re.sub(r"[^a-z0-9'|\s]+", " ", text)
    text = _WORD.sub(lambda m: _SPELLING.get(m.group(0), m.group(0)), text)
    text = re.sub(r"\b(can't|cannot|can|can not|hardly|barely|not|stopped) breath\b", r"\1 breathe", text)
    text = re.sub(r"\bmy self\b", "myself", text)
    text = re.sub(r"\ball of a sudden\b", "suddenly", text)
    return re.sub(r"\s+", " ", text).strip()


def _unreadable_script(message: str) -> bool:
    """Mostly letters outside the Latin alphabet (Chinese, Arabic, Cyrillic, Devanagari, ...)."""
    letters = [c for c in message if c.isalpha()]
    return bool(letters) and sum(ord(c) > 0x24F for c in letters) > len(letters) / 2


_ENGLISH_WORDS = frozenset(
    "the a an is are of what how i my and to in for with it this that be can should after have has why "
    "which when he she his her me you your does".split()
)
_FOREIGN_WORDS = frozenset(
    "el la los las del que es un una mi por con se al para esta estoy tengo muy y le les des du et est "
    "je j'ai une mon ma pas ne sont quels quelles der das und ist ich nicht ein eine mein meine sind "
    "habe os da meu minha nao sao quais com il di che non sono ho mio dolor douleur".split()
)


def _foreign(text: str) -> bool:
    """Written in a Latin-script language other than English (judged by common function words)."""
    words = text.split()
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    return foreign >= 2 and foreign > sum(w in _ENGLISH_WORDS for w in words)


# --------------------------------------------------------------------------------------------
# Cues that make a symptom not an emergency now: negated, in the past, or hypothetical.
# Each removes the rest of its clause (or, for the past, the whole clause).

_CLAUSE_BREAK = re.compile(r" \| | (?:but|however|although|though|and now) ")
_NEGATION = re.compile(
    r"\b(?:don't|do not|doesn't|does not|didn't|did not|not|no|isn't|is not|aren't|are not|wasn't|"
    r"never|without|haven't|hasn't|nor)\b(?!\s+(?:breath\w*|respond\w*|wak\w*|awake|conscious|mov\w*|"
    r"feed\w*|eat\w*|drink\w*|fad\w*|blanch\w*|work\w*|help\w*|stop\w*|know|sure|worth|longer|"
    r"making sense|getting better|improving|answer\w*|able|one|one's|matter|going away|go away|"
    r"want to (?:live|be alive|be here|wake up|exist|go on)))"
)
_PAST = re.compile(
    r"\b(?:last (?:week|month|year|summer|winter|spring|autumn|fall|time)|(?:weeks|months|years|decades) ago|"
    r"(?:a|one) (?:week|month|year) ago|in (?:19|20)\d\d|when (?:i|he|she|they|we) (?:was|were)|"
    r"as a (?:baby|child|kid|teenager|teen|toddler)|used to|in the past|history of|"
    r"(?:she's|he's|i'm|they're|we're|she is|he is|i am) (?:fine|okay|ok|better) now|"
    r"doing (?:much )?better now|died (?:of|from)|passed away)\b"
)
_HYPOTHETICAL = re.compile(
    r"(?<!sure )(?<!check )(?<!see )(?<!tell )(?<!wonder )\b(?:if|what if|in case|suppose|"
    r"supposing|imagine|hypothetically)\b"
)


def _drop_cues(text: str, *, hypothetical: bool) -> str:
    clauses = []
    for clause in _CLAUSE_BREAK.split(text):
        if _PAST.search(clause):
            continue
        clause = _NEGATION.split(clause, maxsplit=1)[0]
        if hypothetical:
            clause = _HYPOTHETICAL.split(clause, maxsplit=1)[0]
        clauses.append(clause.strip())
    return " | ".join(c for c in clauses if c)


# --------------------------------------------------------------------------------------------
# Who the message is about / how it is framed.

_SELF_STATE = re.compile(
    r"\b(?:my|our|we're|we are|i'm|i am|i've|i have|i had|i just|i think|i feel|"
    r"i can't|i cannot|i took|i swallowed|i ate|i drank|i got|i was|i keep|i need)\b"
)
_URGENT = re.compile(
    r"\b(?:right now|please help|help please|somebody help|someone help|help us|hurry|asap|"
    r"call(?:ing)? (?:911|999|112|000|an ambulance|ems)|ambulance)\b"
)
_EDUCATIONAL = _rx(
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
_STUDY = re.compile(
    r"\b(?:patients?|exams?|quiz|lectures?|textbook|mnemonics?|usmle|osce|pharmacology|physiology|"
    r"anatomy|biochem\w*|studying)\b"
)

_POSS = r"(?:my|his|her|their|our|the)"
_CANT = r"(?:can't|cannot|can not|unable to|struggling to|barely|can barely|can hardly|hardly)"
_BE = r"(?:'s|'re|'m|\s+is|\s+are|\s+am|\s+was|\s+has been|\s+have been)"

# --------------------------------------------------------------------------------------------
# First-person suicidal statements: flagged whatever the framing (after negation/past cues).

_SELF_HARM_DIRECT = _rx(
    r"\b(?:kill(?:ing)?|hang(?:ing)?|shoot(?:ing)?|poison(?:ing)?|drown(?:ing)?) myself\b",
    r"\b(?:cut(?:ting)?|hurt(?:ing)?|harm(?:ing)?|burn(?:ing)?) myself\b(?!\s+(?:while|when|with a|on a|"
    r"on the|shaving|cooking|playing|at|by accident|accidentally))",
    r"\b(?:end(?:ing)?|tak(?:e|ing)) my (?:own )?life\b|\bend(?:ing)? it all\b|\bcut my wrists?\b",
    r"\b(?:going to|want to|will|i'll|about to|planning to|plan to|ready to)\s+end (?:it|everything|things)\b",
    r"\bi\b.{0,40}\b(?:commit(?:ting)? suicide|want to die|wanting to die)\b|^want to die\b",
    r"\b(?:wish i (?:was|were) dead|better off dead|want to be dead|better off without me)\b",
    r"\b(?:don't|do not) want to (?:live|be alive|be here|wake up|exist|go on)\b",
    r"\b(?:i'm|i am|i feel|i've been|i have been|i keep)\s+(?:(?!not\b|never\b)[\w']+\s+)?"
    r"(?:feeling\s+|having\s+|getting\s+)?suicidal\b|^suicidal\b",
    r"\b(?:thinking|thought|thoughts) (?:about|of) (?:suicide|killing myself|ending (?:it|my life))\b",
    r"\b(?:going to|want to|planning to|plan to|about to)\s+(?:overdose|od)\b",
    r"\b(?:going to|will|about to|want to|planning to)\s+(?:take|swallow)\s+(?:them all|all (?:of )?"
    r"(?:my|the|these|those|them)\b)",
    r"\b(?:jump|jumping) (?:off|from) (?:a |the |this |that )?(?:bridge|roof|building|balcony|cliff|tower|"
    r"window)|\b(?:jump|jumping|step|stepping) in front of (?:a |the )?(?:train|car|bus|truck)\b",
    r"\b(?:want|wish|hope)\b.{0,40}\b(?:disappear forever|never wake up|not wake up|sleep forever|"
    r"stop existing)\b|\bso i can sleep forever\b",
    r"\b(?:nobody|no one|noone) (?:would|will) (?:care|notice|miss me)\b",
    r"\b(?:wrote|written|writing|left) (?:my |a )?(?:goodbye|suicide) (?:letters?|notes?|messages?)\b",
    r"\blife (?:isn't|is not|is no longer|ain't) worth living\b",
)

# Common emergency phrasings in the other languages the rules read (accents already folded).
_FOREIGN_RULES: list[tuple[str, str, str, re.Pattern[str]]] = [
    ("es", "self_harm", "self_harm", _rx(r"\bsuicidarme\b|\bquiero morir|\bme quiero morir\b|\bmatarme\b")),
    ("es", "chest_pain", "emergency", _rx(r"\bdolor\b(?: \w+){0,2} (?:en el|de|del) pecho\b")),
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
    ("fr", "self_harm", "self_harm", _rx(r"\bje veux mourir\b|\bme suicider\b|\bme tuer\b")),
    ("fr", "chest_pain", "emergency", _rx(r"\b(?:douleur|mal)\b(?: \w+){0,2} (?:a |dans )?la poitrine\b")),
    (
        "fr",
        "breathing",
        "emergency",
        _rx(
            r"\bne respire (?:plus|pas)\b|\bn'arrive pas a respirer\b|"
            r"\bpeux pas respirer\b|\bs'etouffe\b"
        ),
    ),
    ("fr", "seizure", "emergency", _rx(r"\bcrise d'epilepsie\b|\bconvuls\w*|\binconscient\w*")),
    ("de", "self_harm", "self_harm", _rx(r"\bmich umbringen\b|\bwill sterben\b|\bsuizid\w*|\bmich toten\b")),
    ("de", "chest_pain", "emergency", _rx(r"\bbrustschmerz\w*|\bschmerzen in der brust\b")),
    ("de", "breathing", "emergency", _rx(r"\batmet nicht\b|\bkeine luft\b|\bkann nicht atmen\b")),
    ("de", "unconscious", "emergency", _rx(r"\bbewusstlos\b|\bkrampfanfall\b|\bvergiftet\b")),
    ("pt", "self_harm", "self_harm", _rx(r"\bme matar\b|\bquero morrer\b|\bme suicidar\b")),
    ("pt", "chest_pain", "emergency", _rx(r"\bdor\b(?: \w+){0,2} no peito\b")),
    ("pt", "breathing", "emergency", _rx(r"\bnao (?:esta |consigo |consegue )?respira\w*|\bengasg\w*")),
    ("pt", "unconscious", "emergency", _rx(r"\bdesmai\w*|\binconsciente\b|\bconvuls\w*")),
    ("it", "self_harm", "self_harm", _rx(r"\buccidermi\b|\bvoglio morire\b|\bsuicidarmi\b")),
    ("it", "chest_pain", "emergency", _rx(r"\bdolore (?:\w+ )?al petto\b")),
    ("it", "breathing", "emergency", _rx(r"\bnon (?:riesco a |riesce a )?respira\w*")),
    ("it", "unconscious", "emergency", _rx(r"\bsvenut\w*|\bincosciente\b|\bconvulsion\w*")),
]

_DRUG = (
    r"(?:[\w']+ )?(?:pills|tablets|tabs|capsules|meds|medications?|medicines?|tylenol|paracetamol|"
    r"acetaminophen|ibuprofen|aspirin|insulin|xanax|opioids?|oxy\w*|antidepressants|painkillers|fentanyl|"
    r"heroin|methadone|morphine|benzos|valium|diazepam|sertraline|lithium|digoxin|iron)"
)
_HOUSEHOLD = (
    r"(?:bleach|drain cleaner|antifreeze|rat poison|poison|pesticide|weed killer|detergent|laundry pods?|"
    r"dishwasher (?:tablets?|pods?)|cleaning (?:products?|fluid|spray|stuff)|button batter(?:y|ies)|"
    r"lye|ammonia|gasoline|petrol|paraffin|kerosene|lighter fluid|windshield washer|oven cleaner|"
    r"[\w']+ cleaner|windex|mouthwash|nail polish remover|e ?liquid|vape juice|magnets|(?:a |the )?batter(?:y|ies)|"
    r"something)"
)

# (category, kind, pattern): need a person/urgency cue, vetoed by educational framing.
_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "self_harm",
        "self_harm",
        _rx(
            r"\b(?:kill\w*|hurt\w*|harm\w*|cut\w*|hang\w*|shoot\w*) (?:himself|herself|themselves|themself)\b",
            r"\b(?:end|ending|take|taking) (?:his|her|their) (?:own )?life\b",
            r"\b(?:is|'s|are|'re|seems|sounds|feels|been)\s+(?:(?!not\b|never\b)[\w']+\s+)?suicidal\b",
            r"\b(?:he|she|they)\b(?: [\w']+){0,5}? wants? to (?:die|end it)\b|\bthreaten\w* (?:suicide|to kill)\b",
            r"\bgoodbye (?:message|letter|note|post|text)\b|\bcut (?:his|her|their) wrists?\b",
        ),
    ),
    (
        "chest_pain",
        "emergency",
        _rx(
            r"\bchest (?:pains?|pressure|tightness|discomfort)\b",
            r"\b(?:pains?|pressure|tightness|heaviness)\b(?: [\w']+){0,5} chest\b",
            r"\bclutching (?:his|her|my|their) chest\b|\belephant\b.{0,30}\bchest\b|\bchest\b.{0,30}\belephant\b",
            r"\bchest\s+(?:[\w']+\s+){0,4}(?:crushed|squeezed)\b",
            r"\bchest\s+(?:[\w']+\s+){0,2}(?:is|feels)\s+(?:so\s+|really\s+|very\s+)?(?:crushing|heavy|tight)\b",
            r"\bchest (?:hurts|is hurting|aches|is killing)\b",
            r"\b(?:having|have) (?:a |an )?heart attack\b",
        ),
    ),
    (
        "stroke",
        "emergency",
        _rx(
            r"\b(?:face|mouth|smile)\s+(?:(?:is|looks|has|started|suddenly|all)\s+)*"
            r"(?:drooping|droopy|droops|drooped|dropped|sagging|lopsided|crooked|uneven)\b",
            r"\b(?:drooping|droopy|sagging) (?:face|mouth|smile)\b",
            r"\b(?:one|left|right) side of " + _POSS + r" (?:face|body|mouth)\b",
            r"\bslurr(?:ed|ing)\b",
            r"\b(?:words?|speech)\b(?: [\w']+){0,4} (?:jumbled|garbled|muddled|slurred|gibberish)\b",
            r"\b(?:can't|cannot) (?:speak|talk) properly\b",
            r"\bsudden(?:ly)?\s+(?:[\w']+\s+){0,2}(?:weak(?:ness)?|numb(?:ness)?|paraly\w*|"
            + _CANT
            + r" (?:move|feel|lift|speak|talk|see))\b",
            r"\b" + _CANT + r" (?:move|lift|feel) " + _POSS + r" (?:left|right) (?:arm|leg|hand|side)\b",
            r"\b(?:lost|losing|loss of) (?:the )?(?:vision|sight) in (?:one|my|his|her) (?:left |right )?eye\b",
            r"\bhaving (?:a |another )?stroke\b",
            r"\bworst headache (?:of|in) "
            + _POSS
            + r" life\b|\bworst headache (?:i've|i have|he's|she's|ever)\b|"
            r"\bthunderclap\b|\bsudden(?:ly)? (?:severe|excruciating|explosive) headache\b",
        ),
    ),
    (
        "choking",
        "emergency",
        _rx(
            r"\b(?:is|'s|are|'re|am|'m|started|keeps)\s+choking\b|\bchoking and\b",
            r"\b(?:stuck|lodged) in (?:my|his|her|their|the) (?:throat|windpipe|airway)\b",
        ),
    ),
    (
        "breathing",
        "emergency",
        _rx(
            r"\b(?:not|isn't|stopped|stops|quit) breathing\b",
            r"\b" + _CANT + r" breathe?\b(?! (?:through|out of) (?:my |his |her |the )?nose)",
            r"\bgasping\b|\bcan't get (?:any )?air\b",
            r"\b(?:having|has|have|with|in) (?:a lot of |severe |serious |real |so much |sudden )?"
            r"(?:trouble|difficulty|"
            r"problems?|a hard time) breathing\b",
            r"\b(?:severe|extreme|sudden) (?:shortness of breath|breathlessness)\b|\bcan't catch "
            + _POSS
            + r" breath\b",
            r"\bshort of breath\b.{0,40}\b(?:can't|cannot) (?:finish|talk|speak|say)\b",
            r"\b(?:turning|going|turned) (?:blue|purple|gr[ae]y)\b",
            r"\b(?:lips|face|skin) (?:are|is|look|looks) (?:blue|purple|gr[ae]y)\b",
            r"\binhaler (?:isn't|is not|not|doesn't|does not) (?:working|helping)\b|\bwheezing (?:so |really |very )?"
            r"(?:badly|bad|heavily)\b",
            r"\bbreathing (?:(?:really|very|so) )?(?:fast|shallow|rapidly|weird\w*|strange\w*)\b",
        ),
    ),
    (
        "anaphylaxis",
        "emergency",
        _rx(
            r"\bthroat\b(?: [\w']+){0,4} (?:closing|swelling|swollen|tight(?:ening)?)\b",
            r"\b(?:tongue|lips|face|throat)\b(?: [\w']+){0,3}? (?:swelling|swollen|huge|puffing up|blowing up)\b",
            r"\bhives\b.{0,40}\b(?:wheez\w*|breath\w*|swell\w*|throat|faint\w*)|\b(?:wheez\w*|swell\w*)\b.{0,40}\bhives\b",
            r"\b(?:need|use|used|using|give|gave|giving|grab|inject|injected)\s+(?:my|his|her|their|an|the|"
            r"our)\s+epi ?pens?\b",
            r"\b(?:having|in|going into|has|had) (?:an? )?(?:bad |severe |serious )?(?:anaphylactic (?:shock|reaction)|"
            r"anaphylaxis|allergic reaction)\b",
        ),
    ),
    (
        "overdose",
        "emergency",
        _rx(
            r"\b(?:took|taken|take|swallowed|ate|downed|had|did|taking)\b(?: [\w']+){0,3}? (?:\d{2,}|a bunch|a lot|"
            r"a load|loads|a (?:whole |full |entire )?(?:bottle|pack|packet|box|strip|handful)|the (?:whole|entire) "
            r"(?:bottle|pack|packet|box)|handfuls|all (?:of )?(?:my|his|her|their|the)|"
            r"some of (?:my|his|her|their|the)|"
            r"too (?:many|much)|double|triple|extra)\b(?: [\w']+){0,4}? " + _DRUG + r"\b",
            r"\b(?:overdosed|overdosing|od'd)\b|\b(?:took|taken|had|having) an overdose\b",
        ),
    ),
    (
        "poisoning",
        "emergency",
        _rx(
            r"\b(?:swallowed|drank|drunk|ate|eaten|ingested|swallowing|drinking|got into|licked|chewed)\b"
            r"(?: [\w']+){0,5}? " + _HOUSEHOLD + r"\b",
            r"\bgot into (?:the |my |his |her )?(?:[\w']+ ){0,2}"
            r"(?:cupboard|cabinet|medicines?|pills|chemicals|garage)\b",
            r"\bmixed\b.{0,30}\b(?:bleach|ammonia|chemicals|cleaners?)\b|\bcarbon monoxide\b",
            r"\b(?:been|was|got|is|am|'m) poisoned\b",
        ),
    ),
    (
        "gi_bleeding",
        "emergency",
        _rx(
            r"\b(?:vomit\w*|throwing up|threw up|puk\w*|(?:coughing|coughed|spitting)(?: up)?|bringing up)\s+"
            r"(?:(?:a lot of|lots of|some|bright red|dark|fresh)\s+)?blood\b",
            r"\b(?:vomit\w*|throwing up|threw up|puk\w*)\b.{0,30}\bcoffee grounds?\b",
            r"\b(?:black|tarry|tar like|maroon)\b(?: [\w']+){0,3} (?:stools?|bowel movements?)\b|"
            r"\bstools?\b(?: [\w']+){0,2} (?:black|tarry|like tar)\b",
        ),
    ),
    (
        "bleeding",
        "emergency",
        _rx(
            r"\b(?:won't|will not|doesn't|does not|isn't|is not|hasn't|has not|can't|cannot|not|unable to)\s+"
            r"(?:[\w']+\s+)?stop(?:ping)?\s+(?:the\s+)?bleed\w*\b",
            r"\bbleeding\s+(?:[\w']+\s+)?(?:won't|will not|doesn't|does not|isn't|is not|hasn't|not)\s+"
            r"(?:stop|stopping|stopped|slowing)\b",
            r"\bbleeding\s+(?:(?:very|so|really|quite)\s+)?(?:heavily|badly|bad|profusely|a lot|everywhere|so much|"
            r"out|nonstop|non stop)\b",
            r"\bblood (?:is )?(?:everywhere|gushing|spurting|pouring)\b|\blosing (?:a lot of |so much )?blood\b",
            r"\b(?:a lot of|lots of|so much|loads of)\s+(?:bright red |fresh |dark )?blood\b",
            r"\b(?:heavy|severe|uncontrollable|uncontrolled|massive) bleeding\b",
        ),
    ),
    (
        "seizure",
        "emergency",
        _rx(
            r"\bseiz\w*\s+(?:[\w']+\s+){0,4}(?:won't|will not|doesn't|does not|isn't|is not|not)\s+"
            r"(?:stop|stopping|stopped|ending|ended)\b",
            r"\b(?:seizing|convulsing|seizure|fitting|shaking)\s+(?:[\w']+\s+)?for\s+(?:over |more than |about |"
            r"almost )?(?:\d+|five|ten|fifteen|twenty|several)\s+(?:minutes|mins)\b",
            r"(?:\b(?:keeps?)|"
            + _BE
            + r")\s+(?:[\w']+\s+)?(?:seizing|convulsing|fitting|having (?:a |another )?"
            r"(?:seizure|fit|convulsion)s?)\b",
            r"\bseizures? in a row\b|\b(?:two|three|several|multiple|\d+) seizures\b|\bback to back seizures\b",
        ),
    ),
    (
        "unconscious",
        "emergency",
        _rx(
            r"\b(?:unconscious|unresponsive|out cold)\b",
            r"\b(?:not|isn't|is not|stopped) (?:responding|responsive|waking up)\b",
            r"\bwon't wake up\b|\b" + _CANT + r" wake (?:him|her|them|my|up)\b",
            r"\b(?:just|suddenly)\s+(?:passed out|fainted)\b|\bcollapsed\b(?!\s+lung)",
            r"\b(?:collapsed|passed out|fainted)\s+and\s+(?:[\w']+\s+){0,3}(?:isn't|is not|won't|not|can't)\b",
        ),
    ),
    (
        "infant",
        "emergency",
        _rx(
            r"\b(?:baby|baby's|infant|newborn|(?:\d+|one|two|three|six) (?:day|week|month)s? old)\b(?: [\w']+){0,8}? "
            r"(?:fever|temperature|temp|floppy|limp|won't feed|isn't feeding|not feeding|stopped feeding|refus\w* "
            r"(?:to )?feed\w*|hard to wake|very sleepy|lethargic|blue|grunting|pale|fell)\b",
            r"\brash that (?:doesn't|does not|won't) fade\b|\bnon blanching\b|\bbulging (?:fontanelle|soft spot)\b",
        ),
    ),
    (
        "injury",
        "emergency",
        _rx(
            r"\b(?:was|been|got|is|'s|just got|has been|have been|'ve been)\s+(?:stabbed|shot)\b",
            r"\b(?:hit|struck|run over|knocked down) by an? (?:car|truck|bus|vehicle|train|motorbike|motorcycle|van)\b",
            r"\b(?:hit|banged|bumped|struck) (?:my|his|her|their) head\b.{0,80}\b(?:vomit\w*|throwing up|threw up|"
            r"unconscious|confused|passed out|blacked out|seiz\w*|won't wake)",
            r"\b(?:can't|cannot) (?:move|feel) (?:my|his|her|their) (?:legs|arms|body|feet)\b",
            r"\b(?:broke|broken|snapped) (?:my|his|her|their) (?:neck|back|spine)\b",
            r"\b(?:car crash|car accident|trapped|electrocuted|drowning|nearly drowned)\b",
            r"\bfell (?:into|in) (?:the |a )?(?:pool|water|river|lake|pond|sea)\b",
            r"\bburn\w*\b.{0,40}\b(?:badly|severe\w*|blisters?|all over|boiling|chemical)\b",
        ),
    ),
    (
        "other_emergency",
        "emergency",
        _rx(
            r"\b(?:blood sugar|glucose|sugar)\b.{0,60}"
            r"\b(?:confused|not making sense|drowsy|unresponsive|passing out)\b",
            r"\b(?:stomach|belly|abdomen|tummy) is (?:rock hard|rigid)\b|\bpain is (?:unbearable|excruciating)\b",
            r"\btesticle\b.{0,40}\b(?:sudden\w*|severe\w*|extremely|swollen)\b|\bsudden\w*\b.{0,30}\btesticle",
            r"\bstiff neck\b.{0,60}\b(?:fever|rash)\b|\b(?:fever|rash)\b.{0,60}\bstiff neck\b|\bpurple rash\b",
            r"\b(?:fever|temperature)\b.{0,50}\b(?:confused|delirious|not making sense|hard to wake)\b",
            r"\bpregnant\b.{0,60}\b(?:bleeding|severe (?:[\w']+ )?pain|sudden (?:[\w']+ )?pain)\b",
            r"\bsudden (?:severe |sharp |intense )?(?:belly|abdominal|stomach|tummy) pain\b",
        ),
    ),
]

# Context where a pattern is routinely non-urgent (e.g. heavy menstrual bleeding).
_EXCLUDE = {"bleeding": re.compile(r"\b(?:period|periods|menstrua\w*)\b")}


def check_emergency(message: str) -> EmergencyMatch | None:
    """Return an :class:`EmergencyMatch` if ``message`` describes an emergency now, else None.

    A message mostly in a script the rules cannot read, or in a language they only know emergency
    phrasings of, gets ``kind="language"`` when no emergency phrasing matches.
    """
    if not (message or "").strip():
        return None
    if _unreadable_script(message):
        return EmergencyMatch(category="other_language", kind="language", lang="und")
    text = _normalise(message)
    if not text.strip(" |"):
        return None
    for lang, category, kind, pattern in _FOREIGN_RULES:
        if pattern.search(text):
            return EmergencyMatch(category=category, kind=kind, lang=lang)
    if _foreign(text):
        return EmergencyMatch(category="other_language", kind="language", lang="und")
    text = _drop_cues(text, hypothetical=False)
    if _SELF_HARM_DIRECT.search(text):
        return EmergencyMatch(category="self_harm", kind="self_harm")
    text = _drop_cues(text, hypothetical=True)
    urgent = bool(_URGENT.search(text))
    personal = urgent or (
        not _STUDY.search(text) and (bool(_SELF_STATE.search(text)) or not _EDUCATIONAL.search(text))
    )
    if not personal:
        return None
    for category, kind, pattern in _RULES:
        excluded = category in _EXCLUDE and _EXCLUDE[category].search(text)
        if pattern.search(text) and not excluded:
            return EmergencyMatch(category=category, kind=kind)
    return None


# One line in the writer's language, put before the English reply.
_CALL_NOW = {
    "es": "Si es una emergencia, llame ahora al {number} o al número de emergencias local.",
    "fr": "S'il s'agit d'une urgence, appelez maintenant le {number} ou le numéro d'urgence local.",
    "de": "Wenn es ein Notfall ist, rufen Sie jetzt die {number} oder Ihre örtliche Notrufnummer an.",
    "pt": "Se for uma emergência, ligue agora para o {number} ou para o número de emergência local.",
    "it": "Se è un'emergenza, chiama subito il {number} o il numero di emergenza locale.",
}


def emergency_reply(
    match: EmergencyMatch, emergency_number: str = "911", crisis_line: str | None = None
) -> str:
    """Fixed reply for a detected emergency.

    ``emergency_number`` is the local number to call; ``crisis_line`` (e.g. "116 123 (Samaritans)")
    replaces the US 988 Lifeline in the self-harm reply.
    """
    number = str(emergency_number).strip() or "911"
    other_numbers = (
        "Emergency numbers differ by country (for example 112 in the EU, 999 in the UK, 000 in Australia)."
    )
    local = _CALL_NOW.get(match.lang, "").format(number=number)
    prefix = f"{local}\n\n" if local else ""
    if match.kind == "language":
        return (
            f"{prefix}I can only read questions in English, so I may not have understood your message.\n\n"
            f"If this is an emergency, call {number} or your local emergency number now. {other_numbers}"
        )
    if match.kind == "self_harm":
        crisis = (crisis_line or "").strip()
        line = (
            f"You can call {crisis}, any time, day or night. You can also find a crisis line at "
            "https://findahelpline.com."
            if crisis
            else "In the US, you can call or text 988 (988 Suicide & Crisis Lifeline), any time, day "
            "or night. Outside the US, please contact your local crisis line; you can find one at "
            "https://findahelpline.com."
        )
        return (
            f"{prefix}I'm really sorry you're going through this. You deserve support, and you don't "
            "have to face it alone.\n\n"
            f"If you are in immediate danger or have hurt yourself, call {number} or your local "
            f"emergency number now. {other_numbers}\n\n"
            f"{line}\n\n"
            "Please reach out to one of them, or to someone you trust, right now. A chatbot "
            "can't give you the help you deserve."
        )
    return (
        f"{prefix}This sounds like it could be a medical emergency. Please call "
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
        return 'Please type a medical question, for example: "What are the common side effects of metformin?"'
    if len(text) > max_chars:
        return (
            f"Your message is {len(text):,} characters; please shorten it to at most "
            f"{max_chars:,} characters (or split it into separate questions)."
        )
    return None


@dataclass(frozen=True)
class Screened:
    """Why a message must not reach the model, and the reply it gets instead."""

    kind: str  # "emergency" (incl. self-harm and unreadable languages) or "invalid" (empty, too long)
    reply: str


def screen(
    message: str | None, emergency_number: str = "911", crisis_line: str | None = None
) -> Screened | None:
    """The fixed reply for a message that must not reach the model, or None when it may.

    The emergency check comes first: a long description of an emergency is answered, never told to
    shorten. Only the first EMERGENCY_SCAN_CHARS characters are read."""
    text = (message or "").strip()
    if text:
        match = check_emergency(text[:EMERGENCY_SCAN_CHARS])
        if match is not None:
            return Screened("emergency", emergency_reply(match, emergency_number, crisis_line))
    invalid = validate_message(text, MAX_MESSAGE_CHARS)
    return None if invalid is None else Screened("invalid", invalid)
