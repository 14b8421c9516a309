"""Step 3 of triage: the rules, the fast and precise first layer (a data table of regular expressions).

Each rule is (category, kind, pattern) and reads the normalised text with negated, past and
hypothetical parts dropped (medassist.serve.triage.normalise). SUICIDE_DIRECT and SELF_HARM_DIRECT,
first-person statements, are read whatever the framing; RULES only for a message about a real
person now (medassist.serve.triage.framing). Category ids follow docs/safety.md's triage list.
"""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


POSS = r"(?:my|his|her|their|our|the|your)"
CANT = r"(?:can't|cannot|can not|unable to|struggling to|barely|can barely|can hardly|hardly)"
BE = r"(?:'s|'re|'m|\s+is|\s+are|\s+am|\s+was|\s+has been|\s+have been)"

# --------------------------------------------------------------------------------------------
# First-person suicidal statements: flagged whatever the framing (after negation/past cues).

SELF_HARM_DIRECT = _rx(
    r"\b(?:razor|blade|sharpener)\b.{0,60}\b(?:deeper|can see (?:the )?(?:fat|bone))\b|\bdid it again\b.{"
    r"0,40}\b(?:razor|"
    r"blade|deeper|cut\w*)\b",
    r"\b(?:cut(?:ting)?|hurt(?:ing)?|harm(?:ing)?|burn(?:ing)?) myself\b(?!\s+(?:while|when|with a|on a|"
    r"on the|shaving|cooking|playing|at|by accident|accidentally))",
    r"\b(?:i|i've|i have|i just)\b.{0,20}\b(?:cut|sliced|burned|burnt) (?:my|into my) (?:arms?|legs?|thighs?|ski"
    r"n|wrists?)\b"
    r"(?=.{0,60}\b(?:deep|won't stop|bleeding|on purpose|again|fat|gaping)\b)",
    r"\b(?:burn\w*|cut|cutting|press\w*|held|slic\w*|hit|hitting|scratch\w*|carv\w*|stabb\w*|punch\w*)\b"
    r".{0,40}\b(?:my|myself)\b.{0,40}\b(?:on purpose|deliberately|intentionally)\b",
)
SUICIDE_DIRECT = _rx(
    r"\b(?:kill(?:ing)?|hang(?:ing)?|shoot(?:ing)?|poison(?:ing)?|drown(?:ing)?) myself\b",
    # indirect statements and plans (the triage list's "better off without me", goodbyes, giving things away)
    r"\b(?:everyone|everybody|they|my family|my kids|people)\b.{0,30}\bbetter off (?:without me|if i (?:was|were"
    r")n't|if i was gone|when i'm gone)\b",
    r"\b(?:giving|gave|given) (?:away )?(?:all )?(?:my|away my) (?:things|stuff|belongings|possessions|stuff awa"
    r"y)\b|\bgiving (?:my )?(?:things|stuff) away\b",
    r"\b(?:saying|said|say) (?:my )?goodbyes?\b.{0,40}\b(?:everyone|for good|forever|last time|won't be)\b|\bthi"
    r"s is (?:my )?goodbye\b",
    r"\b(?:no|nothing (?:left )?to) (?:reason to|point in) (?:live|living|go on|going on)\b|\bnothing (?:left )?"
    r"to live for\b|"
    r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|being alive)\b",
    r"\b(?:can't|cannot) (?:go on|do this) any ?more\b|\bwon't be (?:around|here) (?:much longer|tomorrow|anymor"
    r"e|for long)\b",
    r"\b(?:saved|saving|stockpil\w*|hoard\w*|collected|collecting) (?:up )?(?:my |all my |enough )?(?:pills|tabl"
    r"ets|meds|medication)\b",
    r"\b(?:bought|got|have) (?:a )?rope\b.{0,40}\b(?:tonight|myself|end|done)\b|\b(?:tonight|today) is the night\b",
    r"\bi'm (?:a burden|just a burden)\b.{0,60}\b(?:end|gone|die|dead|better off|planned|plan)\b",
    r"\b(?:i|i've)\b.{0,30}\b(?:decided|made up my mind)\b.{0,30}\b(?:end|die|done with life|kill)\b",
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
    r"\b(?:nobody|no one|noone) (?:would|will) (?:even |really |ever )?(?:care|notice|miss me)\b",
    r"\bbefore i (?:do it|go through with it|end it)\b|\b(?:been )?planning (?:it|my death|how to die)\b."
    r"{0,60}\b(?:weeks|tonight|"
    r"do it|gone|calm)\b",
    r"\b(?:wrote|written|writing|left) (?:my |a )?(?:goodbye|suicide) (?:letters?|notes?|messages?)\b",
    r"\blife (?:isn't|is not|is no longer|ain't) worth living\b",
    r"\b(?:tonight|today|now)\b.{0,20}\b(?:i'm|i am|im) (?:taking|swallowing) (?:them|it) all\b|"
    r"\b(?:taking|swallowing) (?:them|it) all (?:tonight|today)\b",
)

# A question about how much of something it takes to die: the crisis line whatever the framing (tier 2).
LETHAL_DOSE = re.compile(
    r"\bhow (?:many|much)\b[\w' ]{0,40}\b(?:would|does|will|do|to)\b[\w' ]{0,20}\b(?:take|need|it take) to "
    r"(?:not wake up|never wake up|die|kill (?:me|myself|you|yourself|a person|someone)|end (?:it|my life)|be fatal|"
    r"be lethal|go to sleep forever)\b|\b(?:make sure|ensure|guarantee) (?:an |the |my )?overdose (?:actually )?"
    r"works\b|\bbest way to (?:overdose|od)\b|\b(?:lethal|fatal) dose\b.{0,40}\b(?:for me|myself|i weigh|my weight)\b|"
    r"\b(?:least painful|painless|easiest|quickest|most peaceful) (?:way|method|ways) (?:to|of) "
    r"(?:die|dying|kill myself|end (?:it|my life))\b"
)

