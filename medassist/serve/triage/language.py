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
SURE = 0.9  # ... so sure that a stray "i" or "in" does not make the message English


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# (lang, category, kind, pattern) on the normalised text (lower case, accents folded): a small
# lexicon per category of the triage list, lay words first, for the five languages read.
_E, _S = "emergency", "self_harm"
FOREIGN_RULES: list[tuple[str, str, str, re.Pattern[str]]] = [
    # Spanish
    (
        "es",
        "suicide",
        _S,
        _rx(
            r"\bsuicid\w*|\bquiero morir|\bme quiero morir\b|\bmatarme\b|\bno quiero (?:seguir )?vivir\b|"
            r"\bquitarme la vida\b"
        ),
    ),
    (
        "es",
        "heart_attack",
        _E,
        _rx(r"\bdolor\b(?: \w+){0,2} (?:en el|de|del) pecho\b|\binfarto\b(?=.{0,30}\b(?:ahora|creo))"),
    ),
    ("es", "breathing", _E, _rx(r"\bno (?:puedo |puede )?respir\w*|\blabios (?:morados|azules)\b")),
    ("es", "choking", _E, _rx(r"\batragant\w*|\bse (?:esta )?ahog\w*")),
    (
        "es",
        "stroke",
        _E,
        _rx(
            r"\b(?:cara|boca) (?:torcida|caida)\b|\bno puede (?:hablar|mover|levantar)\b|\bderrame\b|\bictus\b"
        ),
    ),
    ("es", "seizure", _E, _rx(r"\bconvulsi\w*|\bataque epileptico\b")),
    ("es", "unconscious", _E, _rx(r"\bse desmay\w*|\bno despierta\b|\binconsciente\b|\bno responde\b")),
    ("es", "overdose", _E, _rx(r"\bsobredosis\b|\b(?:demasiadas|muchas|todas las) (?:pastillas|pildoras)\b")),
    (
        "es",
        "poisoning",
        _E,
        _rx(r"\b(?:tomo|bebio|trago|comio)\b.{0,30}\b(?:lejia|veneno|pastillas|cloro|pila|bateria)\b"),
    ),
    (
        "es",
        "meningitis",
        _E,
        _rx(r"\bmanchas (?:moradas|rojas|purpuras)\b|\bno desaparecen al presionar\b|\brigidez de nuca\b"),
    ),
    (
        "es",
        "bleeding",
        _E,
        _rx(
            r"\bsangra (?:mucho|sin parar)\b|\bsangre (?:sale )?a chorros\b|\bno (?:para|deja) de sangrar"
            r"\b|\bvomit\w* sangre\b"
        ),
    ),
    (
        "es",
        "pregnancy",
        _E,
        _rx(
            r"\bembarazada\b.{0,80}\b(?:sangr\w*|dolor fuerte|vision|hinchad\w*)|\bno (?:siento|se mueve)"
            r"\b.{0,10}\bbebe\b"
        ),
    ),
    ("es", "infant", _E, _rx(r"\bbebe\b.{0,60}\b(?:fiebre|no (?:come|respira|despierta)|flacido|morado)\b")),
    (
        "es",
        "diabetic_emergency",
        _E,
        _rx(r"\bdiabetic\w*\b.{0,80}\b(?:confus\w*|sudando|temblando|no responde)\b"),
    ),
    ("es", "confusion", _E, _rx(r"\bmuy confundid\w*|\bno sabe donde esta\b")),
    (
        "es",
        "anaphylaxis",
        _E,
        _rx(
            r"\b(?:labios|lengua|garganta|cara)\b.{0,20}\b(?:hinchad\w*|se (?:le )?(?:hincha|cierra))|"
            r"\bse (?:le |les )?hinch\w*\b.{0,30}\b(?:labios|lengua|garganta|cara)\b|"
            r"\breaccion alergica\b|\banafila\w*"
        ),
    ),
    (
        "es",
        "sepsis",
        _E,
        _rx(r"\bfiebre\b.{0,80}\b(?:confundid\w*|respira (?:muy )?rapido|manchas|piel (?:moteada|marmorea))"),
    ),
    (
        "es",
        "asthma",
        _E,
        _rx(
            r"\basma\b.{0,60}\b(?:no (?:le )?(?:funciona|ayuda)|no puede hablar)|\binhalador\b.{0,30}\bno (?:le )?"
            r"(?:funciona|ayuda)"
        ),
    ),
    (
        "es",
        "eye_injury",
        _E,
        _rx(
            r"\bojos?\b.{0,40}\b(?:lejia|quimic\w*|acido|sosa|cloro)\b|"
            r"\b(?:lejia|quimic\w*|acido|sosa caustica|cloro)\b.{0,40}\bojos?\b"
        ),
    ),
    # French
    (
        "fr",
        "suicide",
        _S,
        _rx(r"\bje veux mourir\b|\bme suicider\b|\bme tuer\b|\ben finir\b|\bne veux plus vivre\b"),
    ),
    ("fr", "heart_attack", _E, _rx(r"\b(?:douleur|mal)\b(?: \w+){0,2} (?:a |dans )?la poitrine\b")),
    (
        "fr",
        "breathing",
        _E,
        _rx(r"\bne respire (?:plus|pas)\b|\bn'arrive pas a respirer\b|\bpeux pas respirer\b|\bs'etouffe\b"),
    ),
    (
        "fr",
        "stroke",
        _E,
        _rx(
            r"\bbouche (?:qui tombe|tordue|de travers)\b|\bvisage (?:paralyse|de travers|qui tombe)\b|"
            r"\bn'arrive plus a (?:parler|lever|bouger)\b|\bavc\b"
        ),
    ),
    ("fr", "seizure", _E, _rx(r"\bcrise d'epilepsie\b|\bconvuls\w*")),
    (
        "fr",
        "unconscious",
        _E,
        _rx(r"\binconscient\w*|\bne repond (?:plus|pas)\b|\bs'est evanoui\w*|\bne se reveille pas\b"),
    ),
    ("fr", "overdose", _E, _rx(r"\btrop de (?:medicaments|comprimes|cachets)\b|\bsurdose\b|\boverdose\b")),
    (
        "fr",
        "poisoning",
        _E,
        _rx(r"\b(?:avale|bu|mange)\b.{0,30}\b(?:javel|poison|medicaments|pile|produit)\b"),
    ),
    (
        "fr",
        "meningitis",
        _E,
        _rx(r"\btaches (?:violettes|pourpres|rouges)\b|\braideur (?:de la )?nuque\b|\bpurpura\b"),
    ),
    (
        "fr",
        "bleeding",
        _E,
        _rx(
            r"\bsaigne (?:beaucoup|abondamment|sans arret)\b|\bsang (?:gicle|jaillit)\b|\bsaigne\b.{0,20}"
            r"\bne s'arrete pas\b|\bvomit\w* du sang\b"
        ),
    ),
    (
        "fr",
        "pregnancy",
        _E,
        _rx(
            r"\benceinte\b.{0,80}\b(?:saign\w*|douleur|vision|mal de tete|gonfl\w*)|\bsens plus (?:le )?bebe\b"
        ),
    ),
    (
        "fr",
        "infant",
        _E,
        _rx(
            r"\bbebe\b.{0,60}\b(?:fievre|ne (?:veut|boit|mange) pas|mou|bleu)\b|\b\d+ mois\b.{0,40}\bfievre\b"
        ),
    ),
    (
        "fr",
        "diabetic_emergency",
        _E,
        _rx(r"\bdiabetique\b.{0,80}\b(?:confus\w*|transpire|tremble|ne repond)"),
    ),
    ("fr", "confusion", _E, _rx(r"\btres confus\w*|\bne sait (?:plus )?ou (?:il|elle) est\b")),
    (
        "fr",
        "anaphylaxis",
        _E,
        _rx(
            r"\b(?:levres|langue|gorge|visage)\b.{0,20}\b(?:gonfl\w*|enfl\w*)|\breaction allergique\b|"
            r"\banaphyla\w*"
        ),
    ),
    ("fr", "sepsis", _E, _rx(r"\bfievre\b.{0,80}\b(?:confus\w*|respire (?:tres )?vite|marbr\w*|taches)")),
    (
        "fr",
        "asthma",
        _E,
        _rx(
            r"\basthme\b.{0,60}\b(?:ne (?:marche|fonctionne|l'aide) pas|n'arrive (?:pas|plus) a parler)|"
            r"\b(?:inhalateur|ventoline)\b.{0,30}\bne (?:marche|fonctionne|l'aide|fait rien)"
        ),
    ),
    (
        "fr",
        "eye_injury",
        _E,
        _rx(
            r"\b(?:yeux|oeil)\b.{0,40}\b(?:javel|chimique|acide|soude)\b|"
            r"\b(?:javel|chimique|acide|soude)\b.{0,40}\b(?:yeux|oeil)\b"
        ),
    ),
    # German
    (
        "de",
        "suicide",
        _S,
        _rx(
            r"\bmich umbringen\b|\bwill sterben\b|\bsuizid\w*|\bmich toten\b|\bnicht mehr leben\b|"
            r"\bvon allen verabschiedet\b"
        ),
    ),
    ("de", "heart_attack", _E, _rx(r"\bbrustschmerz\w*|\bschmerzen in der brust\b")),
    ("de", "breathing", _E, _rx(r"\batmet nicht\b|\bkeine luft\b|\bkann nicht atmen\b")),
    (
        "de",
        "stroke",
        _E,
        _rx(
            r"\bschlaganfall\b(?!.{0,30}\bvor \d+ jahren)|\b(?:gesicht|mund) (?:hangt|ist schief)\b|"
            r"\bkann nicht (?:mehr )?(?:sprechen|reden)\b"
        ),
    ),
    ("de", "choking", _E, _rx(r"\berstick\w*|\bverschluckt\b(?!.{0,20}\b(?:batterie|tablette))")),
    ("de", "seizure", _E, _rx(r"\bkrampf\w*|\bepileptische\w* anfall\b")),
    (
        "de",
        "unconscious",
        _E,
        _rx(
            r"\bbewusstlos\b|\bkrampfanfall\b|\bvergiftet\b|\breagiert nicht\b|\bwacht nicht auf\b|"
            r"\bohnmachtig\b"
        ),
    ),
    ("de", "overdose", _E, _rx(r"\bzu viele tabletten\b|\buberdosis\b")),
    (
        "de",
        "poisoning",
        _E,
        _rx(
            r"\b(?:getrunken|verschluckt|gegessen)\b.{0,30}\b(?:putzmittel|bleiche|gift|tabletten|batterie)\b|"
            r"\b(?:putzmittel|bleiche|gift|tabletten|batterie)\b.{0,30}\b(?:getrunken|verschluckt|gegessen)\b"
        ),
    ),
    (
        "de",
        "meningitis",
        _E,
        _rx(r"\b(?:lila|violette|rote) (?:flecken|punkte)\b|\bnackensteif\w*|\bsteife\w* nacken\b"),
    ),
    (
        "de",
        "bleeding",
        _E,
        _rx(
            r"\bblutet (?:stark|sehr stark|heftig)\b|\bblutet\b.{0,30}\bhort nicht auf\b|\bblut (?:spritz"
            r"t|schiesst)\b|\berbricht blut\b"
        ),
    ),
    (
        "de",
        "pregnancy",
        _E,
        _rx(
            r"\bschwanger\b.{0,80}\b(?:blut\w*|starke schmerzen|sehe|kopfschmerz\w*|geschwollen)\b|"
            r"\bkeine kindsbewegungen\b|\bkind bewegt sich nicht\b"
        ),
    ),
    ("de", "infant", _E, _rx(r"\b(?:baby|saugling)\b.{0,60}\b(?:fieber|trinkt nicht|schlapp|blau)\b")),
    (
        "de",
        "diabetic_emergency",
        _E,
        _rx(
            r"\bdiabetiker\w*\b.{0,80}\b(?:verwirrt|zittert|schwitzt|reagiert nicht)\b|"
            r"\bunterzucker\w*"
        ),
    ),
    ("de", "confusion", _E, _rx(r"\b(?:plotzlich|sehr) verwirrt\b")),
    (
        "de",
        "anaphylaxis",
        _E,
        _rx(
            r"\b(?:lippen|zunge|hals|gesicht|rachen)\b.{0,20}\b(?:schwell\w*|geschwollen)|"
            r"\ballergische\w* (?:reaktion|schock)\b|\banaphyla\w*"
        ),
    ),
    (
        "de",
        "sepsis",
        _E,
        _rx(r"\bfieber\b.{0,80}\b(?:verwirrt|atmet (?:sehr )?schnell|fleckig|marmoriert)\b"),
    ),
    (
        "de",
        "asthma",
        _E,
        _rx(
            r"\b(?:schlecht|kaum) luft\b|\basthma\b.{0,60}\b(?:hilft nicht|kann nicht sprechen)|"
            r"\b(?:spray|inhalator)\b.{0,20}\bhilft nicht"
        ),
    ),
    (
        "de",
        "eye_injury",
        _E,
        _rx(
            r"\baug\w*\b.{0,40}\b(?:chemikali\w*|saure|lauge|bleiche|putzmittel|reiniger)\b|"
            r"\b(?:chemikali\w*|saure|lauge|bleiche|putzmittel|reiniger)\b.{0,40}\baug\w*"
        ),
    ),
    # Portuguese
    (
        "pt",
        "suicide",
        _S,
        _rx(r"\bme matar\b|\bquero morrer\b|\bme suicidar\b|\bnao quero (?:mais )?viver\b"),
    ),
    ("pt", "heart_attack", _E, _rx(r"\bdor\b(?: \w+){0,2} no peito\b")),
    ("pt", "breathing", _E, _rx(r"\bnao (?:esta |consigo |consegue )?respira\w*|\bengasg\w*")),
    (
        "pt",
        "stroke",
        _E,
        _rx(
            r"\bavc\b|\bderrame\b|\b(?:boca|rosto) (?:torta|torto|caido|caida)\b|"
            r"\bnao consegue (?:falar|mexer|levantar)\b"
        ),
    ),
    (
        "pt",
        "unconscious",
        _E,
        _rx(r"\bdesmai\w*|\binconsciente\b|\bconvuls\w*|\bnao acorda\b|\bnao responde\b"),
    ),
    ("pt", "overdose", _E, _rx(r"\boverdose\b|\b(?:muitos|demasiados|todos os) (?:comprimidos|remedios)\b")),
    (
        "pt",
        "poisoning",
        _E,
        _rx(r"\b(?:bebeu|engoliu|tomou|comeu)\b.{0,30}\b(?:agua sanitaria|veneno|lixivia|pilha|bateria)\b"),
    ),
    (
        "pt",
        "meningitis",
        _E,
        _rx(r"\bmanchas (?:roxas|vermelhas)\b|\brigidez (?:na|de) nuca\b|\bpescoco (?:duro|rigido)\b"),
    ),
    (
        "pt",
        "bleeding",
        _E,
        _rx(
            r"\bsangra\w* muito\b|\bsangue (?:jorr\w*|a jorrar|esguich\w*)|\bnao para de sangrar\b|\bvomit\w* sangue\b"
        ),
    ),
    (
        "pt",
        "pregnancy",
        _E,
        _rx(r"\bgravida\b.{0,80}\b(?:sangr\w*|dor forte|visao|inchad\w*)|\bbebe (?:nao )?(?:mexe|se mexe)\b"),
    ),
    ("pt", "infant", _E, _rx(r"\bbebe\b.{0,60}\b(?:febre|nao (?:mama|come)|mole|roxo)\b")),
    (
        "pt",
        "diabetic_emergency",
        _E,
        _rx(r"\bdiabetic\w*\b.{0,80}\b(?:confus\w*|suando|tremendo|nao responde)\b"),
    ),
    ("pt", "confusion", _E, _rx(r"\bmuito confus\w*|\bnao sabe onde (?:esta|estou)\b")),
    (
        "pt",
        "anaphylaxis",
        _E,
        _rx(
            r"\b(?:labios|lingua|garganta|rosto)\b.{0,20}\b(?:inchad\w*|inchando)|\breacao alergica\b|"
            r"\banafila\w*"
        ),
    ),
    ("pt", "sepsis", _E, _rx(r"\bfebre\b.{0,80}\b(?:confus\w*|respira\w* (?:muito )?rapido|manchas)")),
    (
        "pt",
        "asthma",
        _E,
        _rx(
            r"\basma\b.{0,60}\b(?:nao (?:esta )?(?:ajuda|funciona)\w*|mal consegue falar)|"
            r"\bbombinha\b.{0,30}\bnao\b|\bmal consegue (?:falar|respirar)\b"
        ),
    ),
    (
        "pt",
        "eye_injury",
        _E,
        _rx(
            r"\bolhos?\b.{0,40}\b(?:soda caustica|agua sanitaria|quimic\w*|acido|lixivia)\b|"
            r"\b(?:soda caustica|agua sanitaria|quimic\w*|acido|lixivia)\b.{0,40}\bolhos?\b"
        ),
    ),
    # Italian
    (
        "it",
        "suicide",
        _S,
        _rx(
            r"\buccidermi\b|\bvoglio morire\b|\bsuicidarmi\b|\bnon voglio (?:piu )?vivere\b|\bfarla finita\b"
        ),
    ),
    ("it", "heart_attack", _E, _rx(r"\bdolore (?:\w+ )?al petto\b")),
    ("it", "breathing", _E, _rx(r"\bnon (?:riesco a |riesce a )?respira\w*|\bsoffoca\w*")),
    (
        "it",
        "stroke",
        _E,
        _rx(r"\bictus\b|\b(?:faccia|bocca) storta\b|\bnon riesce (?:piu )?a (?:parlare|muovere|alzare)\b"),
    ),
    (
        "it",
        "unconscious",
        _E,
        _rx(r"\bsvenut\w*|\bincosciente\b|\bconvulsion\w*|\bnon risponde\b|\bnon si sveglia\b"),
    ),
    ("it", "overdose", _E, _rx(r"\btroppe (?:pillole|pastiglie|compresse)\b|\boverdose\b")),
    (
        "it",
        "poisoning",
        _E,
        _rx(
            r"\b(?:bevuto|ingoiato|mangiato)\b.{0,30}\b(?:candeggina|veleno|pastiglie|pillole|detersivo|batteria|pila)\b"
        ),
    ),
    (
        "it",
        "meningitis",
        _E,
        _rx(r"\bmacchie (?:viola|rosse)\b|\brigidita (?:nucale|del collo)\b|\bcollo rigido\b"),
    ),
    (
        "it",
        "bleeding",
        _E,
        _rx(
            r"\bsanguina (?:molto|tanto)\b|\bsangue (?:esce )?a fiotti\b|\bsangu\w*\b.{0,40}\bnon si ferm"
            r"a\b|\bvomita sangue\b"
        ),
    ),
    (
        "it",
        "pregnancy",
        _E,
        _rx(
            r"\bincinta\b.{0,80}\b(?:sangu\w*|dolore forte|vedo|mal di testa|gonfi\w*)|\b(?:bambino|bimbo"
            r") non si muove\b"
        ),
    ),
    (
        "it",
        "infant",
        _E,
        _rx(
            r"\b(?:neonato|(?:bimb|bambin)[oa] di \d+ (?:mesi|settimane))\b.{0,60}\b(?:febbre|non mangia|non beve)\b"
        ),
    ),
    ("it", "diabetic_emergency", _E, _rx(r"\bdiabetic\w*\b.{0,80}\b(?:confus\w*|suda|trema|non risponde)\b")),
    ("it", "confusion", _E, _rx(r"\bmolto confus\w*|\bnon sa dove si trova\b")),
    (
        "it",
        "anaphylaxis",
        _E,
        _rx(r"\b(?:labbra|lingua|gola|viso)\b.{0,20}\bgonfi\w*|\breazione allergica\b|\banafila\w*"),
    ),
    ("it", "sepsis", _E, _rx(r"\bfebbre\b.{0,80}\b(?:confus\w*|respira (?:molto )?veloce|macchie)")),
    (
        "it",
        "asthma",
        _E,
        _rx(
            r"\basma\b.{0,60}\b(?:non (?:funziona|aiuta)|non riesce a parlare)|"
            r"\b(?:inalatore|spray|ventolin)\b.{0,30}\bnon (?:funziona|aiuta)"
        ),
    ),
    (
        "it",
        "eye_injury",
        _E,
        _rx(
            r"\bocchi\w*\b.{0,40}\b(?:candeggina|soda caustica|chimic\w*|acido)\b|"
            r"\b(?:candeggina|soda caustica|chimic\w*|acido)\b.{0,40}\bocchi\w*"
        ),
    ),
]
# A phrasing read in another language is not a current emergency when negated just before ("no tengo
# dolor en el pecho"), or in an exam question, a past event or a hypothetical ("si mon enfant avale ...").
_FOREIGN_NEGATION = re.compile(
    r"\b(?:no|sin|pas|ni|ne|kein\w*|nicht|ohne|nao|nem|non|senza|sans|nessun\w*|ningun\w*|aucun\w*|nenhum\w*)\b"
    r"(?: \w+){0,1} $"
)
_FOREIGN_NOT_NOW = re.compile(
    r"\b(?:examen|exame|prova|esame|prufung|klausur|pregunta|question d|questao|domanda|caso clinico|paciente|patient|"
    r"paziente|anos atras|referat|hausarbeit|vorlesung|studium|tarea|trabajo de clase|devoir|expose|cours de|"
    r"tesina|compito|lezione|trabalho (?:da|de) (?:escola|faculdade)|aula de|partiel|partiels|parcial|"
    r"(?:diferencia|difference|diferenca|differenza|unterschied) (?:entre|tra|fra|zwischen)|"
    # fiction: "estoy escribiendo una novela y un personaje se ahoga"
    r"novela|roman|romanzo|personaje|personnage|personaggio|personagem|romanfigur|escribiendo|escrevendo|"
    r"scrivendo|j'ecris|ich schreibe)\b|"
    # the past: "hace tres anos", "il y a deux ans", "vor drei Jahren", "ha tres anos", "due anni fa"; a death
    r"\b(?:hace|ha|il y a|vor) (?:\d+|un|una|uma|um|dos|duas|deux|zwei|tres|trois|drei|cuatro|quatro|quatre|vier|"
    r"cinco|cinq|funf|\w+) (?:anos|ans|jahren|meses|mois|monaten)\b|\b(?:\d+|\w+)(?: |')(?:anni|mesi) fa\b|"
    r"\b(?:l'anno scorso|el ano pasado|l'annee derniere|l'an dernier|letztes jahr|(?:o )?ano passado)\b|"
    r"\b(?:murio|morreu|faleceu|fallecio|morto|morta|mort|morte) (?:de|di|du|d')\b|"
    r"\b(?:gestorben|verstorben)\b|"
    r"^(?:si (?:mon|ma|mes|un|une|quelqu'un|mi|una|alguien|el|la)|se (?:il|la|mio|mia|qualcuno|o|a|meu|minha|alguem)|"
    r"wenn|was mache ich wenn|que faire si|que hacer si|o que fazer se|cosa fare se)\b|"
    r"\b(?:que faut il faire|was mache ich)\b"
)


_ENGLISH_WORDS = frozenset(
    "the a an is are of what how i my and to in for with it this that be can should after have has why "
    "which when he she his her me you your does i'm it's he's she's can't don't not no".split()
)
_FOREIGN_WORDS = frozenset(
    "el la los las del que es un una mi por con se al para esta estoy tengo muy y le les des du et est "
    "je j'ai une mon ma pas ne sont quels quelles der das und ist ich nicht ein eine mein meine sind "
    "habe os da meu minha nao sao quais com il di che non sono ho mio dolor douleur "
    "de het een en van ik mijn niet is zijn heeft kan wat hoe "  # Dutch
    "ve bir bu cok icin ne var yok ben benim mi cok "  # Turkish (accents folded)
    "jest nie sie w z na do mam moj moja moje mnie jak co bardzo "  # Polish
    "og er har ikke jeg min mit det ja nej hun han paa pa med til av jag och inte ar har mitt hennes "  # Nordic
    "quiero quero morir morrer matar mourir sterben morire".split()  # verbs of the suicide phrasings
)
# A one-to-three-word call for help in another language: deflected with the emergency number.
_HELP_WORDS = {
    "ayuda": "es",
    "socorro": "es",
    "auxilio": "es",
    "secours": "fr",
    "aidez": "fr",
    "hilfe": "de",
    "notfall": "de",
    "notarzt": "de",
    "aiuto": "it",
    "soccorso": "it",
    "ajuda": "pt",
    "socorre": "pt",
    "hulp": "nl",
    "noodgeval": "nl",
    "imdat": "tr",
    "yardim": "tr",
    "pomocy": "pl",
    "ratunku": "pl",
    "pomoc": "pl",
}