DRUG = (
    r"(?:[\w']+ )?(?:pills|tablets|tabs|capsules|meds|medications?|medicines?|tylenol|paracetamol|"
    r"acetaminophen|ibuprofen|aspirin|insulin|xanax|opioids?|oxy\w*|antidepressants|painkillers|fentanyl|"
    r"heroin|methadone|morphine|benzos|valium|diazepam|sertraline|lithium|digoxin|iron|zopiclone|zolpidem|"
    r"codeine|tramadol|amitriptyline|propranolol|quetiapine|pregabalin|gabapentin|sleeping (?:pills|tablets))"
)
HOUSEHOLD = (
    r"(?:bleach|drain cleaner|antifreeze|rat poison|poison|pesticide|weed killer|detergent|laundry pods?|"
    r"dishwasher (?:tablets?|pods?)|cleaning (?:products?|fluid|spray|stuff)|button batter(?:y|ies)|"
    r"lye|ammonia|gasoline|petrol|paraffin|kerosene|lighter fluid|windshield washer|oven cleaner|"
    r"[\w']+ cleaner|windex|mouthwash|nail polish remover|e ?liquid|vape juice|magnets|(?:a |the )?batter(?:y|ies)|"
    r"something)"
)

# (category, kind, pattern): need a person/urgency cue, vetoed by educational framing.
RULES: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "suicide",
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
        "pregnancy",
        "emergency",
        _rx(
            r"\bpregnant\b.{0,80}\b(?:bleeding|severe (?:[\w']+ )?pain|sudden (?:[\w']+ )?pain|blurr\w*|seeing ("
            r"?:spots|"
            r"stars|flashing)|flashing lights|vision|face (?:is )?(?:swollen|puffy)|hands (?:are )?(?:swollen|puffy)|"
            r"swollen (?:face|hands)|pounding headache|terrible headache|bad headache|fit|fitting|seiz\w*|"
            r"waters? (?:broke|broken|went)|cord|not moving|stopped moving|haven't felt|hasn't moved|no movement|"
            r"less movement|fewer (?:kicks|movements)|quiet|gush)\b",
            r"\b(?:haven't|hasn't|have not|has not|not|didn't|did not|can't|cannot) (?:felt|feel\w*) (?:the |my "
            r"|her |our )?"
            r"baby (?:move|kick|moving|kicking)\b|\bbaby (?:has|hasn't|hasnt|has not)? ?(?:stopped|not been|hasn"
            r"'t been|"
            r"isn't) (?:moving|kicking)\b|\b(?:fewer|less|reduced|no) (?:baby )?(?:movements|kicks)\b",
            r"\b(?:baby(?:'s)? )?(?:movements?|kicks?|kicking|moving)\b(?: [\w']+){0,2} (?:less|fewer|red"
            r"uced|slower|quieter|"
            r"stopped|not as much)\b(?=.{0,80}\b(?:weeks|pregnant)\b)|\b(?:weeks|pregnant)\b.{0,80}\b(?:baby(?:'s)? )?"
            r"(?:movements?|kicks?|kicking|moving)\b(?: [\w']+){0,2} (?:less|fewer|reduced|slower|quieter|stopped)\b",
            r"\bcord\b.{0,30}\b(?:coming out|came out|hanging|see|visible|prolapse\w*)\b|\bprolapsed cord\b",
            r"\bbaby\b.{0,30}\b(?:really |very |so |unusually )?quiet\b.{0,120}\b[2-4]\d ?(?:weeks|wks)\b",
            r"\b(?:[2-4]\d ?(?:weeks|wks)|pregnant|bump|midwife|due date)\b.{0,250}\bheadache\b.{0,150}\b"
            r"(?:vision|sight|"
            r"seeing (?:spots|stars|flashes)|sparkl\w*|flashing|blurr\w*)\b",
            r"\b(?:weeks|months) pregnant\b.{0,100}\b(?:bleeding|blood|pain|headache|vision|swollen|swelling|waters|"
            r"contractions|leaking)\b",
            r"\b(?:pre ?eclampsia|eclampsia|placental abruption|ectopic)\b.{0,40}\b(?:i think|could|might|worrie"
            r"d|signs|now)\b",
        ),
    ),
    (
        "meningitis",
        "emergency",
        _rx(
            r"\bstiff neck\b.{0,60}\b(?:fever|rash|spots|light|temperature)\b|\b(?:fever|rash|spots|temperature)"
            r"\b.{0,60}"
            r"\bstiff neck\b|\bpurple rash\b|\bneck is (?:really |very )?stiff\b.{0,40}\b(?:fever|temperature|light)\b",
            r"\b(?:purple|dark red|red|pinprick|tiny|little|blotchy) (?:spots|dots|marks|rash|bruises)\b.{0,80}"
            r"\b(?:glass|tumbler|don't fade|doesn't fade|won't fade|didn't fade|not fading|stay|still there|pres"
            r"s\w*|fever|"
            r"temperature|hot|floppy|drowsy|spreading)\b",
            r"\b(?:glass|tumbler)\b.{0,40}\b(?:rash|spots|marks)\b.{0,40}\b(?:still|don't|doesn't|won't|not)\b",
            r"\b(?:spots|rash|marks)\b.{0,30}\b(?:don't|doesn't|won't|didn't|do not|does not)\b.{0,10}\b(?:fade|"
            r"go|disappear|"
            r"blanch)\b.{0,30}\b(?:glass|press\w*|push\w*)\b",
            r"\b(?:fever|temperature)\b.{0,60}\b(?:light hurts|can't stand (?:the )?light|hates the light|bright"
            r" light)\b",
            r"\brash that (?:doesn't|does not|won't) fade\b|\bnon blanching\b",
        ),
    ),
    (
        "sepsis",
        "emergency",
        _rx(
            r"\b(?:fever|temperature|burning up|shivering|rigors)\b.{0,80}\b(?:confused|delirious|not making sen"
            r"se|hard to wake|"
            r"mottled|blotchy|blue|not peed|hasn't peed|no urine|not passing urine|haven't peed|not weeing|"
            r"breathing (?:really |very )?fast|going to die|like i'm dying|slurr\w*)\b",
            r"\b(?:mottled|blotchy|bluish|blue grey|grey) (?:skin|legs|knees|arms)\b|\bskin (?:is|looks) (?:mott"
            r"led|blotchy)\b",
            r"\b(?:feel|feels|feeling) like (?:i'm|i am|he's|she's) (?:going to die|dying)\b|\bsomething is (?:r"
            r"eally|very|"
            r"badly) wrong\b.{0,40}\b(?:fever|infection|shaking|cold)\b",
            r"\b(?:infection|wound|cellulitis|uti|kidney infection|chest infection|after (?:surgery|the operatio"
            r"n))\b.{0,80}"
            r"\b(?:confused|mottled|very fast breathing|breathing fast|can't stand|collapsed|not peed|no urine|"
            r"freezing and shaking|shaking uncontrollably)\b",
            r"\bsepsis\b.{0,30}\b(?:i think|could|might|signs|worried|now)\b|\b(?:i think|could it be|worried it"
            r"'s|might be)\b"
            r".{0,20}\bsepsis\b",
        ),
    ),
    (
        "diabetic_emergency",
        "emergency",
        _rx(
            r"\b(?:blood sugar|glucose|sugar|bg|bm|levels?)\b.{0,60}"
            r"\b(?:confused|not making sense|drowsy|unresponsive|passing out|passed out|won't wake|shaking|sweat\w*|"
            r"slurr\w*|aggressive|fitting|can't swallow)\b",
            r"\b(?:diabetic|diabetes|type (?:1|one|2|two)|insulin)\b.{0,80}\b(?:confused|unresponsive|won't wake|"
            r"not making sense|drowsy|collapsed|passed out|fruity|pear drops|nail polish|deep breath\w*|breathin"
            r"g (?:fast|"
            r"deep\w*|heav\w*)|vomiting|throwing up|acting drunk|slurr\w*|shaking and sweat\w*|sweat\w* and shaking)\b",
            r"\b(?:sugar|glucose|bg|reading|meter)\b.{0,20}\b(?:is|of|at|says|reads|showing) (?:only )?"
            r"(?:[1-2](?:\.\d)?|2[0-9]|30|[3-9]\d\d|hi|high|lo)\b(?: mmol| mg)?",
            r"\b(?:hypo|hypoglyc\w*|dka|ketoacidosis|ketones (?:are )?(?:high|very high|3|4|5|6))\b.{0,60}\b(?:n"
            r"ow|help|won't|"
            r"confused|vomit\w*|unresponsive|drowsy|not)\b|\b(?:having|in|is having) (?:a )?(?:bad )?(?:hypo|dka)\b",
            r"\bbreath smells? (?:fruity|sweet|like (?:pear drops|nail polish|acetone))\b",
        ),
    ),
    (
        "heat_stroke",
        "emergency",
        _rx(
            r"\b(?:heat ?stroke|sun ?stroke)\b",
            r"\b(?:collapsed|passed out|fainted|confused|not making sense)\b.{0,60}\b(?:in the (?:heat|sun)|heatwave|"
            r"hot (?:day|weather|car))\b",
            r"\b(?:heat|sun|hot|heatwave|marathon|running|run|race|festival|sauna|hot car|left in the car|workin"
            r"g outside|"
            r"exercise|exercising)\b.{0,80}\b(?:confused|collapsed|not making sense|fitting|seiz\w*|passed out|"
            r"stopped sweating|not sweating|hot and dry|hot dry skin|unresponsive|incoherent|delirious)\b",
            r"\b(?:temperature|temp|fever)\b.{0,20}\b(?:4[0-3](?:\.\d)?|10[4-9](?:\.\d)?)\b.{0,60}\b(?:confused|"
            r"collapsed|not making sense|hot|dry|sun|heat|not sweating)\b",
        ),
    ),
    (
        "hypothermia",
        "emergency",
        _rx(
            r"\bhypotherm\w*\b",
            r"\b(?:stopped|stopping|no longer|isn't|not) shivering\b",
            r"\b(?:cold|freezing|ice cold|icy|snow|outside all night|in the cold|out in the cold|frozen|cold wat"
            r"er|freezing water)"
            r"\b.{0,80}\b(?:confused|drowsy|won't wake|slow breathing|barely breathing|slurr\w*|unresponsive|"
            r"can't wake|very sleepy|stumbling|not making sense)\b",
            r"\b(?:temperature|temp)\b (?:is |of |at |was |reads |down to )?(?:only )?(?:3[0-4](?:\.\d)?|9[0-3]("
            r"?:\.\d)?)"
            r"\b(?! (?:minutes|mins|seconds|hours|days|weeks|years))",
        ),
    ),
    (
        "carbon_monoxide",
        "emergency",
        _rx(
            r"\bcarbon monoxide\b(?! (?:detector|alarm)s?\b(?! (?:is |went |keeps )?(?:going off|beeping|"
            r"sounding|off)))|"
            r"\bco (?:alarm|detector)s? (?:is |are |has |keeps |just )?(?:going off|gone off|went off|bee"
            r"ping|sounding)\b|"
            r"\bco poisoning\b",
            r"\b(?:boiler|heater|gas fire|furnace|generator|stove|fireplace|barbecue|bbq|charcoal|exhaust|engine"
            r" running)"
            r"\b.{0,120}\b(?:headaches?|dizzy|dizziness|sick|nause\w*|vomit\w*|drowsy|confused|passed out|collapsed)\b",
            r"\b(?:all|both|everyone|whole family|the whole house|all of us|we all|we've all|everybody)\b.{0,40}"
            r"\b(?:headaches?|"
            r"dizzy|sick|drowsy)\b.{0,80}\b(?:boiler|heater|gas|generator|fumes|smell|pilot light|flame)\b",
        ),
    ),
    (
        "drowning",
        "emergency",
        _rx(
            r"\b(?:drowning|nearly drowned|almost drowned|near drowning|drowned)\b",
            r"\b(?:fell|fallen|slipped) (?:into|in) (?:the |a )?(?:pool|water|river|lake|pond|sea|canal|bath)\b",
            r"\b(?:found|lying|floating)\b.{0,30}\b(?:bottom of|in) (?:the |a )?(?:\w+ )?"
            r"(?:pool|bath|pond|lake|river)\b",
            r"\b(?:pulled|dragged|fished|rescued|hauled) (?:\w+ ){0,2}(?:out of|from) (?:the |a )?(?:pool|water|"
            r"river|lake|pond|sea|ocean|surf|canal|bath)\b",
            r"\b(?:pulled|dragged|fished|got) (?:him|her|them|my \w+) out of (?:the |a )?(?:pool|water|river|lak"
            r"e|pond|sea|"
            r"canal|bath)\b",
            r"\b(?:face ?down|under ?water|underwater) (?:in (?:the |a )?(?:pool|bath|water|pond))\b|\bfound (?:"
            r"him|her|them) "
            r"(?:face ?down|floating)\b",
        ),
    ),
    (
        "electric_shock",
        "emergency",
        _rx(
            r"\belectrocut\w*\b|\b(?:got|had|received|took) (?:an? )?(?:electric|electrical) shock\b|"
            r"\b(?:struck|hit) by lightning\b",
            r"\b(?:shocked|zapped|thrown back)\b.{0,40}\b(?:socket|outlet|power line|wire|wires|mains|cable|fence|"
            r"plug|transformer|pylon)\b",
            r"\b(?:touched|grabbed|bit|chewed|stuck \w+ (?:in|into)|hit|brushed)\b.{0,30}\b(?:live wires?|power lines?|"
            r"overhead lines?|sockets?|outlets?|cables?|mains)\b",
        ),
    ),
    (
        "burns",
        "emergency",
        _rx(
            r"\bburn\w*\b.{0,40}\b(?:badly|severe\w*|blisters? (?:all over|everywhere)|all over|boiling|chemical|acid|"
            r"white|leathery|charred|black|face|whole (?:arm|leg|hand|chest|back))\b",
            r"\b(?:boiling|hot) (?:water|oil|tea|coffee|kettle|soup|fat)\b.{0,40}\b(?:over|on|down|spilled|pulled|"
            r"tipped|fell)\b|\b(?:spilled|pulled|tipped|knocked)\b.{0,30}\b(?:boiling|kettle|hot (?:water|oil|te"
            r"a|coffee))\b",
            r"\bscald\w*\b.{0,40}\b(?:baby|toddler|son|daughter|child|kid|chest|face|arm|leg|big|large|blister\w*)\b",
            r"\b(?:caught (?:on )?fire|on fire|clothes (?:caught|went up)|house fire|smoke inhalation|"
            r"breathed in (?:a lot of )?smoke)\b",
            r"\b(?:acid|bleach|chemical|caustic|lye|drain cleaner|oven cleaner)\b.{0,40}\b(?:on|over|splashed|spilled|"
            r"burn\w*)\b.{0,20}\b(?:skin|face|arm|hand|leg|body)\b",
        ),
    ),
    (
        "eye_injury",
        "emergency",
        _rx(
            r"\b(?:bleach|chemical|acid|cleaner|oven cleaner|drain cleaner|ammonia|lime|cement|caustic|alkali)\b.{0,40}"
            r"\b(?:eyes?)\b|\beyes?\b.{0,30}\b(?:bleach|chemical|acid|cleaner|ammonia|cement)\b",
            r"\b(?:something|glass|metal|a (?:nail|stick|fishhook|hook|pen|pencil|shard)|wire)\b.{0,20}\b(?:stuc"
            r"k|went|is|"
            r"poked|went right) (?:in|into) (?:my|his|her|their) eye\b|\b(?:stabbed|poked|pierced) (?:in )?(?:th"
            r"e|my|his|her) eye\b",
            r"\b(?:suddenly|sudden)\b.{0,30}\b(?:can't|cannot) see\b|\b(?:went|gone|is) (?:completely )?blind\b|"
            r"\bsudden (?:loss of|lost) (?:vision|sight)\b|\b(?:curtain|shadow) (?:over|across|coming down)\b.{0,30}\b"
            r"(?:vision|eye|sight)\b",
        ),
    ),
    (
        "head_injury",
        "emergency",
        _rx(
            r"\b(?:hit|banged|bumped|struck|smacked|cracked) (?:my|his|her|their|the back of (?:my|his|her)) hea"
            r"d\b.{0,100}"
            r"\b(?:vomit\w*|throwing up|threw up|sick (?:again|twice|three)|unconscious|confused|passed out|blac"
            r"ked out|"
            r"knocked out|seiz\w*|won't wake|drowsy|sleepy|keeps? falling asleep|fluid|blood thinners?|warfarin|"
            r"apixaban|rivaroxaban|anticoagulants?|eliquis|xarelto|doesn't remember|can't remember|repeating)",
            r"\b(?:blood thinners?|warfarin|apixaban|rivaroxaban|eliquis|xarelto|anticoagulants?)\b.{0,100}"
            r"\b(?:hit|banged|bumped|struck|fell on|knocked) (?:his|her|my|their|the) head\b",
            r"\bhead (?:injury|knock|bump)\b.{0,60}\b(?:vomit\w*|confused|drowsy|knocked out|unconscious|fluid|b"
            r"lood thinner)",
            r"\b(?:clear )?fluid\b.{0,30}\b(?:from|out of|coming out of) (?:his|her|my|their) (?:nose|ears?)\b",
            r"\b(?:knocked|was|got) (?:out|knocked out) cold\b|\bknocked (?:him|her|me|them) out\b",
        ),
    ),
    (
        "major_injury",
        "emergency",
        _rx(
            r"\b(?:was|been|got|is|'s|just got|has been|have been|'ve been)\s+(?:stabbed|shot)\b",
            r"\b(?:stab|gunshot|knife) (?:wound|injury)\b|\bknife (?:is )?(?:still )?(?:in|stuck)\b",
            r"\b(?:hit|struck|run over|knocked (?:down|off)|mowed down) by an? (?:car|truck|lorry|bus|vehicle|train|"
            r"motorbike|motorcycle|van)\b",
            r"\b(?:can't|cannot) (?:move|feel) (?:my|his|her|their) (?:legs|arms|body|feet)\b",
            r"\b(?:broke|broken|snapped) (?:my|his|her|their) (?:neck|back|spine)\b",
            r"\b(?:car crash|car accident|motorbike accident|motorcycle accident|bike crash|crashed (?:his|her|m"
            r"y|the|their) "
            r"(?:car|bike|motorbike))\b|\btrapped\b",
            r"\bfell\b.{0,40}\b(?:ladder|roof|balcony|scaffold\w*|stairs|cliff|(?:\d+|two|three|four|five) (?:fl"
            r"oors?|storeys?|"
            r"stories|metres|meters|feet|ft|m))\b",
            r"\bbone\b.{0,30}\b(?:sticking|poking|through the skin|out of)\b|\b(?:sticking|poking) out of (?:his"
            r"|her|my|the) "
            r"(?:skin|leg|arm)\b",
            r"\b(?:deep|gaping|huge) (?:cut|wound|gash|laceration)\b.{0,60}\b(?:see|bone|fat|won't|everywhere|sp"
            r"urting)\b",
        ),
    ),
    (
        "thunderclap_headache",
        "emergency",
        _rx(
            r"\bworst headache (?:of|in) "
            + POSS
            + r" (?:life|entire life|whole life)\b|\bworst headache (?:i've|i have|he's|she's|ever)\b|"
            r"\bthunderclap\b|\bsudden(?:ly)? (?:severe|excruciating|explosive|agonising|agonizing) headache\b",
            r"\b(?:like|as if) (?:i've been|i was|i'd been|he's been|she's been|i got|being) (?:hit|struck|kicke"
            r"d|smacked)\b.{0,40}\bhead\b",
            r"\bheadache\b.{0,80}\b(?:worst pain (?:ever|of my life|i've ever)|one (?:second|minute) (?:fine|ok|okay|"
            r"normal)|came on (?:so |that |really )?(?:fast|quick\w*)|like a (?:bomb|gunshot|bang))\b",
            r"\bheadache\b.{0,60}\b(?:out of nowhere|came on (?:in|within) (?:seconds|a second|a minute)|"
            r"exploded|explosion|instantly|in seconds)\b",
            r"\bheadache\b.{0,60}\bfrom (?:nothing|zero|0|fine) to (?:unbearable|excruciating|agony|10|ten|the worst)"
            r"\b.{0,30}"
            r"\bin (?:like |about |under )?(?:\d+|a few|few|a couple of) (?:seconds|secs)\b",
        ),
    ),
    (
        "heart_attack",
        "emergency",
        _rx(
            r"\bchest (?:pains?|pressure|tightness|discomfort)\b",
            r"\b(?:pains?|pressure|tightness|heaviness)\b(?: [\w']+){0,5} chest\b",
            r"\bclutching (?:his|her|my|their) chest\b|\belephant\b.{0,30}\bchest\b|\bchest\b.{0,30}\belephant\b",
            r"\btight(?:ness)?(?: [\w']+){0,2} (?:across|around|round|in|over) (?:my|his|her|their|the) chest\b",
            r"\bcrushing (?:pain|pressure|feeling)\b.{0,30}\b(?:jaw|left arm|chest|shoulder)\b|\b(?:gtn|nitro\w*|"
            r"angina) spray\b.{0,30}\b(?:done nothing|did nothing|not (?:working|helping)|hasn't helped|didn't help)\b",
            r"\bchest\s+(?:[\w']+\s+){0,4}(?:crushed|squeezed)\b",
            r"\bchest\s+(?:[\w']+\s+){0,2}(?:is|feels)\s+(?:so\s+|really\s+|very\s+)?(?:crushing|heavy|tight)\b",
            r"\bchest (?:hurts|is hurting|aches|is killing|crushing|squeezing)\b|\bcrushing (?:in (?:my|h"
            r"is|her) )?chest\b",
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
            r"\b(?:one|left|right) side of " + POSS + r" (?:face|body|mouth)\b",
            r"\bslurr(?:ed|ing)\b",
            r"\b(?:words?|speech)\b(?: [\w']+){0,4} (?:jumbled|garbled|muddled|slurred|gibberish)\b",
            r"\b(?:can't|cannot) (?:speak|talk) properly\b",
            r"\bsudden(?:ly)?\s+(?:[\w']+\s+){0,2}(?:weak(?:ness)?|numb(?:ness)?|paraly\w*|"
            + CANT
            + r" (?:move|feel|lift|speak|talk|see))\b",
            r"\b" + CANT + r" (?:move|lift|feel) " + POSS + r" (?:left|right) (?:arm|leg|hand|side)\b",
            r"\b(?:lost|losing|loss of) (?:the )?(?:vision|sight) in (?:one|my|his|her) (?:left |right )?eye\b",
            r"\bhaving (?:a |another )?stroke\b",
            r"\b(?:face|mouth)\b.{0,20}\b(?:one side|on the (?:left|right))\b.{0,30}\b(?:down|droop\w*|fallen|dr"
            r"opped|weird)\b",
            r"\b(?:can't|cannot|couldn't) (?:get (?:his|her|my|the) words out|find (?:his|her|my|the) words|unde"
            r"rstand (?:me|us|what))\b",
            r"\b(?:arm|leg|hand)\b.{0,20}\b(?:gone|went|is|suddenly) (?:dead|floppy|limp|numb|weak)\b.{0,40}\b(?"
            r":face|speech|talk\w*|words|one side)\b",
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
        "anaphylaxis",
        "emergency",
        _rx(
            r"\bthroat\b(?: (?!and\b)[\w']+){0,4} (?:closing|swelling|swollen|tight(?:ening)?)\b(?! glands)",
            r"\b(?:swell\w*|puff\w*)(?: up)?\b.{0,40}\b(?:after|from) (?:a |an |the |some )?(?:bee |wasp )?"
            r"(?:sting|stung|peanuts?|nuts?|eating|ate|shellfish|prawns|antibiotics?|injection)\b",
            r"\b(?:tongue|lips|face|throat)\b(?: (?!and\b)[\w']+){0,3}? (?:swelling|swollen|huge|puffing "
            r"up|blowing up)\b(?! glands)",
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
            r"too (?:many|much)|double|triple|extra)\b(?: [\w']+){0,4}? " + DRUG + r"\b",
            r"\b(?:overdosed|overdosing|od'd)\b|\b(?:took|taken|had|having) an overdose\b",
            # paracetamol: 16 tablets (8 g) in a day harms the liver while the person feels fine
            r"\b(?:paracetamol|acetaminophen|tylenol|co codamol|panadol)\b.{0,80}\b(?:1[2-9]|[2-9]\d) (?:tablets|pills|"
            r"caplets)\b|\b(?:1[2-9]|[2-9]\d) (?:paracetamol|acetaminophen|tylenol|co codamol|panadol)\b",
        ),
    ),
    (
        "poisoning",
        "emergency",
        _rx(
            r"\b(?:swallowed|drank|drunk|ate|eaten|ingested|swallowing|drinking|got into|licked|chewed)\b"
            r"(?: [\w']+){0,5}? " + HOUSEHOLD + r"\b",
            r"\bgot into (?:the |my |his |her )?(?:[\w']+ ){0,2}"
            r"(?:cupboard|cabinet|medicines?|pills|chemicals|garage)\b",
            r"\bmixed\b.{0,30}\b(?:bleach|ammonia|chemicals|cleaners?)\b",
            r"\b(?:son|daughter|toddler|baby|child|kid|little one|grandson|granddaughter|dog)\b.{0,40}\bgot (?:hold of|"
            r"into|at)\b.{0,40}\b(?:tablets|pills|medicines?|meds|capsules|bleach|detergent|pods|batter(?:y|ies))\b",
            r"\b(?:son|daughter|toddler|baby|child|kid|little one|boy|girl|grandson|granddaughter|\d+ ?(?"
            r":yo|yr old|year "
            r"old|years old))\b.{0,60}\b(?:swallow\w*|ate|eaten|took|taken|chew\w*|drank|drinking|drunk|s"
            r"ucking|sucked)\b"
            r"(?: [\w']+){0,4}? " + DRUG + r"\b",
            r"\b(?:son|daughter|toddler|baby|child|kid|little one|boy|girl|grandson|granddaughter)\b.{0,60}\b(?:"
            r"swallowed|ate|"
            r"eaten|took|taken|chewed|had|got into|found (?:him|her) with)\b.{0,40}\b(?:(?:my|his|her|grandma's|"
            r"grandad's|"
            r"granny's|nan's|grandpa's|mum's|mom's|dad's|someone's|their|the) )?(?:pills|tablets|meds|medicine|m"
            r"edication|"
            r"capsules|gummies|vitamins|iron tablets|blood pressure tablets|patch)\b",
            r"\b(?:washing|laundry|dishwasher|detergent|liquid) (?:pods?|tablets?|capsules?|tabs?)\b.{0,60}\b(?:"
            r"mouth|swallow\w*|"
            r"ate|bit|chewed|coughing|sick|vomit\w*)\b|\b(?:swallow\w*|ate|bit|chewed|sucked)\b.{0,40}\b("
            r"?:(?:dishwasher|washing|laundry|detergent) (?:tablets?|tabs?|capsules?)|pods?|magnet"
            r"s?|coin "
            r"battery|button battery)\b",
            r"\b(?:been|was|got|is|am|'m) poisoned\b",
            r"\bfound (?:him|her|them|my \w+) with (?:the |a |an |my |some )?(?:[\w']+ ){0,3}"
            + HOUSEHOLD
            + r"\b",
        ),
    ),
    (
        "gi_bleeding",
        "emergency",
        _rx(
            r"\b(?:vomit\w*|throwing up|threw up|puk\w*|(?:coughing|coughed|spitting)(?: up)?|bringing up)\s+"
            r"(?:(?!after|at|from|because|when|seeing|saw|the sight)[\w']+\s+){0,3}?blood\b",
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
            r"\bblood\b(?: [\w']+){0,2} (?:squirt\w*|spurt\w*|pump\w*|gush\w*|pour\w*|puls\w*|in pulses)\b|"
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
            r"\b(?:convulsing|fitting|seizing)\b.{0,60}\b(?:on the (?:floor|ground|platform|pavement|road)|eyes rolled"
            r"|rolled back|hit (?:his|her|their) head|smacked (?:his|her|their) head|foaming)\b|"
            r"\b(?:girlfriend|boyfriend|he|she|wife|husband|partner|friend|son|daughter|mum|dad) (?:is )?(?:fitting|"
            r"convulsing|seizing)\b",
            r"(?:\b(?:keeps?)|"
            + BE
            + r")\s+(?:[\w']+\s+)?(?:seizing|convulsing|fitting|having (?:a |another )?"
            r"(?:seizure|fit|convulsion)s?)\b",
            r"\b(?:first|another|second|third) (?:seizure|fit)\b.{0,80}\b(?:now|just|today|not waking|won't wake|"
            r"hasn't woken|isn't waking|again|still)\b|\b(?:seizure|fit)\b.{0,40}\b(?:in the (?:bath|pool|water)|"
            r"hit (?:his|her|their) head)\b|\b(?:one|a) (?:seizure|fit) after another\b|\bhaving (?:a )?(?:seizu"
            r"re|fit)\b.{0,20}\b(?:again|now)\b",
            r"\b(?:hasn't|hasnt|has not|isn't|not|without) (?:woken|waking|come round|coming round)\b.{0,40}\b(?"
            r":seizure|fit|between)\b|"
            r"\b(?:seizure|fit)s?\b.{0,60}\b(?:hasn't|has not|isn't|not|without) (?:woken|waking|come round|comi"
            r"ng round|"
            r"come to)\b",
            r"\bseizures? in a row\b|\b(?:two|three|several|multiple|\d+) seizures\b|\bback to back seizures\b",
        ),
    ),
    (
        "infant",
        "emergency",
        _rx(
            r"\b(?:baby|baby's|infant|newborn|(?:\d+|one|two|three|six) (?:day|week|month)s? old)\b(?: [\w']+){0,8}? "
            r"(?:fever|temperature|temp|floppy|limp|high pitched|weak cry|moaning|mottled|won't feed|isn't feedi"
            r"ng|not feeding|stopped feeding|refus\w* "
            r"(?:to )?feed\w*|hard to wake|very sleepy|lethargic|blue|grunting|pale|fell)\b",
            r"\brash that (?:doesn't|does not|won't) fade\b|\bnon blanching\b|\bbulging (?:fontanelle|soft spot)\b",
            r"\b(?:[1-9]|1[0-2]) (?:week|wk)s? old\b.{0,80}\b(?:3[89]|4[01]|10[0-4])(?:\.\d)?\b",
            r"\b(?:fontanelle|soft spot)\b.{0,20}\b(?:bulging|bulges|sticking out|swollen|puffed up)\b",
            r"\b(?:high pitched|weak|strange|odd|moaning) (?:cry|crying|scream\w*)\b.{0,60}\b(?:floppy|won't|not"
            r"|drowsy|sleepy)\b|"
            r"\b(?:floppy|limp) and (?:won't|not|hard to|very)\b",
        ),
    ),
    (
        "acute_abdomen",
        "emergency",
        _rx(
            r"\b(?:stomach|belly|abdomen|tummy) is (?:rock hard|rigid|hard as a board|board like)\b|\bpain is (?"
            r":unbearable|excruciating)\b",
            r"\btesticle\b.{0,40}\b(?:sudden\w*|severe\w*|extremely|swollen|agony|twisted)\b|\bsudden\w*\b.{0,30}\btesticle|"
            r"\b(?:balls?|testicles?|nuts?)\b.{0,20}\b(?:agony|excruciating|twisted|swollen and)\b",
            r"\bsudden (?:severe |sharp |intense |excruciating )?(?:belly|abdominal|stomach|tummy) pain\b",
            r"\b(?:pain|hurts?|ache)\b.{0,60}\b(?:moved|moving|move|shifted|went) (?:down )?(?:to|into) (?:the |"
            r"my |his |her )?"
            r"(?:lower )?right\b|\b(?:lower right|right lower|bottom right)\b.{0,60}\b(?:pain|agony|hurts?|can't"
            r" (?:walk|stand|move))\b",
            r"\b(?:stomach|belly|abdominal|tummy) (?:pain|ache)\b.{0,60}\b(?:can't (?:stand up|straighten|walk|m"
            r"ove)|doubled over|"
            r"screaming|worst pain|agony|rolling around)\b|\b(?:doubled over|curled up|screaming)\b.{0,40}\b(?:s"
            r"tomach|belly|tummy|"
            r"abdomen)\b",
            r"\b(?:stomach|belly|abdominal|tummy)\b.{0,60}\b(?:agony|excruciating|unbearable)\b",
        ),
    ),
    (
        "breathing",
        "emergency",
        _rx(
            r"\b(?:not|isn't|stopped|stops|quit) breathing\b",
            # a child's laboured breathing: grunting, recession, nostrils flaring, working hard to breathe
            r"\bgrunting (?:with|on) (?:every|each) breath\b|\b(?:tummy|stomach|chest|skin) (?:is )?(?:pulling|sucking|"
            r"caving) in\b|\bnostrils flaring\b|\bworking (?:really |so |very )?hard to breathe\b",
            r"\b" + CANT + r" breathe?\b(?! (?:through|out of) (?:my |his |her |the )?nose)",
            r"\bgasping\b|\bcan't get (?:any )?air\b",
            r"\b(?:having|has|have|with|in) (?:a lot of |severe |serious |real |so much |sudden )?"
            r"(?:trouble|difficulty|"
            r"problems?|a hard time) breathing\b",
            r"\b(?:severe|extreme|sudden) (?:shortness of breath|breathlessness)\b|\bcan't catch "
            + POSS
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
        "unconscious",
        "emergency",
        _rx(
            r"\b(?:unconscious|unresponsive|out cold)\b",
            r"\b(?:not|isn't|is not|stopped) (?:really |properly |fully )?(?:responding|responsive|waking up)\b",
            r"\b(?:hit|crash\w*|fell|fallen|collapsed|knocked|thrown|came off|went down)\b.{0,60}\b(?:isn't|is not|not|"
            r"hasn't|has not|won't|can't) (?:getting|get|got) up\b",
            r"\bwon't wake up\b|\b" + CANT + r" wake (?:him|her|them|my|up)\b",
            r"\b(?:can't|cannot|won't) (?:get (?:him|her|them) to )?(?:wake|open (?:his|her|their) eyes)\b",
            r"\b(?:just|suddenly)\s+(?:passed out|fainted)\b|\bcollapsed\b(?!\s+lung)",
            r"\b(?:collapsed|passed out|fainted)\s+and\s+(?:[\w']+\s+){0,3}(?:isn't|is not|won't|not|can't)\b",
            r"\b(?:he|she|they|my [\w']+|just) (?:just )?collapse\b(?!d)",
            r"\b(?:not|isn't|hasn't|won't|is not) (?:coming|come) (?:round|around|to)\b|\b(?:doing|giving|started|"
            r"performing|is doing) (?:cpr|chest compressions)\b",
            r"\b(?:collapsed|collapse|passed out|fainted|unresponsive)\b.{0,80}\bbreathing (?:is |isn't |is not )?"
            r"(?:not normal|isn't normal|strange|weird|funny|gasping|noisy)\b",
        ),
    ),
    (
        "confusion",
        "emergency",
        _rx(
            r"\bsuddenly\b.{0,40}\b(?:confused|doesn't (?:know|recognise|recognize)|doesn't make sense|talking n"
            r"onsense|"
            r"agitated|delirious|hallucinat\w*|seeing things)\b",
            r"\b(?:doesn't|does not|didn't|can't) (?:know|recogni[sz]e) (?:where (?:she|he|they) (?:is|are)|who "
            r"(?:i am|we are)|"
            r"(?:me|us|his|her|their) (?:own )?(?:wife|husband|kids|children|daughter|son|family))\b",
            r"\b(?:very|really|extremely|so|completely) (?:confused|disoriented|agitated)\b.{0,40}\b(?:today|sud"
            r"denly|now|"
            r"this morning|tonight|since)\b|\b(?:confused|delirious|disoriented)\b.{0,40}\b(?:all of a sudden|suddenly|"
            r"out of nowhere|overnight|this morning)\b",
            r"\b(?:talking|speaking) (?:gibberish|nonsense|rubbish)\b|\bnot making (?:any )?sense\b",
            r"\b(?:doesn't|does not|didn't|can't) (?:know|remember|tell me) (?:what (?:year|day|month) it"
            r" is|who (?:i am|we are|"
            r"he is|she is)|where (?:he|she|they) (?:is|are))\b",
        ),
    ),
]

# Context where a pattern is routinely non-urgent (e.g. heavy menstrual bleeding).
# A hit on a word (first pattern) that a stated value (second) answers: a temperature under 38 C
# (100.4 F) is not a fever; a fever alone is on the triage list under 3 months of age only.
NORMAL = {
    "infant": (
        re.compile(r"\b(?:fever|temperature|temp)\b"),
        re.compile(  # (and no other danger sign in the message)
            r"^(?!.*\b(?:floppy|limp|blue|grunting|won't feed|not feeding|stopped feeding|hard to wake|very sleepy|"
            r"lethargic|mottled|rash(?! (?:that )?fades)|fontanelle|soft spot|high pitched|weak cry|seiz\w*|fitting|"
            r"fits|stiff neck|breath\w*|vomit\w*|unresponsive|dehydrat\w*)\b)(?=.*(?:"
            r"\b(?:[3-9]|1\d|2[0-4]) (?:months?|mo|mos|mths?) old\b|\b(?:she's|he's|she is|he is|they're|who's) "
            r"(?:[3-9]|1\d|2[0-4]) (?:months?|mo|mths?)\b|\b(?:[1-9]|1[0-5]) ?(?:years?|yrs?|yo|y o)(?: old)?\b|"
            r"\b(?:temp|temperature|fever)\b(?: (?:of|is|was|at|reading|around|about))?(?: only)? "
            r"(?:3[0-7](?:\.\d+)?|9\d(?:\.\d+)?|100(?:\.[0-3])?)\b(?! ?(?:\.|c )?(?:weeks|days))))"
        ),
    ),
}
EXCLUDE = {
    "bleeding": re.compile(r"\b(?:period|periods|menstrua\w*|nosebleed|nose bleed)\b"),
    "drowning": re.compile(r"\bdrowning in (?!the |a |water|our |his |her |their |my )\w+"),
    "major_injury": re.compile(r"\b(?:total|complete|absolute|utter) (?:car crash|train wreck)\b"),
    "burns": re.compile(
        r"\b(?:sunburn\w*|small|tiny|minor|little|finger ?tip|mild|a bit of|size of a|mouth (?:is |was )?on fire|"
        r"(?:hot|spicy) (?:wings?|sauce|chilli|chili|pepper|curry)|(?:lungs|legs|thighs|muscles|calves) "
        r"(?:were|are|was|is) (?:on fire|burning))\b"
    ),
    "heart_attack": re.compile(r"\b(?:gave|give|giving) me (?:a |the )?(?:chest pains?|heart attack)\b"),
    # a habit, not a collapse: "my 15 yo won't wake up before noon at weekends"
    "unconscious": re.compile(
        r"\bwon't wake (?:up )?(?:before|until|till|for school|for work|on time|early|in the mornings?)\b"
    ),
}