def foreign_emergency(text: str) -> tuple[str, str, str] | None:
    """(lang, category, kind) of an emergency phrasing in a language the rules read, else None."""
    words = text.split()
    if _FOREIGN_NOT_NOW.search(text) or sum(w in _ENGLISH_WORDS for w in words) > sum(
        w in _FOREIGN_WORDS for w in words
    ):
        return None  # negated, not now, or English ("how is an opioid overdose reversed")
    for lang, category, kind, pattern in FOREIGN_RULES:
        for found in pattern.finditer(text):
            if not _FOREIGN_NEGATION.search(text[max(0, found.start() - 20) : found.start()]):
                return lang, category, kind
    return None


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def foreign_language(message: str, text: str) -> str | None:
    """The ISO 639-1 code of a message not in English (``message`` as typed, ``text`` normalised), else None.

    Foreign when the detector is fairly sure and English function words do not outnumber foreign
    ones, or very sure and under a quarter of the words are English function words ("moj tata
    wymiotuje krwia i jest bardzo blady": one "i"), or when a short message is a known call for help
    in another language ("hilfe", "ayuda", "pomocy").
    """
    words = text.split()
    english = sum(w in _ENGLISH_WORDS for w in words)
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    if len(words) <= 3 and (help_word := next((w for w in words if w in _HELP_WORDS), None)) is not None:
        return _HELP_WORDS[help_word]
    if foreign >= 2 and foreign > english:
        lang, _ = _identifier().classify(message)
        return lang if lang != "en" else "und"
    lang, confidence = _identifier().classify(message)
    if lang == "en" or len(words) < 2:
        return None
    if confidence >= MIN_CONFIDENCE and english <= foreign:
        return lang
    if confidence >= SURE and english * 4 < len(words):
        return lang
    return None
